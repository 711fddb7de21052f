using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>One account's copy of a post on the calendar.</summary>
public sealed record CalendarCopy(Guid AccountId, Platform Platform, string Handle, DeliveryStatus Status, string? ExternalUrl, DateTimeOffset? PublishedAt, string Text);

/// <summary>A post on the calendar, at the time it goes (or went) out.</summary>
public sealed record CalendarEntry(
    Guid PostId, Guid OrganizationId, DateTimeOffset At, PostStatus Status, string Text, string AuthorId, string AuthorName, IReadOnlyList<CalendarCopy> Copies)
{
    public string Excerpt => Calendar.Excerpt.Of(Text);
}

/// <summary>
/// The content calendar: every post that has a time, across the organization's accounts. A post sits at its
/// scheduled time; one published as soon as it was approved sits at the time its first copy went out. Rejected
/// posts are left off: they will never go out.
/// </summary>
public sealed class PublishingCalendar(RoundsDbContext db)
{
    /// <summary>Contributors plan content too; members (the network's people) have no posts to plan.</summary>
    public const Role ViewRole = Role.Contributor;

    /// <summary>The longest span one request may cover, so a feed or an API call cannot ask for everything at once.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(400);

    public Task<List<CalendarEntry>> ListAsync(OrgContext org, DateTimeOffset from, DateTimeOffset to, Guid? accountId = null, CancellationToken cancellationToken = default) =>
        ListAsync([org.Id], from, to, accountId, cancellationToken);

    /// <summary>Entries in [<paramref name="from"/>, <paramref name="to"/>) of the given organizations, in time order.</summary>
    public async Task<List<CalendarEntry>> ListAsync(IReadOnlyCollection<Guid> organizationIds, DateTimeOffset from, DateTimeOffset to, Guid? accountId = null, CancellationToken cancellationToken = default)
    {
        from = from.ToUniversalTime();
        to = to.ToUniversalTime();
        var targets = db.Set<PostTarget>();
        var query = db.Set<Post>().Where(p => organizationIds.Contains(p.OrganizationId) && p.Status != PostStatus.Rejected)
            .Where(p => (p.ScheduledAt != null && p.ScheduledAt >= from && p.ScheduledAt < to)
                || (p.ScheduledAt == null && targets.Any(t => t.PostId == p.Id && t.PublishedAt != null && t.PublishedAt >= from && t.PublishedAt < to)));
        if (accountId is { } account)
        {
            query = query.Where(p => targets.Any(t => t.PostId == p.Id && t.AccountId == account));
        }

        var posts = await query.ToListAsync(cancellationToken);
        var ids = posts.Select(p => p.Id).ToList();
        var copies = await (
            from t in targets
            join a in db.AccountCards() on t.AccountId equals a.Id
            where ids.Contains(t.PostId)
            select new { t.PostId, Target = t, a.Platform, a.Handle }).ToListAsync(cancellationToken);
        var byPost = copies.ToLookup(c => c.PostId);

        return posts
            .Select(p =>
            {
                var own = byPost[p.Id].OrderBy(c => c.Platform).ThenBy(c => c.Handle)
                    .Select(c => new CalendarCopy(c.Target.AccountId, c.Platform, c.Handle, c.Target.Status, c.Target.ExternalUrl, c.Target.PublishedAt, c.Target.TextFor(p)))
                    .ToList();
                var at = p.ScheduledAt ?? own.Where(c => c.PublishedAt is not null).Min(c => c.PublishedAt)!.Value;
                return new CalendarEntry(p.Id, p.OrganizationId, at, p.Status, p.Text, p.AuthorId, p.AuthorName, own);
            })
            .OrderBy(e => e.At).ThenBy(e => e.PostId)
            .ToList();
    }

    /// <summary>The organization's accounts that have posts to show, for the filter.</summary>
    public Task<List<AccountCard>> AccountsAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        db.AccountCards().Where(a => a.OrganizationId == org.Id && a.Status != AccountStatus.Retired)
            .OrderBy(a => a.Platform).ThenBy(a => a.NormalizedHandle).ToListAsync(cancellationToken);
}
