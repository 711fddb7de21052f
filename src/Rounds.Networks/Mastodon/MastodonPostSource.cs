using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Mastodon;

/// <summary>
/// Reads a Mastodon account through its instance's REST API. Its own posts come from
/// <c>GET /api/v1/accounts/:id/statuses</c> (public). Posts addressed to it come from its mention notifications
/// (<c>GET /api/v1/notifications?types[]=mention</c>), which need the account's access token, and from the mentions
/// its notification policy filtered away: each notification request (<c>GET /api/v1/notifications/requests</c>,
/// then <c>/requests/:id</c>) is read as that sender's filtered notifications
/// (<c>GET /api/v1/notifications?account_id=…&amp;include_filtered=true</c>), since a hospital must see a patient's
/// question even when it came from an account nobody follows.
/// Pages are followed through the <c>Link</c> header's <c>rel="next"</c> (its <c>max_id</c>), from the newest back to
/// the stored cursor (<c>since_id</c>); the cursor is the highest id seen, status ids for posts and notification ids
/// for what is addressed. When the instance's <c>X-RateLimit-Remaining</c> runs low mid-read the read stops with a
/// rate-limit failure and the cursor does not move, so the next read starts again rather than skipping a gap.
/// With the token it also follows the account's notifications as they happen, through the streaming API's server-sent
/// events (<c>GET /api/v1/streaming/user/notification</c>, <see cref="OpenAsync"/>), asked of the account's own server only.
/// </summary>
public sealed partial class MastodonPostSource(HttpClient http, Uri instance, string? accessToken, TimeProvider clock) : IPostSource, IStreamingSource
{
    public const int PageSize = 40;

    /// <summary>Pages read per list at most; a source polled every minute never has more to catch up on.</summary>
    public const int MaxPages = 10;

    /// <summary>Requests kept back from the instance's window, so a read never spends the account's last ones.</summary>
    public const int ReserveRequests = 3;

    public string Network => "mastodon";

    /// <summary>
    /// How long the stream may stay silent. The streaming server sends a <c>:thump</c> comment every 15 seconds to
    /// keep the connection open, so a minute without a byte means the connection is dead even if no error says so.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public bool CanStream => accessToken is not null;

    public SourceMode ModeOf(SourceKind kind) => kind == SourceKind.Posts || accessToken is not null ? SourceMode.Polled : SourceMode.Impossible;

