using System.Collections.Frozen;
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

    /// <summary>The row's place in SQLite's FTS5 table (its rowid), by which its snippet is found without a scan; 0 on PostgreSQL.</summary>
    public long Position { get; set; }
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

    /// <summary>
    /// How many of the newest matches are ranked: enough for every page a reader may ask for, and a bound on the
    /// work a word that nearly every post holds can cause (docs/decisions/0065-board-search-ranks-the-newest-matches.md).
    /// </summary>
    public const int Candidates = 2_000;

    // Control characters mark the matches in the database's snippet: the text is encoded first, then they become <mark>.
    private const char Open = '\u0002';
    private const char Close = '\u0003';

    /// <summary>
    /// The words searched for: lower-cased, each once, without the English words too common to search for. Those are
    /// PostgreSQL's English stop words, which its index never holds; leaving them out on SQLite too makes a query
    /// mean the same on both databases (docs/community.md, "Search").
    /// </summary>
    public static IReadOnlyList<string> Terms(string? query) =>
        WordPattern().Matches(query ?? "").Select(m => m.Value.ToLowerInvariant()).Where(w => !StopWords.Contains(w)).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();

    private static readonly FrozenSet<string> StopWords = """
        i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself
        they them their theirs themselves what which who whom this that these those am is are was were be been being have has had
        having do does did doing a an the and but if or because as until while of at by for with about against between into through
        during before after above below to from up down in out on off over under again further then once here there when where why
        how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToFrozenSet(StringComparer.Ordinal);

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
            return Outcome.Invalid("Q", WordPattern().IsMatch(FilterPattern().Replace(query, " "))
                ? "Words as common as \u201cthe\u201d or \u201cabout\u201d are not searched for; add a word that the posts you want would hold."
                : "Type at least one word to search for.");
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

        var sqlite = db.Database.IsSqlite();
        var scope = new Scope(org.Id, categoryId, authorId, At(filters.After), At(filters.Before), filters.After is null, filters.Before is null, filters.InTitle, filters.Tag, [.. readable.Select(c => c.Id)]);
        var terms = filters.Terms;

        // A page is a slice of one sequence: the ranked rows less those the withheld-quote check drops. The rows are
        // read from the first until the page and one hit more are in hand or the candidates run out, so a dropped hit
        // is made up from the rows after it and the page links stay exact, nothing shown twice or skipped.
        var wanted = request.Page * take + 1;
        var fetch = Math.Min(Candidates, wanted + 8);
        List<Kept> kept;
        while (true)
        {
            var rows = sqlite ? await SqliteRankedAsync(terms, scope, fetch, cancellationToken) : await PostgresRankedAsync(terms, scope, fetch, cancellationToken);
            kept = await KeepAsync(org, rows, terms, scope, cancellationToken);
            if (kept.Count >= wanted || rows.Count < fetch || fetch == Candidates)
            {
                break;
            }

            fetch = Math.Min(Candidates, fetch * 4);
        }

        var more = kept.Count >= wanted;
        var shown = kept.Skip((request.Page - 1) * take).Take(take).ToList();
        var ids = shown.Select(k => k.PostId).ToList();
        var snippets = await SnippetsAsync(shown.Where(k => k.Snippet is null).ToList(), terms, filters.InTitle, sqlite, cancellationToken);
        var authors = await (
            from p in db.Set<CommunityPost>()
            join m in db.Set<CommunityMember>() on new { UserId = p.AuthorId, p.OrganizationId } equals new { m.UserId, m.OrganizationId }
            where ids.Contains(p.Id)
            select new { p.Id, m.DisplayName }).ToDictionaryAsync(a => a.Id, a => a.DisplayName, cancellationToken);
        var hits = shown.Select(k => new SearchHit(k.TopicId, k.Title, k.Number, authors.GetValueOrDefault(k.PostId, ""), Highlight(k.Snippet ?? snippets.GetValueOrDefault(k.PostId, "")))).ToList();
        return new Outcome<SearchResults>(Outcome.Success, new SearchResults(hits, request.Page, more));

        // A day's start in UTC, as each database stores times (SQLite keeps them as the converter's ordered integers).
        object At(DateOnly? day)
        {
            var at = new DateTimeOffset((day ?? new DateOnly(1970, 1, 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return sqlite ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(at)! : at;
        }
    }

    /// <summary>What a search looks in: the organization, the categories the reader reads, and the filters asked for.</summary>
    private sealed record Scope(Guid OrganizationId, Guid? CategoryId, string? AuthorId, object From, object To, bool AnyTime, bool UntilNow, bool InTitle, string? Tag, Guid[] Readable);

    /// <summary>A ranked row that stays a hit for this reader, with the snippet cut again when withheld words were taken out of it.</summary>
    private sealed record Kept(Guid PostId, long Position, Guid TopicId, string Title, int Number, string? Snippet);

    /// <summary>
    /// The first <paramref name="limit"/> of the candidates, best first. The candidates are the newest
    /// <see cref="Candidates"/> matches in the index that pass every filter (the FTS5 table's rows in the order they
    /// were written, walked backwards, so a common word stops after that many); only they are ranked by <c>bm25</c>.
    /// </summary>
    private Task<List<SearchRow>> SqliteRankedAsync(IReadOnlyList<string> terms, Scope s, int limit, CancellationToken cancellationToken)
    {
        // SQLite takes no array parameter; the ids go as a JSON list, compared without regard to how the GUIDs are cased.
        var readableJson = System.Text.Json.JsonSerializer.Serialize(s.Readable.Select(id => id.ToString()));
        // Each word quoted, so that nothing a reader types is taken as FTS5 syntax.
        var words = string.Join(' ', terms.Select(t => "\"" + t + "\""));
        var match = s.InTitle ? $"\"Title\" : ({words})" : words;
        var visible = (int)PostState.Visible;
        var all = s.CategoryId is null;
        var anyAuthor = s.AuthorId is null;
        var anyTag = s.Tag is null;
        return db.Database.SqlQuery<SearchRow>($"""
            SELECT hit."PostId" AS "PostId", hit."Rank" AS "Rank", '' AS "Snippet", hit."Position" AS "Position"
            FROM (
                SELECT s."PostId" AS "PostId", bm25("CommunitySearch", 0.0, 2.0, 1.0) AS "Rank", s.rowid AS "Position"
                FROM "CommunitySearch" s
                JOIN "CommunityPosts" p ON p."Id" = s."PostId"
                JOIN "CommunityTopics" t ON t."Id" = p."TopicId"
                WHERE "CommunitySearch" MATCH {match} AND p."OrganizationId" = {s.OrganizationId} AND p."State" = {visible} AND t."Visible" = 1
                  AND upper(t."CategoryId") IN (SELECT upper("value") FROM json_each({readableJson})) AND ({all} OR t."CategoryId" = {s.CategoryId ?? Guid.Empty})
                  AND ({anyAuthor} OR p."AuthorId" = {s.AuthorId ?? ""}) AND ({s.AnyTime} OR p."CreatedAt" >= {s.From}) AND ({s.UntilNow} OR p."CreatedAt" < {s.To})
                  AND ({anyTag} OR EXISTS (SELECT 1 FROM "CommunityTopicTags" g WHERE g."TopicId" = t."Id" AND g."Tag" = {s.Tag ?? ""}))
                ORDER BY s.rowid DESC LIMIT {Candidates}
            ) hit
            ORDER BY hit."Rank", hit."PostId" LIMIT {limit}
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The first <paramref name="limit"/> of the candidates, best first: the newest <see cref="Candidates"/> posts
    /// that match and pass every filter, found through the GIN index over the stored <c>SearchVector</c> (a first
    /// post's vector holds its topic's title, weighted A, with its body, weighted D), and only they ranked.
    /// </summary>
    private Task<List<SearchRow>> PostgresRankedAsync(IReadOnlyList<string> terms, Scope s, int limit, CancellationToken cancellationToken)
    {
        var words = string.Join(' ', terms);
        var visible = (int)PostState.Visible;
        var all = s.CategoryId is null;
        var anyAuthor = s.AuthorId is null;
        var anyTag = s.Tag is null;
        // A title's words count twice a body's, as in SQLite's bm25 weights; in:title keeps the matches in the title's (A) part.
        return db.Database.SqlQuery<SearchRow>($$"""
            SELECT hit."PostId" AS "PostId", ts_rank('{0.1, 0.1, 0.1, 0.2}'::float4[], hit."Vector", q)::float8 AS "Rank", '' AS "Snippet", 0::int8 AS "Position"
            FROM (
                SELECT p."Id" AS "PostId", p."SearchVector" AS "Vector"
                FROM "CommunityPosts" p JOIN "CommunityTopics" t ON t."Id" = p."TopicId", plainto_tsquery('english'::regconfig, {{words}}) q
                WHERE p."SearchVector" @@ q AND (NOT {{s.InTitle}} OR ts_filter(p."SearchVector", '{a}') @@ q)
                  AND p."OrganizationId" = {{s.OrganizationId}} AND p."State" = {{visible}} AND t."Visible" AND t."CategoryId" = ANY({{s.Readable}})
                  AND ({{all}} OR t."CategoryId" = {{s.CategoryId ?? Guid.Empty}}) AND ({{anyAuthor}} OR p."AuthorId" = {{s.AuthorId ?? ""}})
                  AND ({{s.AnyTime}} OR p."CreatedAt" >= {{s.From}}) AND ({{s.UntilNow}} OR p."CreatedAt" < {{s.To}})
                  AND ({{anyTag}} OR EXISTS (SELECT 1 FROM "CommunityTopicTags" g WHERE g."TopicId" = t."Id" AND g."Tag" = {{s.Tag ?? ""}}))
                ORDER BY p."CreatedAt" DESC, p."Id" DESC LIMIT {{Candidates}}
            ) hit, plainto_tsquery('english'::regconfig, {{words}}) q
            ORDER BY 2 DESC, hit."PostId" LIMIT {{limit}}
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The rows that stay hits for this reader, in order. The index holds a reply with the words it quoted; words
    /// from a category the reader may not read must neither find the reply nor show in its snippet, so a reply
    /// quoting such a topic is judged again without them.
    /// </summary>
    private async Task<List<Kept>> KeepAsync(OrgContext org, List<SearchRow> rows, IReadOnlyList<string> terms, Scope scope, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.PostId).ToList();
        var texts = await (
            from p in db.Set<CommunityPost>()
            join t in db.Set<CommunityTopic>() on p.TopicId equals t.Id
            where ids.Contains(p.Id)
            select new { p.Id, p.TopicId, t.Title, p.Number, p.Body }).ToDictionaryAsync(d => d.Id, cancellationToken);
        var quoted = texts.Values.SelectMany(d => PostText.Quotes(d.Body)).Where(q => q.TopicId is not null).Select(q => q.TopicId!.Value).Distinct().ToList();
        // A quoted topic is withheld when it is visible but in a category the reader does not read (the same judgement as the search's own).
        var withheld = quoted.Count == 0 ? [] : (await db.Set<CommunityTopic>()
            .Where(t => quoted.Contains(t.Id) && t.OrganizationId == org.Id && t.Visible && !scope.Readable.Contains(t.CategoryId))
            .Select(t => t.Id).ToListAsync(cancellationToken)).ToHashSet();
        var kept = new List<Kept>();
        foreach (var r in rows.Where(r => texts.ContainsKey(r.PostId)))
        {
            var d = texts[r.PostId];
            var refs = PostText.Quotes(d.Body).Where(q => q.TopicId is { } topic && withheld.Contains(topic)).ToList();
            string? snippet = null;
            if (refs.Count > 0)
            {
                var seen = PostText.Withhold(d.Body, refs.ToDictionary(q => q, q => new QuoteSource(q.Number, "", "", Withheld: true)));
                snippet = Excerpt(scope.InTitle || d.Number == 1 ? d.Title + "\n" + seen : seen, terms);
                if (snippet is null)
                {
                    continue;
                }
            }

            kept.Add(new Kept(d.Id, r.Position, d.TopicId, d.Title, d.Number ?? 0, snippet));
        }

        return kept;
    }

    /// <summary>
    /// The snippets of one page of hits, made apart from the search: a word that nearly every post holds would
    /// otherwise have the database cut a snippet from every post it ranks, not only from the twenty it shows.
    /// </summary>
    private async Task<Dictionary<Guid, string>> SnippetsAsync(List<Kept> hits, IReadOnlyList<string> terms, bool inTitle, bool sqlite, CancellationToken cancellationToken)
    {
        if (hits.Count == 0)
        {
            return [];
        }

        List<SearchRow> rows;
        if (sqlite)
        {
            var words = string.Join(' ', terms.Select(t => "\"" + t + "\""));
            var match = inTitle ? $"\"Title\" : ({words})" : words;
            // By rowid: FTS5 reads those rows alone, where a test of each match's PostId would read every match.
            var positions = System.Text.Json.JsonSerializer.Serialize(hits.Select(h => h.Position));
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT s."PostId" AS "PostId", 0.0 AS "Rank", snippet("CommunitySearch", 2, char(2), char(3), '…', 24) AS "Snippet", s.rowid AS "Position"
                FROM "CommunitySearch" s
                WHERE "CommunitySearch" MATCH {match} AND s.rowid IN (SELECT "value" FROM json_each({positions}))
                """).ToListAsync(cancellationToken);
        }
        else
        {
            var words = string.Join(' ', terms);
            var idArray = hits.Select(h => h.PostId).ToArray();
            rows = await db.Database.SqlQuery<SearchRow>($"""
                SELECT p."Id" AS "PostId", 0.0::float8 AS "Rank",
                       ts_headline('english'::regconfig, p."Body", plainto_tsquery('english'::regconfig, {words}), 'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12') AS "Snippet", 0::int8 AS "Position"
                FROM "CommunityPosts" p
                WHERE p."Id" = ANY({idArray})
                """).ToListAsync(cancellationToken);
        }

        return rows.GroupBy(r => r.PostId).ToDictionary(g => g.Key, g => g.First().Snippet);
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
