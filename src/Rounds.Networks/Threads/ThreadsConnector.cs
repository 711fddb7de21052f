using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rounds.Networks.Media;

namespace Rounds.Networks.Threads;

/// <summary>
/// Publishes posts to a Threads profile through the Threads API (<see cref="NetworkCredentials.Service"/> is
/// https://graph.threads.net, <see cref="NetworkCredentials.Identifier"/> the Threads user id,
/// <see cref="NetworkCredentials.Secret"/> a user access token with threads_basic and threads_content_publish).
/// A post is made in two steps: a media container (<c>POST /{user-id}/threads</c>: TEXT; IMAGE with an image_url;
/// for several images, IMAGE carousel items, then a CAROUSEL container with their ids as children), then
/// <c>POST /{user-id}/threads_publish</c> with its id once the container's status is FINISHED. Threads fetches
/// each image itself, so each must carry <see cref="MediaAttachment.PublicUrl"/>. Threads has no idempotency key
/// and no refusal of a duplicate: every publish reads the profile's threads since the first attempt first, so a
/// retry after a lost answer returns the post that attempt made.
/// </summary>
public sealed class ThreadsConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    /// <summary>The Threads API version in every path.</summary>
    public const string ApiVersion = "v1.0";

    /// <summary>A carousel holds at most twenty images.</summary>
    public const int MaxImages = 20;

    /// <summary>How long to wait between looks at an image container's status, and how many looks to take.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public const int MaxPolls = 30;

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

        MediaRules.NoVideo(request, "Threads");
        var images = MediaRules.Prepare(request.Media, MaxImages, "Threads");
        foreach (var image in images)
        {
            if (image.PublicUrl is not { Scheme: "https" or "http" })
            {
                throw new NetworkException(FailureKind.Content, "Threads fetches each image from a public address, and this image has none.");
            }

            if (image.ContentType is not ("image/jpeg" or "image/png"))
            {
                throw new NetworkException(FailureKind.Content, $"Threads takes JPEG and PNG images only; this post has a {image.ContentType} image.");
            }
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} characters as Threads counts them; Threads allows {Limits.MaxLength}.");
        }

        if (request.Text.Trim().Length == 0)
        {
            throw new NetworkException(FailureKind.Content, "A Threads post needs text.");
        }

        var userId = UserId;
        if (await FindAsync(request, ct) is { } existing)
        {
            return existing;
        }

        string creationId;
        if (images.Count == 0)
        {
            creationId = await CreateContainerAsync(userId, [new("media_type", "TEXT"), new("text", request.Text)], ct);
        }
        else if (images.Count == 1)
        {
            creationId = await CreateContainerAsync(userId, ImageFields(images[0], carouselItem: false).Append(new("text", request.Text)), ct);
            await WaitUntilReadyAsync(creationId, ct);
        }
        else
        {
            var children = new List<string>();
            foreach (var image in images)
            {
                children.Add(await CreateContainerAsync(userId, ImageFields(image, carouselItem: true), ct));
            }

            foreach (var child in children)
            {
                await WaitUntilReadyAsync(child, ct);
            }

            creationId = await CreateContainerAsync(userId, [new("media_type", "CAROUSEL"), new("children", string.Join(',', children)), new("text", request.Text)], ct);
            await WaitUntilReadyAsync(creationId, ct);
        }

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

    private static IEnumerable<KeyValuePair<string, string>> ImageFields(MediaAttachment image, bool carouselItem)
    {
        yield return new("media_type", "IMAGE");
        yield return new("image_url", image.PublicUrl!.AbsoluteUri);
        yield return new("alt_text", image.AltText);
        if (carouselItem)
        {
            yield return new("is_carousel_item", "true");
        }
    }

    private async Task<string> CreateContainerAsync(string userId, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        using var container = Request(HttpMethod.Post, $"{userId}/threads");
        container.Content = new FormUrlEncodedContent(fields);
        return NetworkHttp.String(await SendAsync(container, publishing: false, ct), "id")
            ?? throw new NetworkException(FailureKind.Retryable, "Threads did not return the media container's id.");
    }

    /// <summary>
    /// Waits for Threads to have fetched and processed an image container. ERROR means Threads could not use the
    /// image, which another try will not change; EXPIRED and a container never ready are tried again with new ones.
    /// </summary>
    private async Task WaitUntilReadyAsync(string containerId, CancellationToken ct)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            using var message = Request(HttpMethod.Get, $"{Uri.EscapeDataString(containerId)}?fields=status,error_message");
            var answer = await SendAsync(message, publishing: false, ct);
            switch (NetworkHttp.String(answer, "status"))
            {
                case "FINISHED":
                case "PUBLISHED":
                    return;
                case "ERROR":
                    throw new NetworkException(FailureKind.Content, $"Threads could not use the post's image: {NetworkHttp.ErrorText(NetworkHttp.String(answer, "error_message"))}");
                case "EXPIRED":
                    throw new NetworkException(FailureKind.Retryable, "Threads' media container expired before it was published.");
            }

            await Task.Delay(PollInterval, clock, ct);
        }

        throw new NetworkException(FailureKind.Retryable, $"Threads had not processed the post's images after {(PollInterval * MaxPolls).TotalSeconds:0} seconds.");
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