    public async Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default)
    {
        var account = await ReadOneAsync($"/api/v1/accounts/lookup?acct={Uri.EscapeDataString(handle.TrimStart('@'))}", ct);
        var accountId = NetworkHttp.Required(account, "id", Network);
        if (kind == SourceKind.Posts)
        {
            var statuses = await PagesAsync($"/api/v1/accounts/{Uri.EscapeDataString(accountId)}/statuses?limit={PageSize}", cursor, ct);
            return new SourceBatch(accountId, statuses.Select(ToPost).OfType<InboundPost>().ToList(), Newest(statuses, cursor),
                MastodonPublicReader.TextOf(NetworkHttp.String(account, "note")) is { Length: > 0 } note ? note : null);
        }

        if (accessToken is null)
        {
            throw new NetworkException(FailureKind.Auth, "Reading the mentions of a Mastodon account needs its access token; connect the account.");
        }

        var notifications = await PagesAsync($"/api/v1/notifications?types[]=mention&limit={PageSize}", cursor, ct);
        foreach (var request in await PagesAsync($"/api/v1/notifications/requests?limit={PageSize}", null, ct))
        {
            var detail = await ReadOneAsync($"/api/v1/notifications/requests/{Uri.EscapeDataString(NetworkHttp.Required(request, "id", Network))}", ct);
            if (detail.TryGetProperty("account", out var sender) && NetworkHttp.String(sender, "id") is { } senderId)
            {
                notifications.AddRange(await PagesAsync(
                    $"/api/v1/notifications?types[]=mention&include_filtered=true&account_id={Uri.EscapeDataString(senderId)}&limit={PageSize}", cursor, ct));
            }
        }

        var mentions = notifications.Where(n => NetworkHttp.String(n, "type") == "mention" && n.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object)
            .Select(n => ToPost(n.GetProperty("status"))).OfType<InboundPost>().DistinctBy(p => p.Id).ToList();
        return new SourceBatch(accountId, mentions, Newest(notifications, cursor));
    }

    /// <summary>
    /// Opens the account's notification stream on its server. The streaming API may be served from another host: the
    /// server then answers the request with a redirect to it. The token goes along, so a redirect is followed once and
    /// only to the server's own host or a subdomain of it (streaming.example.social for example.social); the outbound
    /// handler still refuses a private address. A server that streams from anywhere else is read by polling only.
    /// </summary>
    public async Task<IPostStream> OpenAsync(CancellationToken ct = default)
    {
        if (accessToken is null)
        {
            throw new NetworkException(FailureKind.Auth, "Following the notifications of a Mastodon account needs its access token; connect the account.");
        }

        var url = new Uri(instance, "/api/v1/streaming/user/notification");
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
            request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
            HttpResponseMessage? response = await NetworkHttp.OpenAsync(http, request, Network, ct);
            try
            {
                if ((int)response.StatusCode is >= 300 and < 400)
                {
                    url = hop == 0 ? StreamingHost(response.Headers.Location, url) : throw new NetworkException(FailureKind.Content, $"{instance.Host} redirected its stream more than once.");
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw StreamRefused(response);
                }

                if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
                {
                    throw new NetworkException(FailureKind.Retryable, $"{instance.Host} answered its streaming address with something that is not an event stream; check the service address.");
                }

                var stream = new MastodonNotificationStream(response, ToPost, StreamIdleTimeout, Network);
                response = null;
                return stream;
            }
            finally
            {
                response?.Dispose();
            }
        }
    }

    /// <summary>Where a redirect of the stream leads, when that is the server's own host or one of its subdomains.</summary>
    private Uri StreamingHost(Uri? location, Uri from)
    {
        if (location is null)
        {
            throw new NetworkException(FailureKind.Content, $"{instance.Host} redirected its stream without saying where.");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        // The instance configuration names the streaming server as wss://; the HTTP stream is the same address over https.
        var scheme = target.Scheme switch { "wss" => Uri.UriSchemeHttps, "ws" => Uri.UriSchemeHttp, var other => other };
        var own = target.Host.Equals(instance.Host, StringComparison.OrdinalIgnoreCase)
            || target.Host.EndsWith("." + instance.Host, StringComparison.OrdinalIgnoreCase);
        if (scheme != instance.Scheme || !own)
        {
            throw new NetworkException(FailureKind.Content,
                $"{instance.Host} streams from {target.Host}, which is not the account's own server; Rounds sends the account's token nowhere else, so its mentions are polled.");
        }

        return new UriBuilder(target) { Scheme = scheme, Port = target.IsDefaultPort ? -1 : target.Port }.Uri;
    }

    private NetworkException StreamRefused(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.TooManyRequests => new NetworkException(FailureKind.RateLimited, $"{Network} is rate limiting this account's stream.",
            NetworkHttp.RetryAfterHeader(response, clock) ?? NetworkHttp.TimestampReset(response, "X-RateLimit-Reset", clock)),
        // 403: the token lacks read:notifications; the account must be connected again with it.
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new NetworkException(FailureKind.Auth, $"{Network} refused the account's token for its stream ({(int)response.StatusCode})."),
        HttpStatusCode.NotFound => new NetworkException(FailureKind.Content, $"{instance.Host} has no streaming API at its address; its mentions are polled."),
        >= HttpStatusCode.InternalServerError => new NetworkException(FailureKind.Retryable, $"{Network} answered {(int)response.StatusCode} to the stream."),
        _ => new NetworkException(FailureKind.Content, $"{Network} answered {(int)response.StatusCode} to the stream."),
    };

    /// <summary>Mastodon ids are decimal numbers of growing length; comparing length first orders them without parsing.</summary>
    public static int CompareIds(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    private static string? Newest(IEnumerable<JsonElement> items, string? cursor) =>
        items.Select(i => NetworkHttp.String(i, "id")).OfType<string>().Append(cursor).OfType<string>()
            .Aggregate((string?)null, (max, id) => max is null || CompareIds(id, max) > 0 ? id : max);

    private InboundPost? ToPost(JsonElement status)
    {
        if (NetworkHttp.String(status, "id") is not { } id || !status.TryGetProperty("account", out var author)
            || !DateTimeOffset.TryParse(NetworkHttp.String(status, "created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }

        // Only the parent is named; a thread's first post would take a context call per reply, so the parent stands for it.
        var parent = NetworkHttp.String(status, "in_reply_to_id");
        var mentions = status.TryGetProperty("mentions", out var named) && named.ValueKind == JsonValueKind.Array
            ? named.EnumerateArray().Select(m => NetworkHttp.String(m, "id")).OfType<string>().ToList()
            : [];
        return new InboundPost(
            id, "", WebAddress(NetworkHttp.String(status, "url")) ?? WebAddress(NetworkHttp.String(status, "uri")) ?? "", NetworkHttp.String(author, "id") ?? "",
            NetworkHttp.String(author, "acct") ?? "", MastodonPublicReader.TextOf(NetworkHttp.String(status, "content")) ?? "", at,
            parent is null ? null : new ReplyReference(new PostReference(parent, ""), new PostReference(parent, "")), mentions, null);
    }

    /// <summary>
    /// The address when it is a web address. A status's author may sit on any server, which may send any scheme;
    /// what Rounds shows as a link to the post must open a page, not run or embed something.
    /// </summary>
    private static string? WebAddress(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? text : null;

    /// <summary>Every item newer than <paramref name="sinceId"/>, following the Link header page by page, newest first.</summary>
    private async Task<List<JsonElement>> PagesAsync(string first, string? sinceId, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        var next = new Uri(instance, first + (sinceId is null ? "" : $"&since_id={Uri.EscapeDataString(sinceId)}"));
        for (var page = 0; page < MaxPages && next is not null; page++)
        {
            using var response = await GetAsync(next, ct);
            var found = await ReadAsync(response, ct);
            var reachedCursor = false;
            foreach (var item in found.EnumerateArray())
            {
                if (sinceId is not null && NetworkHttp.String(item, "id") is { } id && CompareIds(id, sinceId) <= 0)
                {
                    reachedCursor = true;
                    continue;
                }

                items.Add(item.Clone());
            }

            next = reachedCursor || found.GetArrayLength() == 0 ? null : NextPage(response);
            if (next is not null && Remaining(response) is { } left && left < ReserveRequests)
            {
                throw new NetworkException(FailureKind.RateLimited, $"{Network} has {left} requests left in this window; the read starts again after it.",
                    NetworkHttp.TimestampReset(response, "X-RateLimit-Reset", clock));
            }
        }

        return items;
    }

    /// <summary>The <c>rel="next"</c> address of the Link header, only when it stays on this instance.</summary>
    private Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (Match link in Links().Matches(string.Join(",", values)))
        {
            if (link.Groups["rel"].Value == "next" && Uri.TryCreate(link.Groups["url"].Value, UriKind.Absolute, out var url)
                && url.Scheme == instance.Scheme && url.Authority == instance.Authority)
            {
                return url;
            }
        }

        return null;
    }

    private static int? Remaining(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-RateLimit-Remaining", out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var left) ? left : null;

    [GeneratedRegex("<(?<url>[^>]+)>\\s*;\\s*rel=\"(?<rel>[^\"]+)\"")]
    private static partial Regex Links();

    private async Task<JsonElement> ReadOneAsync(string pathAndQuery, CancellationToken ct)
    {
        using var response = await GetAsync(new Uri(instance, pathAndQuery), ct);
        return await ReadAsync(response, ct);
    }

    private Task<HttpResponseMessage> GetAsync(Uri url, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return NetworkHttp.SendAsync(http, request, Network, publishing: false, ct);
    }

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new NetworkException(FailureKind.RateLimited, $"{Network} is rate limiting this account.",
                NetworkHttp.RetryAfterHeader(response, clock) ?? NetworkHttp.TimestampReset(response, "X-RateLimit-Reset", clock));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new NetworkException(response.StatusCode == HttpStatusCode.Unauthorized ? FailureKind.Auth : FailureKind.Content, $"{Network} answered {(int)response.StatusCode}.");
        }

        return await NetworkHttp.ReadJsonAsync(response, Network, ct);
    }
}
