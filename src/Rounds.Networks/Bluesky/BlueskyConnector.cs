using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rounds.Networks.Bluesky;

/// <summary>A Bluesky account: its PDS (e.g. https://bsky.social), handle or DID, and an app password.</summary>
public sealed record BlueskyCredentials(Uri Service, string Identifier, string AppPassword);

/// <summary>
/// Publishes to Bluesky through the AT Protocol XRPC API of the account's PDS. The idempotency key is the
/// post's record key, so creating the same post twice fails instead of duplicating it, and a post whose
/// outcome was lost can be found again with <see cref="FindAsync"/>.
/// </summary>
public sealed class BlueskyConnector(HttpClient http, BlueskyCredentials credentials, TimeProvider clock) : INetworkConnector
{
    private const string PostCollection = "app.bsky.feed.post";

    private readonly SemaphoreSlim sessionLock = new(1, 1);
    private Session? session;

    private sealed record Session(string AccessJwt, string RefreshJwt, string Did, string Handle);

    public string Network => "bluesky";

    public PostLimits Limits => PostLimits.Bluesky;

    public async Task<ConnectionCheck> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var current = await SessionAsync(cancellationToken);
        // App passwords do not expire; they are revoked by hand.
        return new ConnectionCheck(current.Handle, null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        if (!Tid.IsValidRecordKey(request.IdempotencyKey))
        {
            throw new NetworkException(FailureKind.Content, $"'{request.IdempotencyKey}' cannot be a Bluesky record key.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} graphemes; Bluesky allows {Limits.MaxLength}.");
        }

        var record = new JsonObject
        {
            ["$type"] = PostCollection,
            ["text"] = request.Text,
            ["createdAt"] = (request.CreatedAt ?? clock.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };

        var facets = await BuildFacetsAsync(request.Text, cancellationToken);
        if (facets.Count > 0)
        {
            record["facets"] = facets;
        }

        if (request.Media is { Count: > 0 } media)
        {
            record["embed"] = await UploadImagesAsync(media, cancellationToken);
        }

        var current = await SessionAsync(cancellationToken);
        var body = new JsonObject
        {
            ["repo"] = current.Did,
            ["collection"] = PostCollection,
            ["rkey"] = request.IdempotencyKey,
            ["record"] = record,
        };

        try
        {
            await CallAsync(HttpMethod.Post, "com.atproto.repo.createRecord", body, cancellationToken);
        }
        catch (NetworkException e) when (e.Kind is FailureKind.Content or FailureKind.Retryable)
        {
            // The key is taken when an earlier attempt succeeded but its answer was lost (the PDS then refuses the
            // write, with a 500 at the time of writing); after a timeout the write may also have landed. Either
            // way the post is read back before anything is reported, so a retry never publishes twice.
            if (await FindAsync(request, cancellationToken) is { } existing)
            {
                return existing;
            }

            throw;
        }

        return ToPublished(current, request.IdempotencyKey);
    }

    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var idempotencyKey = request.IdempotencyKey;
        var current = await SessionAsync(cancellationToken);
        var query = $"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(current.Did)}&collection={PostCollection}&rkey={Uri.EscapeDataString(idempotencyKey)}";
        try
        {
            await CallAsync(HttpMethod.Get, query, null, cancellationToken);
            return ToPublished(current, idempotencyKey);
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Content)
        {
            return null;
        }
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken cancellationToken = default)
    {
        var current = await SessionAsync(cancellationToken);
        await CallAsync(HttpMethod.Post, "com.atproto.repo.deleteRecord", new JsonObject
        {
            ["repo"] = current.Did,
            ["collection"] = PostCollection,
            ["rkey"] = post.Id[(post.Id.LastIndexOf('/') + 1)..],
        }, cancellationToken);
    }

