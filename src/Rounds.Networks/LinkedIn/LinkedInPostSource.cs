using System.Globalization;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.LinkedIn;

/// <summary>
/// Reads a LinkedIn organization page through the Community Management API with a page admin's token
/// (<c>r_organization_social</c>): its own posts from the Posts API (<c>GET /rest/posts?author={org}&amp;q=author</c>,
/// newest first), and what is addressed to it, the comments on its posts of the last week
/// (<c>GET /rest/socialActions/{post}/comments</c>) and the replies under each comment that has some
/// (<c>GET /rest/socialActions/{comment}/comments</c>), every list paged by <c>start</c> and <c>count</c>. The page's
/// own comments carry the organization as their actor and so count as its replies. A personal profile has no such
/// API and is not read. The cursor is the newest creation time seen (epoch milliseconds); each read starts a minute
/// before it, since a comment may be stored a moment after the time it carries, and callers deduplicate on the URNs.
/// </summary>
public sealed class LinkedInPostSource(HttpClient http, Uri service, string organization, string token, TimeProvider clock) : IPostSource
{
    public const int PageSize = 50;

    /// <summary>Pages read per list at most; a source polled every minute never has more to catch up on.</summary>
    public const int MaxPages = 5;

    /// <summary>How far back a post is still watched for new comments.</summary>
    public static readonly TimeSpan CommentWindow = TimeSpan.FromDays(7);

    private static readonly TimeSpan Rewind = TimeSpan.FromMinutes(1);

    public string Network => "linkedin";

    public SourceMode ModeOf(SourceKind kind) => SourceMode.Polled;

