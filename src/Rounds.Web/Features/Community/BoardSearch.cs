using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
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
/// A search as asked: the words of the box, in which the filters may be written (<c>@handle</c>,
/// <c>category:name</c>, <c>tag:name</c>, <c>after:2026-03-01</c>, <c>before:…</c>, <c>in:title</c>), and the same filters as
/// form or API fields, which win over what the box says.
/// </summary>
public sealed record SearchRequest(string? Query, Guid? CategoryId = null, string? Author = null, string? After = null, string? Before = null, bool InTitle = false, int Page = 1, string? Tag = null);

/// <summary>One page of hits; <see cref="HasMore"/> when another page follows.</summary>
public sealed record SearchResults(List<SearchHit> Hits, int Page, bool HasMore);

/// <summary>
/// Full-text search over the posts a reader may see, by the database itself: FTS5 on SQLite and a GIN index over
/// <c>to_tsvector</c> on PostgreSQL (the migration <c>CommunitySearch</c> builds both). Both take the same words,
/// all of which must match, stemmed in English; a topic's title counts with its first post. Filters narrow in the
/// same query, so a page of hits costs the same whatever they exclude.
/// </summary>
public sealed partial class BoardSearch(RoundsDbContext db, BoardAudience audience)
{
    public const int MaxTerms = 8;

    /// <summary>Deeper pages are refused: past a thousand hits a narrower search serves the reader better.</summary>
    public const int MaxPage = 50;

    // Control characters mark the matches in the database's snippet: the text is encoded first, then they become <mark>.
    private const char Open = '\u0002';
    private const char Close = '\u0003';

    public static IReadOnlyList<string> Terms(string? query) =>
        WordPattern().Matches(query ?? "").Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();

    /// <summary>The filters a query and its fields ask for, checked; the words left once the filters are taken out.</summary>
    public sealed record Filters(IReadOnlyList<string> Terms, string? Category, string? Author, DateOnly? After, DateOnly? Before, bool InTitle, string? Tag = null);

    public static Outcome<Filters> Parse(SearchRequest request)
    {
        var query = request.Query ?? "";
        string? category = null, author = null, after = null, before = null;
        var inTitle = request.InTitle;
        var authors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match token in FilterPattern().Matches(query))
        {
            if (token.Groups["handle"].Success)
            {
                authors.Add(token.Groups["handle"].Value);
                continue;
            }

            var value = token.Groups["value"].Value;
            switch (token.Groups["key"].Value.ToLowerInvariant())
            {
                case "category":
                    category = value.Replace('-', ' ').Trim();
                    break;
                case "tag":
                    tags.Add(value.TrimStart('#').ToLowerInvariant());
                    break;
                case "after":
                    after = value;
                    break;
                case "before":
                    before = value;
                    break;
                case "in" when value.Equals("title", StringComparison.OrdinalIgnoreCase):
                    inTitle = true;
                    break;
                default:
                    return Outcome.Invalid("Q", "in: takes one place to look: in:title.");
            }
        }

        if (authors.Count > 1)
        {
            return Outcome.Invalid("Author", "Search the posts of one author at a time.");
        }

        author = Blank(request.Author)?.TrimStart('@') ?? authors.FirstOrDefault();
        if (author is not null && !HandlePattern().IsMatch(author))
        {
            return Outcome.Invalid("Author", "Write the author as their handle, such as @DanaHinmon.");
        }

        if (tags.Count > 1)
        {
            return Outcome.Invalid("Tag", "Search one tag at a time.");
        }

        var tag = Blank(request.Tag)?.TrimStart('#').ToLowerInvariant() ?? tags.FirstOrDefault();
        if (tag is not null && !TopicTags.IsTag(tag))
        {
            return Outcome.Invalid("Tag", "Write the tag as it is shown on topics: letters and digits with single hyphens, such as tag:patient-privacy.");
        }

        var (fromDate, fromProblem) = Date("After", Blank(request.After) ?? after);
        var (toDate, toProblem) = Date("Before", Blank(request.Before) ?? before);
        if ((fromProblem ?? toProblem) is { } problem)
        {
            return problem;
        }

        if (fromDate is { } from && toDate is { } to && from >= to)
        {
            return Outcome.Invalid("Before", "The end date must come after the start date.");
        }

        if (request.Page is < 1 or > MaxPage)
        {
            return Outcome.Invalid("Page", $"Pages of results run from 1 to {MaxPage}; narrow the search to see further.");
        }

