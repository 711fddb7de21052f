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

        var told = await db.Set<Notification>().Where(n => n.EventKey == eventKey && wanted.Contains(n.UserId)).Select(n => n.UserId).ToListAsync(cancellationToken);
        var queued = db.ChangeTracker.Entries<Notification>().Where(e => e.Entity.EventKey == eventKey).Select(e => e.Entity.UserId).ToHashSet();
        var people = await db.People().Where(u => wanted.Contains(u.Id)).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        foreach (var person in people.Where(p => !told.Contains(p.Id) && !queued.Contains(p.Id)))
        {
            db.Set<Notification>().Add(new Notification { OrganizationId = organizationId, UserId = person.Id, EventKey = eventKey, Title = title, Link = link, CreatedAt = clock.GetUtcNow() });
            if (person.Email is not null)
            {
                var mail = new OutgoingMail(person.Email, title, $"<p>{WebUtility.HtmlEncode(title)}</p><p><a href=\"{WebUtility.HtmlEncode(Absolute(link))}\">Open in Rounds</a></p>");
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
