using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Facebook;

/// <summary>
/// Polls a Facebook Page through the Graph API with its Page access token, to fill what the <c>feed</c> webhook
/// (<see cref="FacebookWebhook"/>) missed: the Page's own posts from <c>GET /{page-id}/feed</c>, and what is addressed
/// to it, visitors' posts on that feed and the comments on its recent posts (<c>GET /{post-id}/comments</c>,
/// <c>filter=stream</c> so replies to comments come too). Pages follow <c>paging.next</c> while it stays on the Graph
/// host. The cursor is the newest <c>created_time</c> seen (Unix seconds); each read starts a minute before it, since
/// Graph's <c>since</c> is by the second, and callers deduplicate on the ids the webhook also uses.
/// </summary>
public sealed class FacebookPostSource(HttpClient http, Uri service, string pageId, string pageToken, TimeProvider clock) : IPostSource
{
    public const int MaxPages = 5;

    /// <summary>How far back a post is still watched for new comments.</summary>
    public static readonly TimeSpan CommentWindow = TimeSpan.FromDays(7);

    private static readonly TimeSpan Rewind = TimeSpan.FromMinutes(1);

    public string Network => "facebook";

    public SourceMode ModeOf(SourceKind kind) => SourceMode.Polled;

    public async Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default)
    {
        if (pageId.Length == 0 || !pageId.All(char.IsAsciiDigit))
        {
            throw new NetworkException(FailureKind.Auth, $"'{pageId}' is not a Facebook Page id.");
        }

        var since = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) - Rewind : (DateTimeOffset?)null;
        var posts = new List<InboundPost>();
        // Comments can arrive on any post of the window; a first read looks back over the window too.
        var feedSince = kind == SourceKind.Posts ? since : (since ?? clock.GetUtcNow()) - CommentWindow;
        var feed = await PagesAsync($"{pageId}/feed?fields=id,message,created_time,from&limit=100" + Since(feedSince), ct);
        foreach (var item in feed.Select(i => ToPost(i, null)).OfType<InboundPost>())
        {
            var own = item.AuthorId == pageId;
            if (kind == SourceKind.Posts ? own : !own && (since is null || item.PostedAt >= since))
            {
                posts.Add(item);
            }
        }

        if (kind == SourceKind.Addressed)
        {
            foreach (var post in feed.Select(i => NetworkHttp.String(i, "id")).OfType<string>())
            {
                var comments = await PagesAsync($"{Uri.EscapeDataString(post)}/comments?fields=id,message,created_time,from,parent{{id}}&filter=stream&limit=100" + Since(since), ct);
                posts.AddRange(comments.Select(c => ToPost(c, post)).OfType<InboundPost>());
            }
        }

        var newest = posts.Count == 0 ? (long?)null : posts.Max(p => p.PostedAt).ToUnixTimeSeconds();
        var next = newest is { } n && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var old) || n > old)
            ? n.ToString(CultureInfo.InvariantCulture)
            : cursor;
        return new SourceBatch(pageId, posts, next);
    }

    private static string Since(DateTimeOffset? since) => since is { } at ? $"&since={at.ToUnixTimeSeconds()}" : "";

    /// <summary>A feed item (<paramref name="postId"/> null) or a comment on the post <paramref name="postId"/>, with the ids the webhook reports.</summary>
    private static InboundPost? ToPost(JsonElement item, string? postId)
    {
        if (NetworkHttp.String(item, "id") is not { } id || !item.TryGetProperty("from", out var from) || NetworkHttp.String(from, "id") is not { } authorId
            || !DateTimeOffset.TryParseExact(NetworkHttp.String(item, "created_time"), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }

        var parent = postId is null ? null : item.TryGetProperty("parent", out var p) && NetworkHttp.String(p, "id") is { } parentId ? parentId : postId;
        return new InboundPost(id, "", $"https://www.facebook.com/{Uri.EscapeDataString(id)}", authorId, NetworkHttp.String(from, "name") ?? "",
            NetworkHttp.String(item, "message") ?? "", at, postId is null ? null : new ReplyReference(new PostReference(parent!, ""), new PostReference(postId, "")), [], null);
    }

    private async Task<List<JsonElement>> PagesAsync(string first, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        Uri? next = new(service, $"/{FacebookConnector.GraphVersion}/{first}");
        for (var page = 0; page < MaxPages && next is not null; page++)
        {
            var answer = await GetAsync(next, ct);
            if (answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(data.EnumerateArray().Select(d => d.Clone()));
            }

            // The next page's address is Graph's; it is followed only on the host the token is meant for.
            next = answer.TryGetProperty("paging", out var paging) && Uri.TryCreate(NetworkHttp.String(paging, "next"), UriKind.Absolute, out var url)
                && url.Scheme == service.Scheme && url.Authority == service.Authority ? url : null;
        }

        return items;
    }

    private async Task<JsonElement> GetAsync(Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pageToken);
        using var response = await NetworkHttp.SendAsync(http, request, Network, publishing: false, ct);
        var json = NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct));
        if (response.IsSuccessStatusCode && json is { ValueKind: JsonValueKind.Object } answer)
        {
            return answer;
        }

        var error = json is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : 0;
        var detail = $"Facebook answered {(int)response.StatusCode} (code {code}).";
        throw code switch
        {
            4 or 17 or 32 or 613 or 80001 => new NetworkException(FailureKind.RateLimited, detail, NetworkHttp.RetryAfterHeader(response, clock)),
            190 or 102 or 10 or (>= 200 and <= 299) => new NetworkException(FailureKind.Auth, detail),
            1 or 2 => new NetworkException(FailureKind.Retryable, detail),
            _ when response.StatusCode >= HttpStatusCode.InternalServerError => new NetworkException(FailureKind.Retryable, detail),
            _ => new NetworkException(FailureKind.Content, detail),
        };
    }
}