        var terms = Terms(FilterPattern().Replace(query, " "));
        if (terms.Count == 0)
        {
            return Outcome.Invalid("Q", "Type at least one word to search for.");
        }

        return new Outcome<Filters>(Outcome.Success, new Filters(terms, request.CategoryId is null ? category : null, author, fromDate, toDate, inTitle, tag));

        static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static (DateOnly? Date, Outcome? Problem) Date(string field, string? text)
    {
        if (text is null)
        {
            return (null, null);
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (date, null)
            : (null, Outcome.Invalid(field, $"Write {field.ToLowerInvariant()}: dates as year-month-day, such as 2026-03-01."));
    }

    public async Task<Outcome<SearchResults>> SearchAsync(OrgContext org, SearchRequest request, int take = 20, CancellationToken cancellationToken = default)
    {
        var parsed = Parse(request);
        if (!parsed.Succeeded)
        {
            return parsed.Status;
        }

        var filters = parsed.Value!;
        var categoryId = request.CategoryId;
        // Only categories the caller reads (role and audience) are searched; the database gets their ids, so a hit elsewhere never leaves it.
        var (readable, _) = await audience.ReadableAsync(org, cancellationToken);
        if (filters.Category is { } name)
        {
            var named = readable.FirstOrDefault(c => c.Name.Replace('-', ' ').Equals(name, StringComparison.OrdinalIgnoreCase));
            if (named is null)
            {
                return Outcome.Invalid("Category", $"There is no category named {name} that you can read.");
            }

            categoryId = named.Id;
        }

        string? authorId = null;
        if (filters.Author is { } handle)
        {
            var upper = handle.ToUpperInvariant();
            authorId = await db.Set<CommunityMember>().Where(m => m.OrganizationId == org.Id && m.Handle.ToUpper() == upper).Select(m => m.UserId).FirstOrDefaultAsync(cancellationToken);
            if (authorId is null)
            {
                return Outcome.Invalid("Author", $"No member of the board has the handle @{handle}.");
            }
        }

        var terms = filters.Terms;
        var visible = (int)PostState.Visible;
        var category = categoryId ?? Guid.Empty;
        var all = categoryId is null;
        var anyAuthor = authorId is null;
        var author = authorId ?? "";
        var anyTime = filters.After is null;
        var untilNow = filters.Before is null;
        var sqlite = db.Database.IsSqlite();
        var from = At(filters.After);
        var to = At(filters.Before);
        var inTitle = filters.InTitle;
        var anyTag = filters.Tag is null;
        var tag = filters.Tag ?? "";
        var skip = (request.Page - 1) * take;
        var limit = take + 1;
        var readableIds = readable.Select(c => c.Id).ToArray();
        List<SearchRow> rows;
        if (sqlite)
        {
            // SQLite takes no array parameter; the ids go as a JSON list, compared without regard to how the GUIDs are cased.
            var readableJson = System.Text.Json.JsonSerializer.Serialize(readableIds.Select(id => id.ToString()));
            // Each word quoted, so that nothing a reader types is taken as FTS5 syntax.
            var words = string.Join(' ', terms.Select(t => "\"" + t + "\""));
            var match = inTitle ? $"\"Title\" : ({words})" : words;
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT s."PostId" AS "PostId", bm25("CommunitySearch", 0.0, 2.0, 1.0) AS "Rank", '' AS "Snippet"
                FROM "CommunitySearch" s
                JOIN "CommunityPosts" p ON p."Id" = s."PostId"
                JOIN "CommunityTopics" t ON t."Id" = p."TopicId"
                JOIN "CommunityCategories" c ON c."Id" = t."CategoryId"
                WHERE "CommunitySearch" MATCH {match} AND p."OrganizationId" = {org.Id} AND p."State" = {visible} AND t."Visible" = 1
                  AND upper(c."Id") IN (SELECT upper("value") FROM json_each({readableJson})) AND ({all} OR t."CategoryId" = {category})
                  AND ({anyAuthor} OR p."AuthorId" = {author}) AND ({anyTime} OR p."CreatedAt" >= {from}) AND ({untilNow} OR p."CreatedAt" < {to})
                  AND ({anyTag} OR EXISTS (SELECT 1 FROM "CommunityTopicTags" g WHERE g."TopicId" = t."Id" AND g."Tag" = {tag}))
                ORDER BY "Rank", s."PostId" LIMIT {limit} OFFSET {skip}
                """).ToListAsync(cancellationToken);
        }
        else
        {
            var words = string.Join(' ', terms);
            // Two arms, each served by its own GIN index: words in a post, and words in a topic's title (its first post).
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT hit."PostId" AS "PostId", max(hit."Rank") AS "Rank", '' AS "Snippet"
                FROM (
                    SELECT p."Id" AS "PostId", ts_rank(to_tsvector('english'::regconfig, p."Body"), q) AS "Rank"
                    FROM "CommunityPosts" p, plainto_tsquery('english'::regconfig, {words}) q
                    WHERE NOT {inTitle} AND to_tsvector('english'::regconfig, p."Body") @@ q AND p."OrganizationId" = {org.Id} AND p."State" = {visible}
                    UNION ALL
                    SELECT p."Id", 2 * ts_rank(to_tsvector('english'::regconfig, t."Title"), q)
                    FROM "CommunityTopics" t JOIN "CommunityPosts" p ON p."TopicId" = t."Id" AND p."Number" = 1, plainto_tsquery('english'::regconfig, {words}) q
                    WHERE to_tsvector('english'::regconfig, t."Title") @@ q AND t."OrganizationId" = {org.Id} AND p."State" = {visible}
                ) hit
                JOIN "CommunityPosts" p ON p."Id" = hit."PostId"
                JOIN "CommunityTopics" t ON t."Id" = p."TopicId"
                JOIN "CommunityCategories" c ON c."Id" = t."CategoryId"
                WHERE t."Visible" AND c."Id" = ANY({readableIds}) AND ({all} OR t."CategoryId" = {category})
                  AND ({anyAuthor} OR p."AuthorId" = {author}) AND ({anyTime} OR p."CreatedAt" >= {from}) AND ({untilNow} OR p."CreatedAt" < {to})
                  AND ({anyTag} OR EXISTS (SELECT 1 FROM "CommunityTopicTags" g WHERE g."TopicId" = t."Id" AND g."Tag" = {tag}))
                GROUP BY hit."PostId"
                ORDER BY max(hit."Rank") DESC, hit."PostId" LIMIT {limit} OFFSET {skip}
                """).ToListAsync(cancellationToken);
        }

        var more = rows.Count > take;
        rows = rows.Take(take).ToList();
        var ids = rows.Select(r => r.PostId).ToList();
        var snippets = await SnippetsAsync(ids, terms, inTitle, sqlite, cancellationToken);
        var details = await (
            from p in db.Set<CommunityPost>()
            join t in db.Set<CommunityTopic>() on p.TopicId equals t.Id
            join m in db.Set<CommunityMember>() on new { UserId = p.AuthorId, p.OrganizationId } equals new { m.UserId, m.OrganizationId } into authors
            from m in authors.DefaultIfEmpty()
            where ids.Contains(p.Id)
            select new { p.Id, p.TopicId, t.Title, p.Number, p.Body, Author = m == null ? "" : m.DisplayName }).ToDictionaryAsync(d => d.Id, cancellationToken);
        var withheld = await WithheldTopicsAsync(org, details.Values.SelectMany(d => PostText.Quotes(d.Body)), cancellationToken);
        var hits = new List<SearchHit>();
        foreach (var r in rows.Where(r => details.ContainsKey(r.PostId)))
        {
            var d = details[r.PostId];
            var snippet = snippets.GetValueOrDefault(r.PostId, "");
            var refs = PostText.Quotes(d.Body).Where(q => q.TopicId is { } quoted && withheld.Contains(quoted)).ToList();
            if (refs.Count > 0)
            {
                // The index holds the reply with the words it quoted; words from a category this reader may not read
                // must neither find the reply nor show in its snippet, so the hit is judged again without them.
                var seen = PostText.Withhold(d.Body, refs.ToDictionary(q => q, q => new QuoteSource(q.Number, "", "", Withheld: true)));
                if (Excerpt(inTitle || d.Number == 1 ? d.Title + "\n" + seen : seen, terms) is not { } excerpt)
                {
                    continue;
                }

                snippet = excerpt;
            }

            hits.Add(new SearchHit(d.TopicId, d.Title, d.Number ?? 0, d.Author, Highlight(snippet)));
        }
        return new Outcome<SearchResults>(Outcome.Success, new SearchResults(hits, request.Page, more));

        // A day's start in UTC, as each database stores times (SQLite keeps them as the converter's ordered integers).
        object At(DateOnly? day)
        {
            var at = new DateTimeOffset((day ?? new DateOnly(1970, 1, 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return sqlite ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(at)! : at;
        }
    }

    /// <summary>
    /// The snippets of one page of hits, made apart from the search: a word that nearly every post holds would
    /// otherwise have the database cut a snippet from every post it ranks, not only from the twenty it shows.
    /// </summary>
    private async Task<Dictionary<Guid, string>> SnippetsAsync(List<Guid> ids, IReadOnlyList<string> terms, bool inTitle, bool sqlite, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        List<SearchRow> rows;
        if (sqlite)
        {
            var words = string.Join(' ', terms.Select(t => "\"" + t + "\""));
            var match = inTitle ? $"\"Title\" : ({words})" : words;
            var idsJson = System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id.ToString()));
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT s."PostId" AS "PostId", 0.0 AS "Rank", snippet("CommunitySearch", 2, char(2), char(3), '…', 24) AS "Snippet"
                FROM "CommunitySearch" s
                WHERE "CommunitySearch" MATCH {match} AND upper(s."PostId") IN (SELECT upper("value") FROM json_each({idsJson}))
                """).ToListAsync(cancellationToken);
        }
        else
        {
            var words = string.Join(' ', terms);
            var idArray = ids.ToArray();
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT p."Id" AS "PostId", 0.0::float8 AS "Rank",
                       ts_headline('english'::regconfig, p."Body", plainto_tsquery('english'::regconfig, {words}), 'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12') AS "Snippet"
                FROM "CommunityPosts" p
                WHERE p."Id" = ANY({idArray})
                """).ToListAsync(cancellationToken);
        }

        return rows.GroupBy(r => r.PostId).ToDictionary(g => g.Key, g => g.First().Snippet);
    }

