using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rounds.Networks.Media;

namespace Rounds.Networks.Facebook;

/// <summary>
/// Publishes to a Facebook Page's feed through the Graph API (<see cref="NetworkCredentials.Service"/> is
/// https://graph.facebook.com, <see cref="NetworkCredentials.Identifier"/> the Page id, <see cref="NetworkCredentials.Secret"/>
/// a Page access token with pages_manage_posts and pages_read_engagement). The token travels in the
/// Authorization header, not the query string, so it stays out of request logs. Graph has no idempotency key;
/// it refuses a duplicate status (code 506), and <see cref="FindAsync"/> reads the Page's feed back.
/// </summary>
public sealed class FacebookConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    /// <summary>The Graph API version in every path. Meta supports a version for about two years.</summary>
    public const string GraphVersion = "v25.0";

    private const int ReadBackPages = 3;

    public string Network => "facebook";

    public PostLimits Limits => PostLimits.Facebook;

    private string PageId => credentials.Identifier.Length > 0 && credentials.Identifier.All(char.IsAsciiDigit)
        ? credentials.Identifier
        : throw new NetworkException(FailureKind.Auth, $"'{credentials.Identifier}' is not a Facebook Page id.");

    /// <summary>The Page's name, and the token's expiry as <c>debug_token</c> reports it (0 means it never expires).</summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        using var page = Request(HttpMethod.Get, $"{PageId}?fields=name");
        var name = NetworkHttp.String(await SendAsync(page, ct), "name") ?? PageId;

        // debug_token takes the token to inspect as a query parameter; there is no other way to ask.
        using var debug = Request(HttpMethod.Get, $"debug_token?input_token={Uri.EscapeDataString(credentials.Secret)}");
        var data = (await SendAsync(debug, ct)).GetProperty("data");
        if (data.TryGetProperty("is_valid", out var valid) && valid.ValueKind == JsonValueKind.False)
        {
            throw new NetworkException(FailureKind.Auth, "Facebook says the Page access token is no longer valid.");
        }

        var expires = data.TryGetProperty("expires_at", out var at) && at.TryGetInt64(out var seconds) && seconds > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return new ConnectionCheck(name, expires);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        if (request.ReplyTo is not null)
        {
            throw new NetworkException(FailureKind.Content, $"Rounds does not send replies to {Network} yet.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} characters; Facebook allows {Limits.MaxLength}.");
        }

        var pageId = PageId;
        MediaRules.NoVideo(request, "Facebook");
        var media = MediaRules.Prepare(request.Media, 10, "Facebook");
        var fields = new List<KeyValuePair<string, string>> { new("message", request.Text) };
        for (var i = 0; i < media.Count; i++)
        {
            var photo = await UploadAsync(pageId, media[i], ct);
            fields.Add(new($"attached_media[{i}]", $"{{\"media_fbid\":\"{photo}\"}}"));
        }

        using var message = Request(HttpMethod.Post, $"{pageId}/feed");
        message.Content = new FormUrlEncodedContent(fields);
        using var response = await NetworkHttp.SendAsync(http, message, "Facebook", publishing: true, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var json = NetworkHttp.TryParse(body);
        if (response.IsSuccessStatusCode && json is { } created && NetworkHttp.String(created, "id") is { } id)
        {
            return ToPublished(id);
        }

        var error = GraphError.Read(json);
        // Graph refuses a status it has just seen (code 506): after a lost answer, that is the earlier attempt's post.
        if (error.Code == 506 && await FindAsync(request, ct) is { } existing)
        {
            return existing;
        }

        throw Failure(response, error, publishing: true);
    }

    /// <summary>The earliest of the Page's posts since the first attempt whose message is the request's text.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var since = request.FirstAttemptAt - NetworkHttp.ReadBackSkew;
        var wanted = request.Text.ReplaceLineEndings("\n").Trim();
        string? match = null;
        string? after = null;
        for (var page = 0; page < ReadBackPages; page++)
        {
            using var message = Request(HttpMethod.Get, $"{PageId}/feed?fields=id,message,created_time&since={since.ToUnixTimeSeconds()}&limit=100"
                + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            var answer = await SendAsync(message, ct);
            foreach (var post in answer.GetProperty("data").EnumerateArray())
            {
                // Newest first: the last match is the earliest. Graph writes times as 2026-11-23T10:15:00+0000.
                var created = DateTimeOffset.ParseExact(post.GetProperty("created_time").GetString()!, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                if (created >= since && NetworkHttp.String(post, "message")?.ReplaceLineEndings("\n").Trim() == wanted)
                {
                    match = post.GetProperty("id").GetString();
                }
            }

            after = answer.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out _)
                && paging.TryGetProperty("cursors", out var cursors) ? NetworkHttp.String(cursors, "after") : null;
            if (after is null)
            {
                break;
            }
        }

        return match is null ? null : ToPublished(match);
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        using var message = Request(HttpMethod.Delete, Uri.EscapeDataString(post.Id));
        using var response = await NetworkHttp.SendAsync(http, message, "Facebook", publishing: false, ct);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        var error = GraphError.Read(NetworkHttp.TryParse(body));
        // Code 100 with subcode 33: the object does not exist (already deleted), which counts as deleted.
        if (error is not { Code: 100, Subcode: 33 })
        {
            throw Failure(response, error, publishing: false);
        }
    }

    /// <summary>Post ids are {page-id}_{post-id}; the public address is the Page's posts path.</summary>
    private static PublishedPost ToPublished(string id)
    {
        var parts = id.Split('_', 2);
        return new PublishedPost(id, parts.Length == 2 ? $"https://www.facebook.com/{parts[0]}/posts/{parts[1]}" : $"https://www.facebook.com/{id}");
    }

    /// <summary>
    /// Uploads the photo unpublished, so that it appears only as part of the feed post that attaches it, with
    /// its alt text in <c>alt_text_custom</c>.
    /// </summary>
    private async Task<string> UploadAsync(string pageId, MediaAttachment item, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(item.Content);
        file.Headers.ContentType = new MediaTypeHeaderValue(item.ContentType);
        form.Add(file, "source", "image");
        form.Add(new StringContent("false"), "published");
        form.Add(new StringContent(item.AltText), "alt_text_custom");
        using var upload = Request(HttpMethod.Post, $"{pageId}/photos");
        upload.Content = form;
        return NetworkHttp.String(await SendAsync(upload, ct), "id")
            ?? throw new NetworkException(FailureKind.Retryable, "Facebook did not return the uploaded photo's id.");
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(credentials.Service, $"/{GraphVersion}/{pathAndQuery}"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "Facebook", publishing: false, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var json = NetworkHttp.TryParse(body);
        if (response.IsSuccessStatusCode && json is { } answer)
        {
            return answer;
        }

        throw Failure(response, GraphError.Read(json), publishing: false);
    }

    private NetworkException Failure(HttpResponseMessage response, GraphError error, bool publishing)
    {
        var detail = $"Facebook answered {(int)response.StatusCode} (code {error.Code}{(error.Subcode is { } sub ? $"/{sub}" : "")}): {error.Message}";
        if (response.StatusCode == HttpStatusCode.TooManyRequests || error.Code is 4 or 17 or 32 or 613 or 80001)
        {
            return new NetworkException(FailureKind.RateLimited, detail, BusinessUseCaseWait(response) ?? NetworkHttp.RetryAfterHeader(response, clock));
        }

        // 190 invalid or expired token, 102 session; 10 and 200–299 a permission the token lacks.
        if (error.Code is 190 or 102 or 10 or (>= 200 and <= 299))
        {
            return new NetworkException(FailureKind.Auth, detail);
        }

        // 1 and 2 are Graph's own temporary failures.
        if (error.Code is 1 or 2 || error.Transient || response.StatusCode >= HttpStatusCode.InternalServerError)
        {
            return new NetworkException(FailureKind.Retryable, detail, NetworkHttp.RetryAfterHeader(response, clock), NetworkHttp.GatewayTimedOut(response, publishing));
        }

        return response.StatusCode == HttpStatusCode.Unauthorized
            ? new NetworkException(FailureKind.Auth, detail)
            : new NetworkException(FailureKind.Content, detail);
    }

    /// <summary>
    /// Page calls are limited per business use case; when one runs out, <c>X-Business-Use-Case-Usage</c> says in
    /// <c>estimated_time_to_regain_access</c> how many minutes until calls are allowed again:
    /// <c>{"{business-id}": [{"type": "pages", "estimated_time_to_regain_access": 5, …}]}</c>.
    /// </summary>
    private static TimeSpan? BusinessUseCaseWait(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-Business-Use-Case-Usage", out var values)
            || NetworkHttp.TryParse(values.FirstOrDefault() ?? "") is not { ValueKind: JsonValueKind.Object } usage)
        {
            return null;
        }

        var minutes = usage.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray())
            .Select(u => u.TryGetProperty("estimated_time_to_regain_access", out var m) && m.TryGetInt32(out var v) ? v : 0)
            .DefaultIfEmpty(0)
            .Max();
        return minutes > 0 ? TimeSpan.FromMinutes(minutes) : null;
    }

    /// <summary>Graph's error body: <c>{"error": {"message", "type", "code", "error_subcode", "is_transient"}}</c>.</summary>
    private sealed record GraphError(int Code, int? Subcode, string Message, bool Transient)
    {
        public static GraphError Read(JsonElement? json)
        {
            if (json is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return new GraphError(0, null, NetworkHttp.ErrorText(null), false);
            }

            return new GraphError(
                error.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : 0,
                error.TryGetProperty("error_subcode", out var sub) && sub.TryGetInt32(out var s) ? s : null,
                NetworkHttp.ErrorText(NetworkHttp.String(error, "message")),
                error.TryGetProperty("is_transient", out var transient) && transient.ValueKind == JsonValueKind.True);
        }
    }
}
