using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Audit;

/// <param name="Record">The id of one record (a post, an account, a request): its whole history.</param>
public sealed record AuditFilter(string? Action = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null, AuditCursor? After = null, int PageSize = 50, string? Record = null);

/// <param name="Total">Matching entries, counted up to <see cref="AuditQuery.CountLimit"/>; <paramref name="TotalIsAtLeast"/> says the count stopped there.</param>
/// <param name="Next">Where the next (older) page starts; null on the last.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int PageSize, bool TotalIsAtLeast = false, AuditCursor? Next = null);

/// <summary>
/// Where a page of the log starts: after this entry, newest first. An offset made the database read and skip
/// every newer entry, so page 2,000 of a million-entry log cost as much as reading 100,000 rows.
/// </summary>
public readonly record struct AuditCursor(DateTimeOffset At, long Id)
{
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Id}");

    /// <summary>Reads a cursor as the log handed it out; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out AuditCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('.') ?? [];
        if (parts.Length != 2
            || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}

/// <summary>Reads one organization's audit log, newest first.</summary>
public sealed class AuditQuery(RoundsDbContext db)
{
    /// <summary>
    /// Counting stops here: a filter matching most of a million-entry log would otherwise read all of it on every
    /// view, to print a number nobody pages through.
    /// </summary>
    public const int CountLimit = 10_000;

    /// <summary>The most rows a page may read to merge several actions' newest entries (see <see cref="NewestOfEachAsync"/>).</summary>
    private const int MergeLimit = 5_000;

    /// <summary>
    /// One page of the log and the count of its matches. An action filter matches the actions that start with
    /// it; <paramref name="knownActions"/> (from <see cref="ActionsAsync"/>, when the caller has them already)
    /// saves reading the list again.
    /// </summary>
    public async Task<AuditPage> FindAsync(Guid organizationId, AuditFilter filter, CancellationToken cancellationToken = default, IReadOnlyList<string>? knownActions = null)
    {
        var pageSize = Math.Clamp(filter.PageSize, 1, CountLimit);
        var query = db.AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        List<string>? matching = null;
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            // A prefix (LIKE) can use no index here: SQLite's LIKE ignores case, and PostgreSQL's LIKE needs the C
            // collation, so both read the organization's whole log up to the count limit (a rare action, all of it).
            // The prefix is turned into the actions it names, each an equality seek on (organization, action, at).
            var prefix = filter.Action.Trim();
            matching = (knownActions ?? await ActionsAsync(organizationId, cancellationToken))
                .Where(a => a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matching.Count == 0)
            {
                return new AuditPage([], 0, pageSize);
            }
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim().ToLowerInvariant();
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

        if (matching is [var only])
        {
            query = query.Where(a => a.Action == only);
        }

        // The count is of the whole filter, not of what follows the cursor, so it reads the same on every page.
        var counted = await (matching is { Count: > 1 } ? query.Where(a => matching.Contains(a.Action)) : query)
            .Select(a => a.Id).Take(CountLimit + 1).CountAsync(cancellationToken);
        if (filter.After is { } cursor)
        {
            var at = cursor.At;
            var id = cursor.Id;
            query = query.Where(a => a.At < at || (a.At == at && a.Id < id));
        }

        // A page read as each action's newest costs actions × page rows: right for a page a person reads, far too
        // much for an export of thousands of rows over many actions, which reads the IN list in time order instead.
        var entries = matching is { Count: > 1 } && matching.Count * (pageSize + 1) <= MergeLimit
            ? await NewestOfEachAsync(query, matching, pageSize + 1, cancellationToken)
            : await (matching is { Count: > 1 } ? query.Where(a => matching.Contains(a.Action)) : query)
                .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = entries.Count > pageSize ? new AuditCursor(entries[pageSize - 1].At, entries[pageSize - 1].Id) : (AuditCursor?)null;
        var atLeast = counted > CountLimit;
        return new AuditPage(entries.Take(pageSize).ToList(), atLeast ? CountLimit : counted, pageSize, atLeast, next);
    }

    /// <summary>
    /// The newest entries among several actions: each action's newest are read from its own range of the
    /// (organization, action, at) index, in one command, and merged. Ordered by time over an IN list, the
    /// database would walk the (organization, at) index back through the whole log when the actions are rare.
    /// </summary>
    private static async Task<List<AuditEntry>> NewestOfEachAsync(IQueryable<AuditEntry> query, List<string> actions, int count, CancellationToken cancellationToken)
    {
        IQueryable<AuditEntry>? union = null;
        foreach (var action in actions)
        {
            var name = action;
            var newest = query.Where(a => a.Action == name).OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(count);
            union = union is null ? newest : union.Concat(newest);
        }

        var rows = await union!.ToListAsync(cancellationToken);
        return rows.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(count).ToList();
    }

    /// <summary>
    /// The actions the organization's log holds, for the filter, in order. Found as one index seek per action (the
    /// next action after the last one found) on (organization, action, at) rather than a DISTINCT over the whole
    /// log: the cost follows the few dozen kinds of action, not the millions of entries. The seeks run as one
    /// recursive command: as a command each, a view of the audit log sent some thirty commands for its filter alone,
    /// and on PostgreSQL each also reset its pooled connection.
    /// </summary>
    public Task<List<string>> ActionsAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        // Written by hand, so the tenant filter does not apply: the organization is named in both seeks.
        db.Database.SqlQuery<string>($"""
            WITH RECURSIVE "Found"("Value") AS (
                SELECT MIN(a."Action") FROM "AuditEntries" AS a WHERE a."OrganizationId" = {organizationId} AND a."Action" > ''
                UNION ALL
                SELECT (SELECT MIN(a."Action") FROM "AuditEntries" AS a WHERE a."OrganizationId" = {organizationId} AND a."Action" > f."Value")
                FROM "Found" AS f WHERE f."Value" IS NOT NULL)
            SELECT "Value" FROM "Found" WHERE "Value" IS NOT NULL ORDER BY "Value"
            """).ToListAsync(cancellationToken);
}
