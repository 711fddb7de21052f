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
    Guid PostId, Guid OrganizationId, DateTimeOffset At, PostStatus Status, string Text, string AuthorId, string AuthorName, IReadOnlyList<CalendarCopy> Copies, DateTimeOffset Changed = default)
{
    public string Excerpt => Calendar.Excerpt.Of(Text);
}

/// <summary>A page of the calendar in time order, and where the next one starts (null on the last).</summary>
public sealed record CalendarPage(List<CalendarEntry> Entries, PostCursor? Next);

/// <summary>A page of calendar days: the entries shown, and per day (by its start) how many more it has.</summary>
public sealed record CalendarDays(List<CalendarEntry> Entries, IReadOnlyDictionary<DateTimeOffset, int> More);

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
        var query = InRange(organizationIds, from, to, accountId);
        var postIds = query.Select(p => p.Id);
        return await EntriesAsync(await query.Select(Shown).ToListAsync(cancellationToken), db.Set<PostTarget>().Where(t => postIds.Contains(t.PostId)), cancellationToken);
    }

    /// <summary>
    /// Entries of the range in time order (the post's id breaks ties), at most <paramref name="size"/> of them,
    /// starting after <paramref name="after"/>: one seek on the (organization, placement, id, status) index, so a
    /// page costs the same whatever the range holds and rows added meanwhile never shift a later page.
    /// </summary>
    public async Task<CalendarPage> PageAsync(
        IReadOnlyCollection<Guid> organizationIds, DateTimeOffset from, DateTimeOffset to, Guid? accountId, PostCursor? after, int size, CancellationToken cancellationToken = default)
    {
        var query = InRange(organizationIds, from, to, accountId);
        if (after is { } cursor)
        {
            var at = cursor.At;
            var id = cursor.Id;
            query = query.Where(p => p.CalendarAt > at || (p.CalendarAt == at && p.Id.CompareTo(id) > 0));
        }

        var read = await query.OrderBy(p => p.CalendarAt).ThenBy(p => p.Id).Take(size + 1).Select(Shown).ToListAsync(cancellationToken);
        var next = read.Count > size ? new PostCursor(read[size - 1].At!.Value, read[size - 1].Id) : (PostCursor?)null;
        var posts = read.Take(size).ToList();
        var ids = posts.Select(p => p.Id).ToList();
        return new CalendarPage(await EntriesAsync(posts, CopiesOf(ids), cancellationToken), next);
    }

    /// <summary>
    /// "And N more" counts at most this many posts beyond a day's shown ones; a day with more reads "over N more".
    /// Counting a day in full would read every post of it, which grows with the organization (1,300 a day in a
    /// million posts over two years); the page needs to say a day is busy, not by how much beyond this.
    /// </summary>
    public const int MoreCountLimit = 200;

    /// <summary>
    /// A page's days, each with at most <paramref name="perDay"/> entries (the first in time order) and how many
    /// more it has (up to <see cref="MoreCountLimit"/> and one): a busy organization's month must not become a
    /// page of thousands of entries. Each day is one seek on the (organization, placement, id, status) index,
    /// read in its order and stopped after <paramref name="perDay"/>; all days go in one command, each day's rows
    /// carrying the day's count, itself limited the same way and answered from the index alone, and the copies of
    /// what is shown in a second: the cost follows the days and the cap, not the posts. A window
    /// function over the range (ROW_NUMBER per day) would number every post of the month.
    /// </summary>
    public Task<CalendarDays> ListDaysAsync(OrgContext org, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> days, Guid? accountId, int perDay, CancellationToken cancellationToken = default) =>
        ListDaysAsync(org, days, accountId, perDay, MoreCountLimit, cancellationToken);

    /// <summary>
    /// The same, counting at most <paramref name="moreLimit"/> beyond a day's shown entries: a month's cells only
    /// need to say a day is busy, and each counted post is an index entry read (35 days of 200 were the month's
    /// largest read at a million posts).
    /// </summary>
    public async Task<CalendarDays> ListDaysAsync(
        OrgContext org, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> days, Guid? accountId, int perDay, int moreLimit, CancellationToken cancellationToken)
    {
        if (days.Count == 0)
        {
            return new CalendarDays([], new Dictionary<DateTimeOffset, int>());
        }

        var enough = perDay + moreLimit + 1;
        var read = db.Database.IsSqlite()
            ? await SqliteDaysAsync(org.Id, days, accountId, perDay, enough, cancellationToken)
            : await PostgresDaysAsync(org.Id, days, accountId, perDay, enough, cancellationToken);
        var entries = await EntriesAsync(read, CopiesOf(read.Select(x => x.Id).ToList()), cancellationToken);

        // A quiet day has no more than it shows; a day with no entry has nothing to count.
        var more = new Dictionary<DateTimeOffset, int>();
        foreach (var day in read.GroupBy(x => x.Day))
        {
            var inDay = day.First().InDay;
            if (inDay > perDay)
            {
                more[days[day.Key].From] = Math.Min(inDay, enough) - perDay;
            }
        }

        return new CalendarDays(entries, more);
    }

    // The days' read is one short statement whatever the number of days: the days go as one parameter (a JSON list
    // on SQLite, two arrays on PostgreSQL), and for each day the first posts are one seek on the (organization,
    // placement, id, status) index, read in its order and stopped after the cap, with the day's count read the same
    // way up to its limit. Written as a union of one branch per day, the month was a 33 KB statement of 190
    // parameters that SQLite prepared and EF Core walked on every request. Neither database can write "for each day,
    // its first rows" in a query EF Core translates (SQLite has no LATERAL join), so the statement is SQL. Raw SQL
    // bypasses the model's tenant filter: the organization is bound in every part of both statements, and the copies
    // are reached only through posts already limited to it. On SQLite, CROSS JOIN keeps the days as the outer loop,
    // so the planner cannot choose to walk every post and test it against the days.

    private async Task<List<PlacedPost>> SqliteDaysAsync(
        Guid organizationId, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> days, Guid? accountId, int perDay, int enough, CancellationToken cancellationToken)
    {
        // Times are stored as the model's binary ticks (SqliteRoundsDbContext): the bounds are converted the same way,
        // and the rows' times back, by the model's own converters.
        var placement = Converter(nameof(Post.CalendarAt));
        var updated = Converter(nameof(Post.UpdatedAt));
        var bounds = System.Text.Json.JsonSerializer.Serialize(days.Select(d => new[] { (long)placement.ConvertToProvider(d.From.ToUniversalTime())!, (long)placement.ConvertToProvider(d.To.ToUniversalTime())! }));
        object[] parameters = accountId is { } account ? [bounds, organizationId, enough, perDay, account] : [bounds, organizationId, enough, perDay];
        // Only the filter's own text is spliced in (OnAccount); every value is a parameter.
        var sql = $$"""
            WITH "Days" AS MATERIALIZED (
                SELECT j."key" AS "Day", j.value ->> 0 AS "From", j.value ->> 1 AS "To" FROM json_each({0}) AS j
            ),
            "Counted" AS MATERIALIZED (
                SELECT d."Day", d."From", d."To", (
                    SELECT count(*) FROM (
                        SELECT 1 FROM "Post" AS c
                        WHERE c."OrganizationId" = {1} AND c."CalendarAt" >= d."From" AND c."CalendarAt" < d."To" AND c."Status" <> 'Rejected'{{OnAccount("c", accountId, 4)}}
                        LIMIT {2})) AS "InDay"
                FROM "Days" AS d
            )
            SELECT n."Day" AS "Day", n."InDay" AS "InDay", p."Id" AS "Id", p."OrganizationId" AS "OrganizationId", p."CalendarAt" AS "At", p."Status" AS "Status",
                   p."Text" AS "Text", p."AuthorId" AS "AuthorId", p."AuthorName" AS "AuthorName", p."UpdatedAt" AS "UpdatedAt"
            FROM "Counted" AS n CROSS JOIN "Post" AS p
            WHERE p."Id" IN (
                SELECT s."Id" FROM "Post" AS s
                WHERE s."OrganizationId" = {1} AND s."CalendarAt" >= n."From" AND s."CalendarAt" < n."To" AND s."Status" <> 'Rejected'{{OnAccount("s", accountId, 4)}}
                ORDER BY s."CalendarAt", s."Id" LIMIT {3})
            """;
        var rows = await db.Database.SqlQueryRaw<DayRow<long>>(sql, parameters).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => r.Placed((DateTimeOffset)placement.ConvertFromProvider(r.At)!, (DateTimeOffset)updated.ConvertFromProvider(r.UpdatedAt)!)).ToList();
    }

    private async Task<List<PlacedPost>> PostgresDaysAsync(
        Guid organizationId, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> days, Guid? accountId, int perDay, int enough, CancellationToken cancellationToken)
    {
        var froms = days.Select(d => d.From.ToUniversalTime()).ToArray();
        var tos = days.Select(d => d.To.ToUniversalTime()).ToArray();
        object[] parameters = accountId is { } account ? [froms, tos, organizationId, enough, perDay, account] : [froms, tos, organizationId, enough, perDay];
        var sql = $$"""
            SELECT (d."Day" - 1)::int AS "Day", n."InDay" AS "InDay", p."Id" AS "Id", p."OrganizationId" AS "OrganizationId", p."CalendarAt" AS "At", p."Status" AS "Status",
                   p."Text" AS "Text", p."AuthorId" AS "AuthorId", p."AuthorName" AS "AuthorName", p."UpdatedAt" AS "UpdatedAt"
            FROM unnest({0}, {1}) WITH ORDINALITY AS d("From", "To", "Day")
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS "InDay" FROM (
                    SELECT 1 FROM "Post" AS c
                    WHERE c."OrganizationId" = {2} AND c."CalendarAt" >= d."From" AND c."CalendarAt" < d."To" AND c."Status" <> 'Rejected'{{OnAccount("c", accountId, 5)}}
                    LIMIT {3}) AS x
            ) AS n
            CROSS JOIN LATERAL (
                SELECT s.* FROM "Post" AS s
                WHERE s."OrganizationId" = {2} AND s."CalendarAt" >= d."From" AND s."CalendarAt" < d."To" AND s."Status" <> 'Rejected'{{OnAccount("s", accountId, 5)}}
                ORDER BY s."CalendarAt", s."Id" LIMIT {4}
            ) AS p
            """;
        var rows = await db.Database.SqlQueryRaw<DayRow<DateTimeOffset>>(sql, parameters).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => r.Placed(r.At, r.UpdatedAt)).ToList();
    }

    /// <summary>
    /// The account filter on a day's posts, when there is one (the account is parameter <paramref name="parameter"/>):
    /// without it the statement never names the copies, so neither database plans a look at them.
    /// </summary>
    private static string OnAccount(string alias, Guid? accountId, int parameter) => accountId is null
        ? ""
        : $$""" AND EXISTS (SELECT 1 FROM "PostTarget" AS t WHERE t."PostId" = {{alias}}."Id" AND t."AccountId" = {{{parameter}}})""";

    private Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter Converter(string property) =>
        db.Model.FindEntityType(typeof(Post))!.FindProperty(property)!.GetTypeMapping().Converter
        ?? throw new InvalidOperationException($"Post.{property} has no stored form on this database.");

    /// <summary>
    /// A row of the days' read, its times as the database returns them (<typeparamref name="TTime"/>: binary ticks on
    /// SQLite, timestamps on PostgreSQL) and its status as stored.
    /// </summary>
    private sealed class DayRow<TTime>
    {
        public int Day { get; set; }

        public int InDay { get; set; }

        public Guid Id { get; set; }

        public Guid OrganizationId { get; set; }

        public TTime At { get; set; } = default!;

        public string Status { get; set; } = "";

        public string Text { get; set; } = "";

        public string AuthorId { get; set; } = "";

        public string AuthorName { get; set; } = "";

        public TTime UpdatedAt { get; set; } = default!;

        public PlacedPost Placed(DateTimeOffset at, DateTimeOffset updatedAt) => new()
        {
            Day = Day, InDay = InDay, Id = Id, OrganizationId = OrganizationId, At = at, Status = Enum.Parse<PostStatus>(Status), Text = Text,
            AuthorId = AuthorId, AuthorName = AuthorName, UpdatedAt = updatedAt,
        };
    }

    /// <summary>
    /// The columns an entry shows, read instead of the whole post: the calendar shows many posts per request, and
    /// materializing every column of each (the override, the screening stamp, the concurrency stamp) was work
    /// thrown away.
    /// </summary>
    private sealed class PlacedPost
    {
        /// <summary>The day's position among a page's days, so the rows of one command can be told apart.</summary>
        public int Day { get; init; }

        public Guid Id { get; init; }

        public Guid OrganizationId { get; init; }

        public DateTimeOffset? At { get; init; }

        public PostStatus Status { get; init; }

        public string Text { get; init; } = "";

        public string AuthorId { get; init; } = "";

        public string AuthorName { get; init; } = "";

        public DateTimeOffset UpdatedAt { get; init; }

        /// <summary>How many posts the entry's day holds, counted up to the page's limit; only the days' reads set it.</summary>
        public int InDay { get; init; }
    }

    private static readonly System.Linq.Expressions.Expression<Func<Post, PlacedPost>> Shown = p => new PlacedPost
    {
        Id = p.Id, OrganizationId = p.OrganizationId, At = p.CalendarAt, Status = p.Status, Text = p.Text, AuthorId = p.AuthorId, AuthorName = p.AuthorName, UpdatedAt = p.UpdatedAt,
    };

    /// <summary>
    /// Posts placed in the range (<see cref="Post.CalendarAt"/>). The status filter comes after the range so the
    /// (organization, placement, id, status) index seeks the range and answers it without reading the rows.
    /// </summary>
    private IQueryable<Post> InRange(IReadOnlyCollection<Guid> organizationIds, DateTimeOffset from, DateTimeOffset to, Guid? accountId)
    {
        from = from.ToUniversalTime();
        to = to.ToUniversalTime();
        var posts = db.Set<Post>().AsNoTracking();
        // One organization (every page) is an equality, which every planner seeks; a feed names several.
        var single = organizationIds.Count == 1 ? organizationIds.First() : Guid.Empty;
        posts = organizationIds.Count == 1 ? posts.Where(p => p.OrganizationId == single) : posts.Where(p => organizationIds.Contains(p.OrganizationId));
        var placed = posts.Where(p => p.CalendarAt >= from && p.CalendarAt < to && p.Status != PostStatus.Rejected);
        if (accountId is { } account)
        {
            placed = placed.Where(p => db.Set<PostTarget>().Any(t => t.PostId == p.Id && t.AccountId == account));
        }

        return placed;
    }

    /// <summary>
    /// The copies of the posts shown, the ids as one parameter: as one parameter each, the SQL would change with the
    /// number of posts and be generated again for nearly every page (and SQLite allows a limited number).
    /// </summary>
    private IQueryable<PostTarget> CopiesOf(List<Guid> ids) => db.Set<PostTarget>().Where(t => EF.Parameter(ids).Contains(t.PostId));

    /// <summary>
    /// The posts' copies (<paramref name="copiesOf"/>: the copies of those posts): a range's by the range's own
    /// query as a subquery, a page's by the ids it read, without looking each post up again to find its copies.
    /// </summary>
    private async Task<List<CalendarEntry>> EntriesAsync(List<PlacedPost> posts, IQueryable<PostTarget> copiesOf, CancellationToken cancellationToken)
    {
        // The copies' columns the entries use, not the delivery bookkeeping (claims, keys, errors) of each.
        var copies = await (
            from t in copiesOf
            join a in db.AccountCards() on t.AccountId equals a.Id
            select new { t.PostId, t.AccountId, t.Status, t.ExternalUrl, t.PublishedAt, t.Text, a.Platform, a.Handle }).AsNoTracking().ToListAsync(cancellationToken);
        var byPost = copies.ToLookup(c => c.PostId);

        return posts
            .Select(p =>
            {
                // A copy without its own text carries the post's (PostTarget.TextFor).
                var own = byPost[p.Id].OrderBy(c => c.Platform).ThenBy(c => c.Handle)
                    .Select(c => new CalendarCopy(c.AccountId, c.Platform, c.Handle, c.Status, c.ExternalUrl, c.PublishedAt, c.Text ?? p.Text))
                    .ToList();
                return new CalendarEntry(p.Id, p.OrganizationId, p.At!.Value, p.Status, p.Text, p.AuthorId, p.AuthorName, own, p.UpdatedAt);
            })
            .OrderBy(e => e.At).ThenBy(e => e.PostId)
            .ToList();
    }

    /// <summary>The live accounts the filter offers (<see cref="AccountChoices.ReadAsync"/>): retired ones have nothing ahead to plan.</summary>
    public Task<AccountChoices> AccountChoicesAsync(OrgContext org, string? find, Guid? chosen, CancellationToken cancellationToken = default) =>
        AccountChoices.ReadAsync(db, org, find, chosen, withRetired: false, cancellationToken);
}
