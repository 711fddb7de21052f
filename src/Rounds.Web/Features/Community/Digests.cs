using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.Community;

public enum DigestFrequency
{
    Off = 0,
    Daily = 1,
    Weekly = 2,
}

/// <summary>A member's choice of a mail of what they have not read on the board, and when the last one went out.</summary>
public sealed class CommunityDigest : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public DigestFrequency Frequency { get; set; }

    /// <summary>The end of the period the last digest covered; the next one covers what came after it.</summary>
    public DateTimeOffset LastSentAt { get; set; }
}

internal sealed class CommunityDigestConfiguration : IEntityTypeConfiguration<CommunityDigest>
{
    public void Configure(EntityTypeBuilder<CommunityDigest> builder)
    {
        builder.ToTable("CommunityDigests");
        builder.HasIndex(d => new { d.OrganizationId, d.UserId }).IsUnique();
        builder.HasIndex(d => new { d.Frequency, d.LastSentAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Opt-in daily or weekly digests of the topics a member has not read, and the signed link in each that turns
/// them off without signing in. The link carries the digest's id, protected by the application's data-protection
/// keys, so it cannot be made for someone else's digest.
/// </summary>
public sealed class Digests(RoundsDbContext db, BoardAudience audience, IDataProtectionProvider protection, IMailer mailer, PublicUrl publicUrl, TimeProvider clock, ILogger<Digests> logger)
{
    private IDataProtector Protector => protection.CreateProtector("Rounds.Community.DigestUnsubscribe");

    public static string Key(DigestFrequency frequency) => frequency.ToString().ToLowerInvariant();

    public static DigestFrequency? Parse(string? key) => Enum.GetValues<DigestFrequency>().Cast<DigestFrequency?>().FirstOrDefault(f => string.Equals(Key(f!.Value), key, StringComparison.OrdinalIgnoreCase));

    public async Task<DigestFrequency> FrequencyAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        await db.Set<CommunityDigest>().Where(d => d.OrganizationId == org.Id && d.UserId == org.UserId).Select(d => (DigestFrequency?)d.Frequency).FirstOrDefaultAsync(cancellationToken) ?? DigestFrequency.Off;

    public async Task<Outcome> SetAsync(OrgContext org, DigestFrequency? frequency, CancellationToken cancellationToken = default)
    {
        if (frequency is null)
        {
            return Outcome.Invalid("Frequency", "Choose off, daily or weekly.");
        }

        var row = await db.Set<CommunityDigest>().FirstOrDefaultAsync(d => d.OrganizationId == org.Id && d.UserId == org.UserId, cancellationToken);
        if (row is null)
        {
            // The first digest covers what comes after the choice, not the board's whole past.
            db.Add(new CommunityDigest { OrganizationId = org.Id, UserId = org.UserId, Frequency = frequency.Value, LastSentAt = clock.GetUtcNow() });
        }
        else
        {
            row.Frequency = frequency.Value;
        }

        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public string UnsubscribeToken(Guid digestId) => Protector.Protect(digestId.ToString("N"));

    /// <summary>Turns a digest off from its signed link; false for a link that was altered or made up.</summary>
    public async Task<bool> UnsubscribeAsync(string token, CancellationToken cancellationToken = default)
    {
        Guid id;
        try
        {
            id = Guid.ParseExact(Protector.Unprotect(token), "N");
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return false;
        }

        var row = await db.Set<CommunityDigest>().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (row is null)
        {
            return false;
        }

        row.Frequency = DigestFrequency.Off;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Sends every digest due at <paramref name="now"/>, across organizations. Each row is claimed by moving its
    /// <see cref="CommunityDigest.LastSentAt"/> in one conditional update, so instances running together send each once.
    /// </summary>
    public async Task<int> SendDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var dailyDue = now.AddDays(-1);
        var weeklyDue = now.AddDays(-7);
        var due = await db.Set<CommunityDigest>()
            .Where(d => (d.Frequency == DigestFrequency.Daily && d.LastSentAt <= dailyDue) || (d.Frequency == DigestFrequency.Weekly && d.LastSentAt <= weeklyDue))
            .ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var digest in due)
        {
            var since = digest.LastSentAt;
            var claimed = await db.Set<CommunityDigest>().Where(d => d.Id == digest.Id && d.LastSentAt == since)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSentAt, now), cancellationToken);
            if (claimed == 1 && await MailAsync(digest, since, now, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> MailAsync(CommunityDigest digest, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var member = await (
            from m in db.OrganizationMembers
            join o in db.Organizations on m.OrganizationId equals o.Id
            join p in db.People() on m.UserId equals p.Id
            where m.OrganizationId == digest.OrganizationId && m.UserId == digest.UserId
            select new { m.Role, o.Slug, o.Name, p.Email }).FirstOrDefaultAsync(cancellationToken);
        if (member?.Email is null)
        {
            return false;
        }

        var muted = await db.Set<CommunityWatch>().Where(w => w.UserId == digest.UserId && w.OrganizationId == digest.OrganizationId && w.Level == WatchLevel.Muted)
            .Select(w => new { w.TopicId, w.CategoryId }).ToListAsync(cancellationToken);
        var mutedTopics = muted.Where(m => m.TopicId != null).Select(m => m.TopicId!.Value).ToHashSet();
        var mutedCategories = muted.Where(m => m.CategoryId != null).Select(m => m.CategoryId!.Value).ToHashSet();
        // Judged as the mail goes, so a membership that lapsed since the choice takes its categories out of the mail.
        var readable = await audience.ReadableIdsAsync(digest.OrganizationId, digest.UserId, member.Role, now, cancellationToken);
        var topics = await (
            from t in db.Set<CommunityTopic>()
            join c in db.Set<CommunityCategory>() on t.CategoryId equals c.Id
            join r in db.Set<CommunityReadMark>().Where(r => r.UserId == digest.UserId) on t.Id equals r.TopicId into marks
            from r in marks.DefaultIfEmpty()
            where t.OrganizationId == digest.OrganizationId && t.Visible && t.LastPostedAt > since && readable.Contains(t.CategoryId)
                && (r == null || r.LastReadNumber < t.LastNumber)
            orderby t.LastPostedAt descending
            select new { t.Id, t.Title, t.CategoryId, Category = c.Name, t.LastNumber, Read = r == null ? 0 : r.LastReadNumber }).Take(50).ToListAsync(cancellationToken);
        var unread = topics.Where(t => !mutedTopics.Contains(t.Id) && !mutedCategories.Contains(t.CategoryId)).ToList();
        if (unread.Count == 0)
        {
            return false;
        }

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>What you have not read on the {WebUtility.HtmlEncode(member.Name)} community board:</p><ul>");
        foreach (var topic in unread)
        {
            var link = publicUrl.For(TopicPages.Href(member.Slug, topic.Id, Math.Min(topic.Read + 1, topic.LastNumber)));
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(topic.Title)}</a> in {WebUtility.HtmlEncode(topic.Category)}: {topic.LastNumber - topic.Read} unread</li>");
        }

        var unsubscribe = publicUrl.For("/community/unsubscribe/" + Uri.EscapeDataString(UnsubscribeToken(digest.Id)));
        html.Append(CultureInfo.InvariantCulture, $"</ul><p><a href=\"{WebUtility.HtmlEncode(unsubscribe)}\">Stop these digests</a> (no sign-in needed).</p>");
        try
        {
            await mailer.SendAsync(new OutgoingMail(member.Email, $"{member.Name} community: {unread.Count} {(unread.Count == 1 ? "topic" : "topics")} you have not read", html.ToString()), cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not mail a community digest to {Email}.", member.Email);
            return false;
        }
    }
}

/// <summary>Sends due digests every hour on each instance; the claim in <see cref="Digests.SendDueAsync"/> keeps it to once.</summary>
public sealed class DigestJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DigestJob> logger, IConfiguration configuration) : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool Enabled => configuration.GetValue("Community:DigestsEnabled", true);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Digests>().SendDueAsync(Clock.GetUtcNow(), cancellationToken);
}
