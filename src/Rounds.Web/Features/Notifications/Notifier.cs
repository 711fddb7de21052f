using System.Net;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared.Mail;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Notifications;

/// <summary>
/// Notifications are added to the caller's unit of work (saved with the change they announce); each email is
/// handed to the context's after-commit work, so it goes out once the change is durable and never for a
/// change that was rolled back.
/// </summary>
internal sealed class Notifier(RoundsDbContext db, IMailer mailer, TimeProvider clock, PublicUrl publicUrl, ILogger<Notifier> logger) : INotifier
{
    /// <summary>Queues one notification per person for the event; people already told about it are skipped.</summary>
    public async Task NotifyAsync(Guid organizationId, IEnumerable<string> userIds, string eventKey, string title, string link, CancellationToken cancellationToken = default)
    {
        var wanted = userIds.Where(id => !string.IsNullOrEmpty(id)).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        await NotifyEachAsync(organizationId, wanted.Select(id => new Notice(id, eventKey, title, link)).ToList(), cancellationToken);
    }

    public async Task NotifyEachAsync(Guid organizationId, IReadOnlyCollection<Notice> notices, CancellationToken cancellationToken = default)
    {
        var wanted = notices.Where(n => !string.IsNullOrEmpty(n.UserId)).DistinctBy(n => (n.UserId, n.EventKey)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var ids = wanted.Select(n => n.UserId).Distinct().ToList();
        var keys = wanted.Select(n => n.EventKey).Distinct().ToList();
        var told = (await db.Set<Notification>().Where(n => keys.Contains(n.EventKey) && ids.Contains(n.UserId)).Select(n => new { n.UserId, n.EventKey }).ToListAsync(cancellationToken))
            .Select(n => (n.UserId, n.EventKey))
            .Concat(db.ChangeTracker.Entries<Notification>().Select(e => (e.Entity.UserId, e.Entity.EventKey)))
            .ToHashSet();
        var emails = await db.People().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        foreach (var notice in wanted.Where(n => emails.ContainsKey(n.UserId) && !told.Contains((n.UserId, n.EventKey))))
        {
            db.Set<Notification>().Add(new Notification { OrganizationId = organizationId, UserId = notice.UserId, EventKey = notice.EventKey, Title = notice.Title, Link = notice.Link, CreatedAt = clock.GetUtcNow() });
            if (emails[notice.UserId] is { } email)
            {
                var mail = new OutgoingMail(email, notice.Title, $"<p>{WebUtility.HtmlEncode(notice.Title)}</p><p><a href=\"{WebUtility.HtmlEncode(Absolute(notice.Link))}\">Open in Rounds</a></p>");
                db.AfterCommit(token => SendAsync(mail, token));
            }
        }
    }

    public async Task SettleAsync(Guid organizationId, string eventKeyPrefix, string? userId = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var open = await db.Set<Notification>()
            .Where(n => n.OrganizationId == organizationId && n.ReadAt == null && n.EventKey.StartsWith(eventKeyPrefix) && (userId == null || n.UserId == userId))
            .ToListAsync(cancellationToken);
        var queued = db.ChangeTracker.Entries<Notification>()
            .Where(e => e.State == EntityState.Added && e.Entity.ReadAt == null && e.Entity.EventKey.StartsWith(eventKeyPrefix, StringComparison.Ordinal)
                && (userId == null || e.Entity.UserId == userId))
            .Select(e => e.Entity);
        foreach (var notification in open.Concat(queued))
        {
            notification.ReadAt = now;
        }
    }

    public async Task RestateAsync(Guid organizationId, string userId, string eventKey, string title, string link, CancellationToken cancellationToken = default)
    {
        var existing = db.ChangeTracker.Entries<Notification>().Select(e => e.Entity).FirstOrDefault(n => n.UserId == userId && n.EventKey == eventKey)
            ?? await db.Set<Notification>().FirstOrDefaultAsync(n => n.UserId == userId && n.EventKey == eventKey, cancellationToken);
        if (existing is null)
        {
            await NotifyAsync(organizationId, [userId], eventKey, title, link, cancellationToken);
            return;
        }

        existing.Title = title;
        existing.Link = link;
        existing.ReadAt = null;
        existing.CreatedAt = clock.GetUtcNow();
    }

    public Task<List<string>> MembersAtLeastAsync(Guid organizationId, Role role, CancellationToken cancellationToken = default) =>
        db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.Role >= role).Select(m => m.UserId).ToListAsync(cancellationToken);

    /// <summary>A failed email does not undo the change it announces; the notification centre still has it.</summary>
    private async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            await mailer.SendAsync(mail, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not email a notification to {Email}.", mail.To);
        }
    }

    /// <summary>
    /// Mail needs a full address. It comes from <c>Rounds:PublicUrl</c>, never from the request that caused the
    /// mail, whose Host header the caller chooses.
    /// </summary>
    public string Absolute(string path) => publicUrl.For(path);
}