    /// <summary>The text of the post stored under the key, as the PDS returns it.</summary>
    public async Task<JsonElement?> ReadRecordAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var current = await SessionAsync(cancellationToken);
        var query = $"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(current.Did)}&collection={PostCollection}&rkey={Uri.EscapeDataString(idempotencyKey)}";
        try
        {
            var answer = await CallAsync(HttpMethod.Get, query, null, cancellationToken);
            return answer.GetProperty("value");
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Content)
        {
            return null;
        }
    }

    private static PublishedPost ToPublished(Session current, string rkey) =>
        new($"at://{current.Did}/{PostCollection}/{rkey}", $"https://bsky.app/profile/{current.Handle}/post/{rkey}");

    private async Task<JsonArray> BuildFacetsAsync(string text, CancellationToken cancellationToken)
    {
        var array = new JsonArray();
        foreach (var facet in Facets.Detect(text))
        {
            JsonObject feature;
            switch (facet.Kind)
            {
                case FacetKind.Link:
                    feature = new JsonObject { ["$type"] = "app.bsky.richtext.facet#link", ["uri"] = facet.Value };
                    break;
                case FacetKind.Tag:
                    feature = new JsonObject { ["$type"] = "app.bsky.richtext.facet#tag", ["tag"] = facet.Value };
                    break;
                case FacetKind.Mention:
                    // A handle that does not resolve stays plain text rather than failing the post.
                    var did = await ResolveHandleAsync(facet.Value, cancellationToken);
                    if (did is null)
                    {
                        continue;
                    }

                    feature = new JsonObject { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = did };
                    break;
                default:
                    continue;
            }

            array.Add(new JsonObject
            {
                ["index"] = new JsonObject { ["byteStart"] = facet.ByteStart, ["byteEnd"] = facet.ByteEnd },
                ["features"] = new JsonArray(feature),
            });
        }

        return array;
    }

    private async Task<string?> ResolveHandleAsync(string handle, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await CallAsync(HttpMethod.Get, $"com.atproto.identity.resolveHandle?handle={Uri.EscapeDataString(handle)}", null, cancellationToken);
            return answer.GetProperty("did").GetString();
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Content)
        {
            return null;
        }
    }

    private async Task<JsonObject> UploadImagesAsync(IReadOnlyList<MediaAttachment> media, CancellationToken cancellationToken)
    {
        if (media.Count > 4)
        {
            throw new NetworkException(FailureKind.Content, "Bluesky takes at most 4 images per post.");
        }

        var images = new JsonArray();
        foreach (var item in media)
        {
            if (string.IsNullOrWhiteSpace(item.AltText))
            {
                throw new NetworkException(FailureKind.Content, "Every image needs alt text.");
            }

            var current = await SessionAsync(cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc("com.atproto.repo.uploadBlob"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessJwt);
            request.Content = new ByteArrayContent(item.Content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(item.ContentType);
            var answer = await SendAsync(request, cancellationToken);
            images.Add(new JsonObject { ["image"] = JsonNode.Parse(answer.GetProperty("blob").GetRawText()), ["alt"] = item.AltText });
        }

        return new JsonObject { ["$type"] = "app.bsky.embed.images", ["images"] = images };
    }

    private async Task<Session> SessionAsync(CancellationToken cancellationToken)
    {
        if (session is { } existing)
        {
            return existing;
        }

        await sessionLock.WaitAsync(cancellationToken);
        try
        {
            return session ??= await CreateSessionAsync(cancellationToken);
        }
        finally
        {
            sessionLock.Release();
        }
    }

    private async Task<Session> CreateSessionAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc("com.atproto.server.createSession"))
        {
            Content = JsonContent.Create(new { identifier = credentials.Identifier, password = credentials.AppPassword }),
        };
        var answer = await SendAsync(request, cancellationToken, signingIn: true);
        return ReadSession(answer);
    }

    private async Task<Session?> RefreshSessionAsync(Session expired, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc("com.atproto.server.refreshSession"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired.RefreshJwt);
        try
        {
            return ReadSession(await SendAsync(request, cancellationToken, signingIn: true));
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Auth)
        {
            return null;
        }
    }

    private static Session ReadSession(JsonElement answer) => new(
        answer.GetProperty("accessJwt").GetString()!,
        answer.GetProperty("refreshJwt").GetString()!,
        answer.GetProperty("did").GetString()!,
        answer.GetProperty("handle").GetString()!);

    /// <summary>An authenticated call; an expired access token is refreshed (or the session re-created) once.</summary>
    private async Task<JsonElement> CallAsync(HttpMethod method, string pathAndQuery, JsonObject? body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await SessionAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, Xrpc(pathAndQuery));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessJwt);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            try
            {
                return await SendAsync(request, cancellationToken);
            }
            catch (NetworkException e) when (e.Kind == FailureKind.Auth && attempt == 0)
            {
                await sessionLock.WaitAsync(cancellationToken);
                try
                {
                    if (ReferenceEquals(session, current))
                    {
                        session = await RefreshSessionAsync(current, cancellationToken) ?? await CreateSessionAsync(cancellationToken);
                    }
                }
                finally
                {
                    sessionLock.Release();
                }
            }
        }
    }

    private Uri Xrpc(string pathAndQuery) => new(credentials.Service, "/xrpc/" + pathAndQuery);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool signingIn = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that was never made proves that nothing was sent.
            var unsent = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw new NetworkException(FailureKind.Retryable, $"Bluesky could not be reached: {e.Message}", inner: e, outcomeUnknown: !unsent);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NetworkException(FailureKind.Retryable, "Bluesky did not answer in time.", inner: e, outcomeUnknown: true);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }

            var (error, message) = ReadError(text);
            var detail = $"Bluesky answered {(int)response.StatusCode} {error}: {message}".TrimEnd(' ', ':');
            throw response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => new NetworkException(FailureKind.RateLimited, detail, RetryAfter(response)),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new NetworkException(FailureKind.Auth, detail),
                // An expired access token comes back as 400 ExpiredToken; wrong credentials at sign-in as AuthenticationRequired.
                HttpStatusCode.BadRequest when error is "ExpiredToken" or "InvalidToken" || signingIn && error is "AuthenticationRequired" or "AccountTakedown"
                    => new NetworkException(FailureKind.Auth, detail),
                >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout => new NetworkException(FailureKind.Retryable, detail, RetryAfter(response)),
                _ => new NetworkException(FailureKind.Content, detail),
            };
        }
    }

    private static (string Error, string Message) ReadError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return (root.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "", root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "");
        }
        catch (JsonException)
        {
            return ("", text.Length > 200 ? text[..200] : text);
        }
    }

    /// <summary>Bluesky sends <c>ratelimit-reset</c> (epoch seconds); some proxies send <c>Retry-After</c>.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (response.Headers.TryGetValues("ratelimit-reset", out var values) && long.TryParse(values.FirstOrDefault(), out var reset))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
