using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>One row the database's full-text index found, best first.</summary>
public sealed class SearchRow
{
    public Guid PostId { get; set; }

    public double Rank { get; set; }

    public string Snippet { get; set; } = "";
}

public sealed record SearchHit(Guid TopicId, string TopicTitle, int Number, string AuthorName, string SnippetHtml);

/// <summary>
/// Full-text search over the posts a reader may see, by the database itself: FTS5 on SQLite and a GIN index over
/// <c>to_tsvector</c> on PostgreSQL (the migration <c>CommunitySearch</c> builds both). Both take the same words,
/// all of which must match, stemmed in English; a topic's title counts with its first post.
/// </summary>
public sealed partial class BoardSearch(RoundsDbContext db)
{
    public const int MaxTerms = 8;

    // Control characters mark the matches in the database's snippet: the text is encoded first, then they become <mark>.
    private const char Open = '\u0002';
    private const char Close = '\u0003';

    public static IReadOnlyList<string> Terms(string? query) =>
        WordPattern().Matches(query ?? "").Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();

    public async Task<Outcome<List<SearchHit>>> SearchAsync(OrgContext org, string? query, Guid? categoryId = null, int take = 20, CancellationToken cancellationToken = default)
    {
        var terms = Terms(query);
        if (terms.Count == 0)
        {
            return Outcome.Invalid("Q", "Type at least one word to search for.");
        }

        var role = (int)org.Role;
        var visible = (int)PostState.Visible;
        var category = categoryId ?? Guid.Empty;
        var all = categoryId is null;
        List<SearchRow> rows;
        if (db.Database.IsSqlite())
        {
            // Each word quoted, so that nothing a reader types is taken as FTS5 syntax.
            var match = string.Join(' ', terms.Select(t => "\"" + t + "\""));
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT s."PostId" AS "PostId", bm25("CommunitySearch", 0.0, 2.0, 1.0) AS "Rank", snippet("CommunitySearch", 2, char(2), char(3), '…', 24) AS "Snippet"
                FROM "CommunitySearch" s
                JOIN "CommunityPosts" p ON p."Id" = s."PostId"
                JOIN "CommunityTopics" t ON t."Id" = p."TopicId"
                JOIN "CommunityCategories" c ON c."Id" = t."CategoryId"
                WHERE "CommunitySearch" MATCH {match} AND p."OrganizationId" = {org.Id} AND p."State" = {visible} AND t."Visible" = 1
                  AND c."ReadRole" <= {role} AND ({all} OR t."CategoryId" = {category})
                ORDER BY "Rank" LIMIT {take}
                """).ToListAsync(cancellationToken);
        }
        else
        {
            var words = string.Join(' ', terms);
            // Two arms, each served by its own GIN index: words in a post, and words in a topic's title (its first post).
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT hit."PostId" AS "PostId", max(hit."Rank") AS "Rank", max(hit."Snippet") AS "Snippet"
                FROM (
                    SELECT p."Id" AS "PostId", ts_rank(to_tsvector('english'::regconfig, p."Body"), q) AS "Rank",
                           ts_headline('english'::regconfig, p."Body", q, 'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12') AS "Snippet"
                    FROM "CommunityPosts" p, plainto_tsquery('english'::regconfig, {words}) q
                    WHERE to_tsvector('english'::regconfig, p."Body") @@ q AND p."OrganizationId" = {org.Id} AND p."State" = {visible}
                    UNION ALL
                    SELECT p."Id", 2 * ts_rank(to_tsvector('english'::regconfig, t."Title"), q), left(p."Body", 200)
                    FROM "CommunityTopics" t JOIN "CommunityPosts" p ON p."TopicId" = t."Id" AND p."Number" = 1, plainto_tsquery('english'::regconfig, {words}) q
                    WHERE to_tsvector('english'::regconfig, t."Title") @@ q AND t."OrganizationId" = {org.Id} AND p."State" = {visible}
                ) hit
                JOIN "CommunityPosts" p ON p."Id" = hit."PostId"
                JOIN "CommunityTopics" t ON t."Id" = p."TopicId"
                JOIN "CommunityCategories" c ON c."Id" = t."CategoryId"
                WHERE t."Visible" AND c."ReadRole" <= {role} AND ({all} OR t."CategoryId" = {category})
                GROUP BY hit."PostId"
                ORDER BY max(hit."Rank") DESC LIMIT {take}
                """).ToListAsync(cancellationToken);
        }

        var ids = rows.Select(r => r.PostId).ToList();
        var details = await (
            from p in db.Set<CommunityPost>()
            join t in db.Set<CommunityTopic>() on p.TopicId equals t.Id
            join m in db.Set<CommunityMember>() on new { UserId = p.AuthorId, p.OrganizationId } equals new { m.UserId, m.OrganizationId } into authors
            from m in authors.DefaultIfEmpty()
            where ids.Contains(p.Id)
            select new { p.Id, p.TopicId, t.Title, p.Number, Author = m == null ? "" : m.DisplayName }).ToDictionaryAsync(d => d.Id, cancellationToken);
        var hits = rows.Where(r => details.ContainsKey(r.PostId)).Select(r =>
        {
            var d = details[r.PostId];
            return new SearchHit(d.TopicId, d.Title, d.Number ?? 0, d.Author, Highlight(r.Snippet));
        }).ToList();
        return new Outcome<List<SearchHit>>(Outcome.Success, hits);
    }

    /// <summary>The snippet as HTML: each piece encoded, with the database's match markers as <c>mark</c> elements.</summary>
    public static string Highlight(string snippet)
    {
        var html = new StringBuilder();
        var marked = false;
        var start = 0;
        for (var i = 0; i <= snippet.Length; i++)
        {
            if (i < snippet.Length && snippet[i] is not (Open or Close))
            {
                continue;
            }

            html.Append(WebUtility.HtmlEncode(snippet[start..i]));
            start = i + 1;
            if (i < snippet.Length && snippet[i] == Open && !marked)
            {
                html.Append("<mark>");
                marked = true;
            }
            else if (i < snippet.Length && snippet[i] == Close && marked)
            {
                html.Append("</mark>");
                marked = false;
            }
        }

        return marked ? html.Append("</mark>").ToString() : html.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]{2,40}", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
