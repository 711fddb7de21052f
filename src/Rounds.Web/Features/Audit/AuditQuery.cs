using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Audit;

/// <param name="Record">The id of one record (a post, an account, a request): its whole history.</param>
public sealed record AuditFilter(string? Action = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 1, int PageSize = 50, string? Record = null);

/// <param name="Total">Matching entries, counted up to <see cref="AuditQuery.CountLimit"/>; <paramref name="TotalIsAtLeast"/> says the count stopped there.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int Page, int PageSize, bool TotalIsAtLeast = false);

/// <summary>Reads one organization's audit log, newest first.</summary>
public sealed class AuditQuery(RoundsDbContext db)
{
    /// <summary>
    /// Counting stops here: a filter matching most of a million-entry log would otherwise read all of it on every
    /// view, to print a number nobody pages through.
    /// </summary>
    public const int CountLimit = 10_000;

    public async Task<AuditPage> FindAsync(Guid organizationId, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(a => a.Action.StartsWith(filter.Action.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim().ToLower();
            query = query.Where(a => a.ActorName.ToLower().Contains(actor));
        }

        if (!string.IsNullOrWhiteSpace(filter.Record))
        {
            var record = filter.Record.Trim();
            query = query.Where(a => a.EntityId == record);
        }

        if (filter.From is { } from)
        {
            query = query.Where(a => a.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(a => a.At < to);
        }

        var pageSize = Math.Clamp(filter.PageSize, 1, CountLimit);
        var page = Math.Max(1, filter.Page);
        var entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        // Past the limit, the page itself still shows whether there is a next one.
        var counted = await query.Select(a => a.Id).Take(CountLimit + 1).CountAsync(cancellationToken);
        var atLeast = counted > CountLimit;
        var total = atLeast ? Math.Max(CountLimit, ((page - 1) * pageSize) + entries.Count + (entries.Count == pageSize ? 1 : 0)) : counted;
        return new AuditPage(entries, total, page, pageSize, atLeast);
    }

    /// <summary>
    /// The actions the organization's log holds, for the filter. Read as one index seek per action (the next
    /// action after the last one found) on (organization, action, at) rather than a DISTINCT over the whole log:
    /// the cost follows the few dozen kinds of action, not the millions of entries.
    /// </summary>
    public async Task<List<string>> ActionsAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var actions = new List<string>();
        var last = "";
        while (await db.AuditEntries.Where(a => a.OrganizationId == organizationId && a.Action.CompareTo(last) > 0)
                   .OrderBy(a => a.Action).Select(a => a.Action).FirstOrDefaultAsync(cancellationToken) is { } next)
        {
            actions.Add(next);
            last = next;
        }

        return actions;
    }
}
