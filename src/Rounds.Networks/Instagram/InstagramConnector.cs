using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rounds.Networks.Media;

namespace Rounds.Networks.Instagram;

/// <summary>
/// Publishes image posts to an Instagram professional account through the Instagram Graph API's content publishing
/// (<see cref="NetworkCredentials.Service"/> is https://graph.facebook.com, <see cref="NetworkCredentials.Identifier"/>
/// the IG user id, <see cref="NetworkCredentials.Secret"/> a user access token with instagram_basic and
/// instagram_content_publish). Instagram fetches every image itself from a public address, so each image must
/// carry <see cref="MediaAttachment.PublicUrl"/>. A post is made in steps: a media container per image
/// (<c>POST /{ig-user-id}/media</c> with image_url and caption; for several images, item containers with
/// is_carousel_item, then a CAROUSEL container with their ids as children), a wait until the container's
/// status_code is FINISHED, then <c>POST /{ig-user-id}/media_publish</c> with its id. The account's 24-hour
/// publishing quota (<c>GET /{ig-user-id}/content_publishing_limit</c>) is read first, and a spent quota is a rate
/// limit. Instagram has no idempotency key and no refusal of a duplicate: every publish reads the account's
/// media since the first attempt first, so a retry after a lost answer returns the post that attempt made.
/// </summary>
public sealed class InstagramConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    /// <summary>The Graph API version in every path.</summary>
    public const string ApiVersion = "v23.0";

    /// <summary>A carousel holds at most ten images.</summary>
    public const int MaxImages = 10;

    /// <summary>
    /// How long to wait between looks at a container's status, and how many looks to take: images are usually
    /// ready at once, and a container still not ready after a minute is retried later with a new one.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public const int MaxPolls = 30;

    /// <summary>
    /// When the quota is spent Instagram does not say when a post leaves the 24-hour window; the account is
    /// looked at again after this long.
    /// </summary>
    public static readonly TimeSpan QuotaWait = TimeSpan.FromHours(1);

    private const int ReadBackPages = 3;

    public string Network => "instagram";

    public PostLimits Limits => PostLimits.Instagram;

    private string UserId => credentials.Identifier.Length > 0 && credentials.Identifier.All(char.IsAsciiDigit)
        ? credentials.Identifier
        : throw new NetworkException(FailureKind.Auth, $"'{credentials.Identifier}' is not an Instagram user id (the number of the professional account).");

    /// <summary>The account's username; the token's expiry is not reported by this call.</summary>
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
            throw new NetworkException(FailureKind.Content, $"Rounds does not send replies to {Network}.");
        }

        MediaRules.NoVideo(request, "Instagram");
        var images = Check(request);
        var userId = UserId;
        if (await FindAsync(request, ct) is { } existing)
        {
            return existing;
        }

        await CheckQuotaAsync(userId, ct);

        string creationId;
        if (images.Count == 1)
        {
            creationId = await CreateContainerAsync(userId, ImageFields(images[0], carouselItem: false).Append(new("caption", request.Text)), ct);
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

            creationId = await CreateContainerAsync(userId,
                [new("media_type", "CAROUSEL"), new("children", string.Join(',', children)), new("caption", request.Text)], ct);
        }

        await WaitUntilReadyAsync(creationId, ct);

        using var publish = Request(HttpMethod.Post, $"{userId}/media_publish");
        publish.Content = new FormUrlEncodedContent([new("creation_id", creationId)]);
        var id = NetworkHttp.String(await SendAsync(publish, publishing: true, ct), "id")
            ?? throw new NetworkException(FailureKind.Retryable, "Instagram did not return the published post's id.", outcomeUnknown: true);

        // The public address is the post's permalink, which only a read of the post gives.
        using var read = Request(HttpMethod.Get, $"{Uri.EscapeDataString(id)}?fields=id,permalink");
        try
        {
            return new PublishedPost(id, NetworkHttp.String(await SendAsync(read, publishing: false, ct), "permalink") ?? FallbackUrl(userId));
        }
        catch (NetworkException)
        {
            // The post is out; an address for it is not worth publishing it again.
            return new PublishedPost(id, FallbackUrl(userId));
        }
    }

    /// <summary>The earliest of the account's media since the first attempt whose caption is the request's text.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var since = request.FirstAttemptAt - NetworkHttp.ReadBackSkew;
        var wanted = request.Text.ReplaceLineEndings("\n").Trim();
        PublishedPost? match = null;
        string? after = null;
        for (var page = 0; page < ReadBackPages; page++)
        {
            using var message = Request(HttpMethod.Get, $"{UserId}/media?fields=id,caption,timestamp,permalink&since={since.ToUnixTimeSeconds()}&limit=50"
                + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            var answer = await SendAsync(message, publishing: false, ct);
            foreach (var media in answer.GetProperty("data").EnumerateArray())
            {
                // Newest first: the last match is the earliest. Times are written as 2026-11-23T10:15:00+0000.
                var created = DateTimeOffset.ParseExact(media.GetProperty("timestamp").GetString()!, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                if (created >= since && (NetworkHttp.String(media, "caption") ?? "").ReplaceLineEndings("\n").Trim() == wanted)
                {
                    var id = media.GetProperty("id").GetString()!;
                    match = new PublishedPost(id, NetworkHttp.String(media, "permalink") ?? FallbackUrl(UserId));
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

    /// <summary>The Instagram Graph API cannot delete a published post: it is deleted in the Instagram app.</summary>
    public Task DeleteAsync(PublishedPost post, CancellationToken ct = default) =>
        throw new NetworkException(FailureKind.Content, $"Instagram's API does not delete posts; delete {post.Url} in the Instagram app.");

    /// <summary>Everything Instagram would refuse is refused here, before any call.</summary>
    private IReadOnlyList<MediaAttachment> Check(PublishRequest request)
    {
        if (request.Media is not { Count: > 0 })
        {
            throw new NetworkException(FailureKind.Content, "An Instagram post needs at least one image.");
        }

        var images = MediaRules.Prepare(request.Media, MaxImages, "Instagram");
        foreach (var image in images)
        {
            // Instagram's content publishing takes JPEG images only.
            if (!image.ContentType.Equals("image/jpeg", StringComparison.OrdinalIgnoreCase))
            {
                throw new NetworkException(FailureKind.Content, $"Instagram takes JPEG images only; this post has a {image.ContentType} image.");
            }

            if (image.PublicUrl is not { Scheme: "https" or "http" })
            {
                throw new NetworkException(FailureKind.Content, "Instagram fetches each image from a public address, and this image has none.");
            }
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The caption is {Limits.Measure(request.Text)} characters; Instagram allows {Limits.MaxLength}.");
        }

        return images;
    }

    private static IEnumerable<KeyValuePair<string, string>> ImageFields(MediaAttachment image, bool carouselItem)
    {
        yield return new("image_url", image.PublicUrl!.AbsoluteUri);
        yield return new("alt_text", image.AltText);
        if (carouselItem)
        {
            yield return new("is_carousel_item", "true");
        }
    }

    /// <summary>A spent quota is a rate limit on the account, told before any container is made.</summary>
    private async Task CheckQuotaAsync(string userId, CancellationToken ct)
    {
        using var message = Request(HttpMethod.Get, $"{userId}/content_publishing_limit?fields=quota_usage,config");
        var answer = await SendAsync(message, publishing: false, ct);
        if (!answer.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            return;
        }

        var limit = data[0];
        var used = limit.TryGetProperty("quota_usage", out var usage) && usage.TryGetInt32(out var u) ? u : 0;
        var total = limit.TryGetProperty("config", out var config) && config.TryGetProperty("quota_total", out var t) && t.TryGetInt32(out var q) ? q : int.MaxValue;
        if (used >= total)
        {
            throw new NetworkException(FailureKind.RateLimited, $"The account has published {used} of the {total} posts Instagram allows in 24 hours.", QuotaWait);
        }
    }

    private async Task<string> CreateContainerAsync(string userId, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        using var container = Request(HttpMethod.Post, $"{userId}/media");
        container.Content = new FormUrlEncodedContent(fields);
        return NetworkHttp.String(await SendAsync(container, publishing: false, ct), "id")
            ?? throw new NetworkException(FailureKind.Retryable, "Instagram did not return the media container's id.");
    }

    /// <summary>
    /// Waits for Instagram to have fetched and processed the container's media. ERROR means Instagram could not use
    /// the image, which another try will not change; EXPIRED and a container never ready are tried again with new
    /// containers.
    /// </summary>
    private async Task WaitUntilReadyAsync(string containerId, CancellationToken ct)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            using var message = Request(HttpMethod.Get, $"{Uri.EscapeDataString(containerId)}?fields=status_code,status");
            var answer = await SendAsync(message, publishing: false, ct);
            switch (NetworkHttp.String(answer, "status_code"))
            {
                case "FINISHED":
                case "PUBLISHED":
                    return;
                case "ERROR":
                    throw new NetworkException(FailureKind.Content, $"Instagram could not use the post's media: {NetworkHttp.ErrorText(NetworkHttp.String(answer, "status"))}");
                case "EXPIRED":
                    throw new NetworkException(FailureKind.Retryable, "Instagram's media container expired before it was published.");
            }

            await Task.Delay(PollInterval, clock, ct);
        }

        throw new NetworkException(FailureKind.Retryable, $"Instagram had not processed the post's media after {(PollInterval * MaxPolls).TotalSeconds:0} seconds.");
    }

    /// <summary>Used only when the permalink cannot be read: the account's profile, where the post is first.</summary>
    private static string FallbackUrl(string userId) => $"https://www.instagram.com/{Uri.EscapeDataString(userId)}";

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(credentials.Service, $"/{ApiVersion}/{pathAndQuery}"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, bool publishing, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "Instagram", publishing, ct);
        var json = NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct));
        if (response.IsSuccessStatusCode && json is { } answer)
        {
            return answer;
        }

        throw Failure(response, GraphError.Read(json), publishing);
    }

    private NetworkException Failure(HttpResponseMessage response, GraphError error, bool publishing)
    {
        var detail = $"Instagram answered {(int)response.StatusCode} (code {error.Code}{(error.Subcode is { } sub ? $"/{sub}" : "")}): {error.Message}";
        // 4, 17, 32 and 613 are the Graph rate limits; 9 with subcode 2207042 is the account's publishing quota spent.
        if (response.StatusCode == HttpStatusCode.TooManyRequests || error.Code is 4 or 17 or 32 or 613 || error is { Code: 9, Subcode: 2207042 })
        {
            return new NetworkException(FailureKind.RateLimited, detail, NetworkHttp.RetryAfterHeader(response, clock) ?? (error.Code == 9 ? QuotaWait : null));
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

    /// <summary>The Graph error body: <c>{"error": {"message", "type", "code", "error_subcode", "is_transient"}}</c>.</summary>
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