    public async Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default)
    {
        if (!organization.StartsWith("urn:li:organization:", StringComparison.Ordinal) || !organization["urn:li:organization:".Length..].All(char.IsAsciiDigit)
            || organization.Length == "urn:li:organization:".Length)
        {
            throw new NetworkException(FailureKind.Auth, $"'{organization}' is not a LinkedIn organization URN; only organization pages can be read.");
        }

        var since = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var millis) ? DateTimeOffset.FromUnixTimeMilliseconds(millis) - Rewind : (DateTimeOffset?)null;
        // Comments can arrive on any post of the window, counted back from now: from the cursor, a page quiet for
        // months would read ever more posts each round.
        var posts = await PostsAsync(kind == SourceKind.Posts ? since : clock.GetUtcNow() - CommentWindow, ct);
        var found = new List<InboundPost>();
        if (kind == SourceKind.Posts)
        {
            found.AddRange(posts);
        }
        else
        {
            foreach (var post in posts)
            {
                foreach (var comment in await CommentsAsync(post.Id, post.Id, ct))
                {
                    // LinkedIn nests one level: replies hang under a top-level comment, whatever its age.
                    if (comment.Replies > 0)
                    {
                        found.AddRange((await CommentsAsync(comment.Post.Id, post.Id, ct)).Select(r => r.Post).Where(r => since is null || r.PostedAt >= since));
                    }

                    if (since is null || comment.Post.PostedAt >= since)
                    {
                        found.Add(comment.Post);
                    }
                }
            }
        }

        if (kind == SourceKind.Addressed)
        {
            found = await NamedAsync(found, ct);
        }

        var newest = found.Count == 0 ? (long?)null : found.Max(p => p.PostedAt).ToUnixTimeMilliseconds();
        var next = newest is { } n && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var old) || n > old)
            ? n.ToString(CultureInfo.InvariantCulture)
            : cursor;
        return new SourceBatch(organization, found, next);
    }

    /// <summary>The organization's published posts created since <paramref name="since"/> (all, up to the page limit, when null).</summary>
    private async Task<List<InboundPost>> PostsAsync(DateTimeOffset? since, CancellationToken ct)
    {
        var posts = new List<InboundPost>();
        for (var page = 0; page < MaxPages; page++)
        {
            using var request = LinkedInApi.Request(HttpMethod.Get, service, token,
                $"/rest/posts?author={Uri.EscapeDataString(organization)}&q=author&count={PageSize}&start={page * PageSize}&sortBy=CREATED");
            request.Headers.Add("X-RestLi-Method", "FINDER");
            var elements = Elements(await SendAsync(request, ct));
            var older = false;
            foreach (var element in elements)
            {
                if (ToPost(element) is not { } post)
                {
                    continue;
                }

                // Newest first: the first post before the cursor ends the read.
                if (since is not null && post.PostedAt < since)
                {
                    older = true;
                    break;
                }

                // Drafts and posts still being processed are not on the page yet.
                if (NetworkHttp.String(element, "lifecycleState") is null or "PUBLISHED")
                {
                    posts.Add(post);
                }
            }

            if (older || elements.Count < PageSize)
            {
                break;
            }
        }

        return posts;
    }

    /// <summary>The comments on <paramref name="target"/> (a post, or a comment for its replies), in the thread of <paramref name="root"/>.</summary>
    private async Task<List<(InboundPost Post, int Replies)>> CommentsAsync(string target, string root, CancellationToken ct)
    {
        var comments = new List<(InboundPost, int)>();
        for (var page = 0; page < MaxPages; page++)
        {
            using var request = LinkedInApi.Request(HttpMethod.Get, service, token,
                $"/rest/socialActions/{Uri.EscapeDataString(target)}/comments?start={page * PageSize}&count={PageSize}");
            var answer = await SendAsync(request, ct);
            var elements = Elements(answer);
            foreach (var element in elements)
            {
                if (ToComment(element, target, root) is { } comment)
                {
                    var replies = element.TryGetProperty("commentsSummary", out var summary) && summary.ValueKind == JsonValueKind.Object
                        && summary.TryGetProperty("totalFirstLevelComments", out var count) && count.TryGetInt32(out var n) ? n : 0;
                    comments.Add((comment, target == root ? replies : 0));
                }
            }

            var total = answer.TryGetProperty("paging", out var paging) && paging.ValueKind == JsonValueKind.Object
                && paging.TryGetProperty("total", out var t) && t.TryGetInt32(out var all) ? all : (int?)null;
            if (elements.Count < PageSize || (total is { } known && (page + 1) * PageSize >= known))
            {
                break;
            }
        }

        return comments;
    }

    private static List<JsonElement> Elements(JsonElement answer) =>
        answer.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array ? [.. elements.EnumerateArray()] : [];

    private static InboundPost? ToPost(JsonElement post)
    {
        if (NetworkHttp.String(post, "id") is not { } id || !post.TryGetProperty("createdAt", out var created) || !created.TryGetInt64(out var at))
        {
            return null;
        }

        var author = NetworkHttp.String(post, "author") ?? "";
        return new InboundPost(id, "", $"https://www.linkedin.com/feed/update/{id}/", author, author,
            LittleText.ToPlain(NetworkHttp.String(post, "commentary") ?? ""), DateTimeOffset.FromUnixTimeMilliseconds(at), null, [], null);
    }

    /// <summary>
    /// A comment under its URN, its actor's URN standing for the author until <see cref="NamedAsync"/> names it;
    /// a reply names its parent comment in <c>parentComment</c>, else the comment answers the post it was read from.
    /// </summary>
    private static InboundPost? ToComment(JsonElement comment, string target, string root)
    {
        var id = NetworkHttp.String(comment, "commentUrn") ?? NetworkHttp.String(comment, "$URN");
        if (id is null || NetworkHttp.String(comment, "actor") is not { } actor
            || !comment.TryGetProperty("created", out var created) || created.ValueKind != JsonValueKind.Object
            || !created.TryGetProperty("time", out var time) || !time.TryGetInt64(out var at))
        {
            return null;
        }

        var text = comment.TryGetProperty("message", out var message) ? NetworkHttp.String(message, "text") ?? "" : "";
        var parent = NetworkHttp.String(comment, "parentComment") ?? target;
        return new InboundPost(id, "", $"https://www.linkedin.com/feed/update/{root}/?commentUrn={Uri.EscapeDataString(id)}", actor, actor, text,
            DateTimeOffset.FromUnixTimeMilliseconds(at), new ReplyReference(new PostReference(parent, ""), new PostReference(root, "")), [], null);
    }

    /// <summary>What a member who commented is shown as: LinkedIn gives apps no member's name without that member's consent.</summary>
    public const string MemberName = "LinkedIn member";

    /// <summary>What an organization is shown as when its name cannot be read (the app lacks the lookup permission).</summary>
    public const string OrganizationName = "LinkedIn organization";

    /// <summary>How long an organization's name is kept before it is looked up again.</summary>
    public static readonly TimeSpan NameLifetime = TimeSpan.FromDays(1);

    /// <summary>Organizations' localized names by URN, shared by every reader: a name changes rarely, comments often.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Name, DateTimeOffset ReadAt)> OrganizationNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Comments with their authors named: an organization by its localized name (Organization Lookup API, batch
    /// <c>GET /rest/organizationsLookup?ids=List(…)</c>, kept for <see cref="NameLifetime"/>), a member as
    /// <see cref="MemberName"/>. The actor's URN stays the author's id. A lookup that fails leaves the read whole.
    /// </summary>
    private async Task<List<InboundPost>> NamedAsync(List<InboundPost> comments, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var wanted = comments.Select(c => c.AuthorId)
            .Where(a => a != organization && OrganizationId(a) is not null
                && !(OrganizationNames.TryGetValue(a, out var kept) && now - kept.ReadAt < NameLifetime))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in wanted.Chunk(PageSize))
        {
            try
            {
                using var request = LinkedInApi.Request(HttpMethod.Get, service, token,
                    $"/rest/organizationsLookup?ids=List({string.Join(',', batch.Select(OrganizationId))})");
                var answer = await SendAsync(request, ct);
                if (answer.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Object)
                {
                    foreach (var urn in batch)
                    {
                        if (results.TryGetProperty(OrganizationId(urn)!, out var found) && NetworkHttp.String(found, "localizedName") is { Length: > 0 } name)
                        {
                            OrganizationNames[urn] = (name, now);
                        }
                    }
                }
            }
            catch (NetworkException)
            {
                // Names are a courtesy: the comments are filed with the generic label and the lookup is tried next read.
            }
        }

        return [.. comments.Select(c => c.AuthorId == organization ? c : c with
        {
            AuthorHandle = OrganizationId(c.AuthorId) is null ? MemberName
                : OrganizationNames.TryGetValue(c.AuthorId, out var named) ? named.Name : OrganizationName,
        })];
    }

    /// <summary>The number of an organization URN (<c>urn:li:organization:123</c>), or null for any other actor.</summary>
    private static string? OrganizationId(string urn) =>
        urn.StartsWith("urn:li:organization:", StringComparison.Ordinal) && urn.Length > "urn:li:organization:".Length
        && urn["urn:li:organization:".Length..].All(char.IsAsciiDigit) ? urn["urn:li:organization:".Length..] : null;

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "LinkedIn", publishing: false, ct);
        if (response.IsSuccessStatusCode)
        {
            return await NetworkHttp.ReadJsonAsync(response, "LinkedIn", ct);
        }

        throw LinkedInApi.Failure(response, await LinkedInApi.ErrorAsync(response, ct), publishing: false, clock);
    }
}