    /// <summary>The topics quoted among <paramref name="quotes"/> that are visible but in a category the reader may not read.</summary>
    private async Task<HashSet<Guid>> WithheldTopicsAsync(OrgContext org, IEnumerable<PostText.QuoteRef> quotes, CancellationToken cancellationToken)
    {
        var withheld = new HashSet<Guid>();
        foreach (var topicId in quotes.Where(q => q.TopicId is not null).Select(q => q.TopicId!.Value).Distinct())
        {
            if (await audience.TopicAsync(org, topicId, cancellationToken) is not { Topic.Visible: true }
                && await db.Set<CommunityTopic>().AnyAsync(t => t.Id == topicId && t.OrganizationId == org.Id && t.Visible, cancellationToken))
            {
                withheld.Add(topicId);
            }
        }

        return withheld;
    }

    /// <summary>
    /// A snippet of <paramref name="text"/> around the first of <paramref name="terms"/>, with every term marked as
    /// the database marks them, or null when some term is not in it. Words are compared without their common
    /// English endings; where this is stricter than the database's stemmer the hit is dropped, which costs less than
    /// showing words the reader may not read.
    /// </summary>
    internal static string? Excerpt(string text, IReadOnlyList<string> terms)
    {
        var words = WordPattern().Matches(PostText.WithoutQuoteTags(text)).ToList();
        var stems = terms.Select(Stem).ToList();
        bool Matches(Match word) => stems.Contains(Stem(word.Value.ToLowerInvariant()), StringComparer.Ordinal);
        if (stems.Count == 0 || !stems.All(stem => words.Any(w => Stem(w.Value.ToLowerInvariant()) == stem)))
        {
            return null;
        }

        var first = words.FindIndex(Matches);
        var from = Math.Max(0, first - 8);
        var window = words.Skip(from).Take(24).Select(w => Matches(w) ? $"{Open}{w.Value}{Close}" : w.Value);
        return (from > 0 ? "… " : "") + string.Join(' ', window) + (from + 24 < words.Count ? " …" : "");
    }

    private static readonly string[] Endings = ["ing", "ed", "es", "s", "ly"];

    private static string Stem(string word)
    {
        foreach (var ending in Endings)
        {
            if (word.Length - ending.Length >= 3 && word.EndsWith(ending, StringComparison.Ordinal))
            {
                return word[..^ending.Length];
            }
        }

        return word;
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

    // A filter is a key and a value (quoted when it has spaces), or an author's @handle standing on its own.
    [GeneratedRegex(@"(?<![\w@])(?:(?<key>category|tag|after|before|in):(?:""(?<value>[^""]{0,80})""|(?<value>[^\s""]{1,80}))|@(?<handle>[A-Za-z0-9_]{2,40})\b)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 1000)]
    private static partial Regex FilterPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]{2,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}
