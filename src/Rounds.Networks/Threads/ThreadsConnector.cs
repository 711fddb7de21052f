using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Rounds.Networks.Threads;

/// <summary>
/// Publishes text posts to a Threads profile through the Threads API (<see cref="NetworkCredentials.Service"/> is
/// https://graph.threads.net, <see cref="NetworkCredentials.Identifier"/> the Threads user id,
/// <see cref="NetworkCredentials.Secret"/> a user access token with threads_basic and threads_content_publish).
/// A post is made in two steps: a TEXT media container (<c>POST /{user-id}/threads</c>), then
/// <c>POST /{user-id}/threads_publish</c> with its id. Threads fetches images from a public address of the
/// caller's and Rounds serves post images to signed-in people only, so a post with images is refused here; the
/// publisher hands such a copy to the account's owners instead. Threads has no idempotency key and no refusal of
/// a duplicate: every publish reads the profile's threads since the first attempt first, so a retry after a lost
/// answer returns the post that attempt made.
/// </summary>
public sealed class ThreadsConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    /// <summary>The Threads API version in every path.</summary>
    public const string ApiVersion = "v1.0";

    private const int ReadBackPages = 3;

    public string Network => "threads";

    public PostLimits Limits => PostLimits.Threads;

    private string UserId => credentials.Identifier.Length > 0 && credentials.Identifier.All(char.IsAsciiDigit)
        ? credentials.Identifier
        : throw new NetworkException(FailureKind.Auth, $"'{credentials.Identifier}' is not a Threads user id.");

    /// <summary>The profile's username; the token's expiry is not reported by this call.</summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        using var profile = Request(HttpMethod.Get, $"{UserId}?fields=id,username");
        var answer = await SendAsync(profile, publishing: false, ct);
        return new ConnectionCheck(NetworkHttp.String(answer, "username") is { Length: > 0 } name ? "@" + name : UserId, null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        if (request.ReplyTo is not null)
        {
            throw new NetworkException(FailureKind.Content, $"Rounds does not send replies to {Network} yet.");
        }

        Media.MediaRules.NoVideo(request, "Threads");
        if (request.Media is { Count: > 0 })
        {
            throw new NetworkException(FailureKind.Content, "Threads takes images only from a public address, and Rounds keeps post images private: post this copy by hand.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} characters as Threads counts them; Threads allows {Limits.MaxLength}.");
        }

        if (request.Text.Trim().Length == 0)
        {
            throw new NetworkException(FailureKind.Content, "A Threads text post needs text.");
        }

        var userId = UserId;
        if (await FindAsync(request, ct) is { } existing)
        {
            return existing;
        }

        using var container = Request(HttpMethod.Post, $"{userId}/threads");
        container.Content = new FormUrlEncodedContent([new("media_type", "TEXT"), new("text", request.Text)]);
        var creationId = NetworkHttp.String(await SendAsync(container, publishing: false, ct), "id")
            ?? throw new NetworkException(FailureKind.Retryable, "Threads did not return the media container's id.");

        using var publish = Request(HttpMethod.Post, $"{userId}/threads_publish");
        publish.Content = new FormUrlEncodedContent([new("creation_id", creationId)]);
        var id = NetworkHttp.String(await SendAsync(publish, publishing: true, ct), "id")
            ?? throw new NetworkException(FailureKind.Retryable, "Threads did not return the published post's id.", outcomeUnknown: true);

        // The public address is the post's permalink, which only a read of the post gives.
        using var read = Request(HttpMethod.Get, $"{Uri.EscapeDataString(id)}?fields=id,permalink");
        try
        {
            return new PublishedPost(id, NetworkHttp.String(await SendAsync(read, publishing: false, ct), "permalink") ?? FallbackUrl(id));
        }
        catch (NetworkException)
        {
            // The post is out; an address for it is not worth publishing it again.
            return new PublishedPost(id, FallbackUrl(id));
        }
    }

    /// <summary>The earliest of the profile's threads since the first attempt whose text is the request's.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var since = request.FirstAttemptAt - NetworkHttp.ReadBackSkew;
        var wanted = request.Text.ReplaceLineEndings("\n").Trim();
        PublishedPost? match = null;
        string? after = null;
        for (var page = 0; page < ReadBackPages; page++)
        {
            using var message = Request(HttpMethod.Get, $"{UserId}/threads?fields=id,text,timestamp,permalink&since={since.ToUnixTimeSeconds()}&limit=100"
                + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            var answer = await SendAsync(message, publishing: false, ct);
            foreach (var post in answer.GetProperty("data").EnumerateArray())
            {
                // Newest first: the last match is the earliest. Times are written as 2026-11-23T10:15:00+0000.
                var created = DateTimeOffset.ParseExact(post.GetProperty("timestamp").GetString()!, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                if (created >= since && NetworkHttp.String(post, "text")?.ReplaceLineEndings("\n").Trim() == wanted)
                {
                    var id = post.GetProperty("id").GetString()!;
                    match = new PublishedPost(id, NetworkHttp.String(post, "permalink") ?? FallbackUrl(id));
                }
            }

            after = answer.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out _)
                && paging.TryGetProperty("cursors", out var cursors) ? NetworkHttp.String(cursors, "after") : null;
            if (after is null)
            {
                break;
            }
        }

        return match;
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        using var message = Request(HttpMethod.Delete, Uri.EscapeDataString(post.Id));
        using var response = await NetworkHttp.SendAsync(http, message, "Threads", publishing: false, ct);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = GraphError.Read(NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct)));
        // Code 100 with subcode 33: the post does not exist (already deleted), which counts as deleted.
        if (error is not { Code: 100, Subcode: 33 })
        {
            throw Failure(response, error, publishing: false);
        }
    }

    /// <summary>Used only when the permalink cannot be read: Threads redirects a post id's address to the post.</summary>
    private static string FallbackUrl(string id) => $"https://www.threads.net/t/{Uri.EscapeDataString(id)}";

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(credentials.Service, $"/{ApiVersion}/{pathAndQuery}"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, bool publishing, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "Threads", publishing, ct);
        var json = NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct));
        if (response.IsSuccessStatusCode && json is { } answer)
        {
            return answer;
        }

        throw Failure(response, GraphError.Read(json), publishing);
    }

    private NetworkException Failure(HttpResponseMessage response, GraphError error, bool publishing)
    {
        var detail = $"Threads answered {(int)response.StatusCode} (code {error.Code}{(error.Subcode is { } sub ? $"/{sub}" : "")}): {error.Message}";
        // 4, 17, 32 and 613 are the Graph rate limits; publishing is also capped per profile per 24 hours.
        if (response.StatusCode == HttpStatusCode.TooManyRequests || error.Code is 4 or 17 or 32 or 613)
        {
            return new NetworkException(FailureKind.RateLimited, detail, NetworkHttp.RetryAfterHeader(response, clock));
        }

        if (error.Code is 190 or 102 or 10 or (>= 200 and <= 299) || response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new NetworkException(FailureKind.Auth, detail);
        }

        if (error.Code is 1 or 2 || error.Transient || response.StatusCode >= HttpStatusCode.InternalServerError)
        {
            return new NetworkException(FailureKind.Retryable, detail, NetworkHttp.RetryAfterHeader(response, clock), NetworkHttp.GatewayTimedOut(response, publishing));
        }

        return new NetworkException(FailureKind.Content, detail);
    }

    /// <summary>The Graph error body Threads answers with: <c>{"error": {"message", "type", "code", "error_subcode", "is_transient"}}</c>.</summary>
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
