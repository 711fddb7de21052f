using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rounds.Networks.YouTube;

/// <summary>
/// Uploads a post's video to a YouTube channel through the YouTube Data API v3 (<see cref="NetworkCredentials.Service"/>
/// is https://www.googleapis.com, <see cref="NetworkCredentials.Identifier"/> the channel id,
/// <see cref="NetworkCredentials.Secret"/> an OAuth access token with the youtube.upload scope). The upload follows
/// Google's resumable upload protocol: <c>POST /upload/youtube/v3/videos?uploadType=resumable&amp;part=snippet,status</c>
/// with the video's metadata (the title, the copy's text as its description, public) starts a session whose address
/// comes back in <c>Location</c>; the bytes follow in <c>PUT</c> requests of whole multiples of 256 KiB with
/// <c>Content-Range</c>, each answered <c>308 Resume Incomplete</c> with the <c>Range</c> the server holds, until the
/// last is answered with the video resource. After a broken chunk the connector asks where the upload stands
/// (<c>Content-Range: bytes */TOTAL</c>) and resumes from there. The session address is handed to the caller before
/// any byte is sent, so a later attempt resumes that upload or finds the video it finished, and never uploads twice.
/// </summary>
public sealed class YouTubeConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    /// <summary>Chunks must be whole multiples of this, except the last.</summary>
    public const int ChunkUnit = 256 * 1024;

    /// <summary>The longest title YouTube accepts.</summary>
    public const int MaxTitle = 100;

    /// <summary>How many broken exchanges in a row one attempt rides out before leaving the rest to the next attempt.</summary>
    private const int MaxBrokenExchanges = 3;

    /// <summary>8 MiB: few requests for a large file, and a chunk small enough to hold in memory while it is sent.</summary>
    public int ChunkSize { get; init; } = 32 * ChunkUnit;

    public string Network => "youtube";

    public PostLimits Limits => PostLimits.YouTube;

    /// <summary>The channel the token belongs to; it must be the account's channel.</summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        using var message = Api(HttpMethod.Get, "youtube/v3/channels?part=snippet&mine=true");
        using var response = await NetworkHttp.SendAsync(http, message, "YouTube", publishing: false, ct);
        var json = NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct));
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, json, publishing: false);
        }

        if (json is not { } answer || !answer.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            throw new NetworkException(FailureKind.Auth, "The token belongs to a Google account without a YouTube channel.");
        }

        var channel = items[0];
        var id = NetworkHttp.Required(channel, "id", "YouTube");
        if (credentials.Identifier.Length > 0 && id != credentials.Identifier)
        {
            throw new NetworkException(FailureKind.Auth, $"The token belongs to channel {id}, not {credentials.Identifier}.");
        }

        var title = channel.TryGetProperty("snippet", out var snippet) ? NetworkHttp.String(snippet, "title") : null;
        return new ConnectionCheck(title is { Length: > 0 } ? title : id, null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        var video = Check(request);

        Uri? session = null;
        long offset = 0;
        if (video.Session is { } stored)
        {
            switch (await StatusAsync(stored, video.Length, ct))
            {
                case { Video: { } done }:
                    return done;
                case { Held: { } held } when held < video.Length:
                    (session, offset) = (stored, held);
                    break;
                case { Held: not null }:
                    // Every byte is there but no video was named: there is no chunk left to send, and a new upload
                    // could make a second video, so the outcome stays unknown until YouTube answers the status.
                    throw new NetworkException(FailureKind.Retryable, "YouTube holds every byte but has not answered with the video.", outcomeUnknown: true);
            }
        }

        if (session is null)
        {
            session = await StartAsync(request, video, ct);
            if (video.SessionStarted is { } store)
            {
                await store(session, ct);
            }
        }

        // A broken exchange (a chunk or a status query) is followed by a status query; only a run of them without
        // progress gives up, leaving the stored session for the next attempt.
        var broken = 0;
        var ask = false;
        while (true)
        {
            Upload step;
            try
            {
                step = ask ? await StatusAsync(session, video.Length, ct) : await SendChunkAsync(session, video, offset, ct);
                ask = false;
            }
            catch (NetworkException e) when (e.Kind == FailureKind.Retryable && ++broken <= MaxBrokenExchanges)
            {
                ask = true;
                continue;
            }

            switch (step)
            {
                case { Video: { } done }:
                    return done;
                case { Held: { } held } when held < video.Length:
                    broken = held > offset ? 0 : broken;
                    offset = held;
                    break;
                case { Held: not null }:
                    throw new NetworkException(FailureKind.Retryable, "YouTube holds every byte but has not answered with the video.", outcomeUnknown: true);
                default:
                    throw new NetworkException(FailureKind.Retryable, "YouTube no longer knows the upload session; the next attempt starts it again.");
            }
        }
    }

    /// <summary>The video a stored upload session finished, if it did.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default) =>
        request.Video is { Session: { } session } video ? (await StatusAsync(session, video.Length, ct)).Video : null;

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        using var message = Api(HttpMethod.Delete, $"youtube/v3/videos?id={Uri.EscapeDataString(post.Id)}");
        using var response = await NetworkHttp.SendAsync(http, message, "YouTube", publishing: false, ct);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        throw Failure(response, NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct)), publishing: false);
    }

    public static string WatchUrl(string id) => $"https://www.youtube.com/watch?v={Uri.EscapeDataString(id)}";

    /// <summary>Everything YouTube would refuse is refused before the session is started, so nothing is left half-uploaded.</summary>
    private VideoAttachment Check(PublishRequest request)
    {
        if (request.ReplyTo is not null)
        {
            throw new NetworkException(FailureKind.Content, "Rounds does not send replies to YouTube.");
        }

        if (request.Video is not { } video)
        {
            throw new NetworkException(FailureKind.Content, "A YouTube post is a video, and this post has none: attach one or post this copy by hand.");
        }

        if (request.Media is { Count: > 0 })
        {
            throw new NetworkException(FailureKind.Content, "YouTube takes a video, not images: post this copy by hand.");
        }

        var title = video.Title.Trim();
        if (title.Length == 0 || title.Length > MaxTitle || title.Contains('<') || title.Contains('>'))
        {
            throw new NetworkException(FailureKind.Content, $"A YouTube title needs 1 to {MaxTitle} characters and no < or >.");
        }

        if (!Limits.Fits(request.Text) || Encoding.UTF8.GetByteCount(request.Text) > Limits.MaxLength)
        {
            throw new NetworkException(FailureKind.Content, $"A YouTube description is at most {Limits.MaxLength:N0} bytes.");
        }

        if (request.Text.Contains('<') || request.Text.Contains('>'))
        {
            throw new NetworkException(FailureKind.Content, "YouTube refuses < and > in a description.");
        }

        if (video.Length <= 0)
        {
            throw new NetworkException(FailureKind.Content, "The video is empty.");
        }

        return video;
    }

    private async Task<Uri> StartAsync(PublishRequest request, VideoAttachment video, CancellationToken ct)
    {
        var metadata = new JsonObject
        {
            ["snippet"] = new JsonObject { ["title"] = video.Title.Trim(), ["description"] = request.Text },
            ["status"] = new JsonObject { ["privacyStatus"] = "public", ["selfDeclaredMadeForKids"] = false },
        };
        using var message = Api(HttpMethod.Post, "upload/youtube/v3/videos?uploadType=resumable&part=snippet,status");
        message.Content = new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json");
        message.Headers.Add("X-Upload-Content-Length", video.Length.ToString(CultureInfo.InvariantCulture));
        message.Headers.Add("X-Upload-Content-Type", video.ContentType);

        // No video exists until its last byte arrives, so a lost answer here leaves nothing to find.
        using var response = await NetworkHttp.SendAsync(http, message, "YouTube", publishing: false, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct)), publishing: false);
        }

        return response.Headers.Location is { } location && OnService(location, out var session)
            ? session
            : throw new NetworkException(FailureKind.Retryable, "YouTube started an upload without a session address on its own host; check the service address.");
    }

    /// <summary>
    /// A session address is used only on the API's own host, so a stored or answered address cannot send the
    /// token or the video anywhere else.
    /// </summary>
    private bool OnService(Uri location, out Uri session)
    {
        session = location.IsAbsoluteUri ? location : new Uri(credentials.Service, location);
        return session.Scheme == credentials.Service.Scheme && session.Authority == credentials.Service.Authority;
    }

    private async Task<Upload> SendChunkAsync(Uri session, VideoAttachment video, long offset, CancellationToken ct)
    {
        var length = (int)Math.Min(ChunkSize, video.Length - offset);
        var chunk = new byte[length];
        await using (var source = await video.OpenAt(offset, ct))
        {
            await source.ReadExactlyAsync(chunk, ct);
        }

        using var message = Put(session);
        message.Content = new ByteArrayContent(chunk);
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(video.ContentType);
        message.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + length - 1, video.Length);
        return await ReadUploadAsync(message, video.Length, ct);
    }

    /// <summary>Where an upload stands: an empty <c>PUT</c> with <c>Content-Range: bytes */TOTAL</c>.</summary>
    private async Task<Upload> StatusAsync(Uri session, long total, CancellationToken ct)
    {
        if (!OnService(session, out session))
        {
            return new Upload(null, null);
        }

        using var message = Put(session);
        message.Content = new ByteArrayContent([]);
        message.Content.Headers.ContentRange = new ContentRangeHeaderValue(total);
        return await ReadUploadAsync(message, total, ct);
    }

    private async Task<Upload> ReadUploadAsync(HttpRequestMessage message, long total, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, message, "YouTube", publishing: true, ct);
        if (response.StatusCode == (HttpStatusCode)308)
        {
            // "Range: bytes=0-N" is what the server holds; no Range means nothing yet.
            var held = response.Headers.TryGetValues("Range", out var values) && values.FirstOrDefault() is { } range
                && range.StartsWith("bytes=0-", StringComparison.Ordinal)
                && long.TryParse(range["bytes=0-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                ? last + 1
                : 0;
            return held <= total ? new Upload(null, held) : throw new NetworkException(FailureKind.Retryable, "YouTube reported more bytes than the video has.");
        }

        var json = NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct));
        if (response.IsSuccessStatusCode)
        {
            var id = json is { } video ? NetworkHttp.String(video, "id") : null;
            return id is { Length: > 0 }
                ? new Upload(new PublishedPost(id, WatchUrl(id)), null)
                : throw new NetworkException(FailureKind.Retryable, "YouTube finished the upload without the video's id.", outcomeUnknown: true);
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The session expired or was never finished: no video was made from it.
            return new Upload(null, null);
        }

        throw Failure(response, json, publishing: true);
    }

    private HttpRequestMessage Api(HttpMethod method, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(credentials.Service, pathAndQuery));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    private HttpRequestMessage Put(Uri session)
    {
        var message = new HttpRequestMessage(HttpMethod.Put, session);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    /// <summary>Google's error body: <c>{"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}</c>.</summary>
    private NetworkException Failure(HttpResponseMessage response, JsonElement? json, bool publishing)
    {
        var reason = json is { } body && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            ? NetworkHttp.String(errors[0], "reason")
            : null;
        var detail = $"YouTube answered {(int)response.StatusCode}{(reason is null ? "" : $" ({NetworkHttp.ErrorText(reason)})")}.";
        if (reason is "quotaExceeded" or "dailyLimitExceeded" or "uploadLimitExceeded")
        {
            // The project's quota and a channel's daily uploads both turn at midnight Pacific time.
            return new NetworkException(FailureKind.RateLimited, detail, NetworkHttp.RetryAfterHeader(response, clock) ?? YouTubeQuota.UntilReset(clock));
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests || reason is "rateLimitExceeded" or "userRateLimitExceeded")
        {
            return new NetworkException(FailureKind.RateLimited, detail, NetworkHttp.RetryAfterHeader(response, clock));
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized || reason is "forbidden" or "authError" or "insufficientPermissions" or "youtubeSignupRequired")
        {
            return new NetworkException(FailureKind.Auth, detail);
        }

        if (response.StatusCode >= HttpStatusCode.InternalServerError || reason is "backendError")
        {
            return new NetworkException(FailureKind.Retryable, detail, NetworkHttp.RetryAfterHeader(response, clock), NetworkHttp.GatewayTimedOut(response, publishing));
        }

        return new NetworkException(FailureKind.Content, detail);
    }

    /// <summary>An upload's state: finished (<see cref="Video"/>), held up to <see cref="Held"/> bytes, or unknown (neither).</summary>
    private sealed record Upload(PublishedPost? Video, long? Held);
}
