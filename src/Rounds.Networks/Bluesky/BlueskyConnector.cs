using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rounds.Networks.Media;

namespace Rounds.Networks.Bluesky;

/// <summary>
/// Publishes to Bluesky through the AT Protocol XRPC API of the account's PDS (<see cref="NetworkCredentials.Service"/>,
/// e.g. https://bsky.social), signing in with the handle or DID and an app password. The idempotency key is the
/// post's record key, so creating the same post twice fails instead of duplicating it, and a post whose outcome
/// was lost can be found again with <see cref="FindAsync"/>.
/// </summary>
public sealed class BlueskyConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    private const string PostCollection = "app.bsky.feed.post";

    private readonly SemaphoreSlim sessionLock = new(1, 1);
    private Session? session;

    private sealed record Session(string AccessJwt, string RefreshJwt, string Did, string Handle, DateTimeOffset At);

    public string Network => "bluesky";

    public PostLimits Limits => PostLimits.Bluesky;

    /// <summary>Signs in, then asks the PDS who the session belongs to. App passwords do not expire.</summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        // A check proves the password as it stands now, so it signs in even where a kept session would still answer:
        // a revoked app password must fail here, not when the kept session next expires.
        await sessionLock.WaitAsync(ct);
        try
        {
            session = Keep(await Forgetting(CreateSessionAsync(ct)));
        }
        finally
        {
            sessionLock.Release();
        }

        var answer = await CallAsync(HttpMethod.Get, "com.atproto.server.getSession", null, ct);
        return new ConnectionCheck("@" + NetworkHttp.Required(answer, "handle", "Bluesky"), null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        if (!Tid.IsValidRecordKey(request.IdempotencyKey))
        {
            throw new NetworkException(FailureKind.Content, $"'{request.IdempotencyKey}' cannot be a Bluesky record key.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} graphemes; Bluesky allows {Limits.MaxLength}.");
        }

        MediaRules.NoVideo(request, "Bluesky");
        var media = MediaRules.Prepare(request.Media, 4, "Bluesky");
        var record = new JsonObject
        {
            ["$type"] = PostCollection,
            ["text"] = request.Text,
            // The first attempt's time, so that every retry writes the same record.
            ["createdAt"] = request.FirstAttemptAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };

        if (request.ReplyTo is { } reply)
        {
            record["reply"] = new JsonObject
            {
                ["root"] = new JsonObject { ["uri"] = reply.Root.Id, ["cid"] = reply.Root.Version },
                ["parent"] = new JsonObject { ["uri"] = reply.Parent.Id, ["cid"] = reply.Parent.Version },
            };
        }

        var facets = await BuildFacetsAsync(request.Text, ct);
        if (facets.Count > 0)
        {
            record["facets"] = facets;
        }

        if (media.Count > 0)
        {
            record["embed"] = await UploadImagesAsync(media, ct);
        }

        var current = await SessionAsync(ct);
        var body = new JsonObject
        {
            ["repo"] = current.Did,
            ["collection"] = PostCollection,
            ["rkey"] = request.IdempotencyKey,
            ["record"] = record,
        };

        try
        {
            await CallAsync(HttpMethod.Post, "com.atproto.repo.createRecord", body, ct, publishing: true);
        }
        catch (NetworkException e) when (e.Kind is FailureKind.Content or FailureKind.Retryable && !e.OutcomeUnknown)
        {
            // The key is taken when an earlier attempt succeeded but its answer was lost (the PDS then refuses the
            // write, with a 500 at the time of writing), so the post is read back before a failure is reported.
            if (await FindAsync(request, ct) is { } existing)
            {
                return existing;
            }

            throw;
        }

        return ToPublished(current, request.IdempotencyKey);
    }

    /// <summary>The record key is the idempotency key, so the post is looked up directly.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var current = await SessionAsync(ct);
        return await ReadRecordAsync(request.IdempotencyKey, ct) is null ? null : ToPublished(current, request.IdempotencyKey);
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        // The id is the record's at:// URI: at://{did}/app.bsky.feed.post/{rkey}.
        var parts = post.Id.StartsWith("at://", StringComparison.Ordinal) ? post.Id["at://".Length..].Split('/') : [];
        if (parts is not [var repo, PostCollection, var rkey])
        {
            throw new ArgumentException($"'{post.Id}' is not the at:// URI of a Bluesky post.", nameof(post));
        }

        await CallAsync(HttpMethod.Post, "com.atproto.repo.deleteRecord", new JsonObject
        {
            ["repo"] = repo,
            ["collection"] = PostCollection,
            ["rkey"] = rkey,
        }, ct);
    }

    /// <summary>The text of the post stored under the key, as the PDS returns it.</summary>
    public async Task<JsonElement?> ReadRecordAsync(string idempotencyKey, CancellationToken ct = default)
    {
        var current = await SessionAsync(ct);
        var query = $"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(current.Did)}&collection={PostCollection}&rkey={Uri.EscapeDataString(idempotencyKey)}";
        try
        {
            var answer = await CallAsync(HttpMethod.Get, query, null, ct);
            return answer.GetProperty("value");
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Content)
        {
            return null;
        }
    }

    private static PublishedPost ToPublished(Session current, string rkey) =>
        new($"at://{current.Did}/{PostCollection}/{rkey}", $"https://bsky.app/profile/{current.Handle}/post/{rkey}");

    private async Task<JsonArray> BuildFacetsAsync(string text, CancellationToken ct)
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
                    var did = await ResolveHandleAsync(facet.Value, ct);
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

    private async Task<string?> ResolveHandleAsync(string handle, CancellationToken ct)
    {
        try
        {
            var answer = await CallAsync(HttpMethod.Get, $"com.atproto.identity.resolveHandle?handle={Uri.EscapeDataString(handle)}", null, ct);
            return answer.GetProperty("did").GetString();
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Content)
        {
            return null;
        }
    }

    private async Task<JsonObject> UploadImagesAsync(IReadOnlyList<MediaAttachment> media, CancellationToken ct)
    {
        var images = new JsonArray();
        foreach (var item in media)
        {
            var current = await SessionAsync(ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc("com.atproto.repo.uploadBlob"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessJwt);
            request.Content = new ByteArrayContent(item.Content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(item.ContentType);
            var answer = await SendAsync(request, ct);
            images.Add(new JsonObject { ["image"] = JsonNode.Parse(answer.GetProperty("blob").GetRawText()), ["alt"] = item.AltText });
        }

        return new JsonObject { ["$type"] = "app.bsky.embed.images", ["images"] = images };
    }

    /// <summary>
    /// A signed-in query. The PDS answers <c>com.atproto.*</c> itself and forwards <c>app.bsky.*</c> to the AppView it
    /// is configured with (no <c>atproto-proxy</c> header is sent, so the PDS's own choice of AppView stands).
    /// </summary>
    internal Task<JsonElement> QueryAsync(string pathAndQuery, CancellationToken ct) => CallAsync(HttpMethod.Get, pathAndQuery, null, ct);

    /// <summary>The DID the session belongs to.</summary>
    internal async Task<string> SignedInDidAsync(CancellationToken ct) => (await SessionAsync(ct)).Did;

    /// <summary>
    /// Sessions kept between connectors by server, identifier and password, for the publishers and readers made anew
    /// every cycle: a PDS allows an account few sign-ins (bsky.social: 30 in five minutes, 300 a day), so a burst
    /// of posts that signed in for each would wait minutes for the limit, and a kept session is refreshed when it
    /// expires instead.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Session> KeptSessions = new();

    /// <summary>Whether this connector shares its session with later connectors of the same credentials.</summary>
    internal bool KeepSession { get; init; }

    private string KeptKey => string.Join('\n', credentials.Service.AbsoluteUri, credentials.Identifier,
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(credentials.Secret))));

    private async Task<Session> SessionAsync(CancellationToken ct)
    {
        if (session is { } existing)
        {
            return existing;
        }

        await sessionLock.WaitAsync(ct);
        try
        {
            if (session is null && KeepSession && KeptSessions.TryGetValue(KeptKey, out var kept))
            {
                // A kept session outlives a revoked app password until its access token expires (two hours on the
                // reference PDS). Renewed once it is a quarter of an hour old, it stops within that time, and a
                // renewal spends none of the account's sign-ins.
                session = clock.GetUtcNow() - kept.At < KeptSessionAge ? kept : Keep(await Forgetting(RenewAsync(kept, ct)));
            }

            return session ??= Keep(await Forgetting(CreateSessionAsync(ct)));
        }
        finally
        {
            sessionLock.Release();
        }
    }

    private static readonly TimeSpan KeptSessionAge = TimeSpan.FromMinutes(15);

    private async Task<Session> RenewAsync(Session old, CancellationToken ct) => await RefreshSessionAsync(old, ct) ?? await CreateSessionAsync(ct);

    /// <summary>A sign-in the PDS refuses drops the kept session too: its password no longer works.</summary>
    private async Task<Session> Forgetting(Task<Session> signingIn)
    {
        try
        {
            return await signingIn;
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Auth && KeepSession)
        {
            KeptSessions.TryRemove(KeptKey, out _);
            throw;
        }
    }

    private async Task<Session> CreateSessionAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc("com.atproto.server.createSession"))
        {
            Content = JsonContent.Create(new { identifier = credentials.Identifier, password = credentials.Secret }),
        };
        var answer = await SendAsync(request, ct, signingIn: true);
        return ReadSession(answer);
    }

    private async Task<Session?> RefreshSessionAsync(Session expired, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc("com.atproto.server.refreshSession"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired.RefreshJwt);
        try
        {
            return ReadSession(await SendAsync(request, ct, signingIn: true));
        }
        catch (NetworkException e) when (e.Kind == FailureKind.Auth)
        {
            return null;
        }
    }

    private Session ReadSession(JsonElement answer) => new(
        NetworkHttp.Required(answer, "accessJwt", "Bluesky"),
        NetworkHttp.Required(answer, "refreshJwt", "Bluesky"),
        NetworkHttp.Required(answer, "did", "Bluesky"),
        NetworkHttp.Required(answer, "handle", "Bluesky"),
        clock.GetUtcNow());

    /// <summary>An authenticated call; an expired access token is refreshed (or the session re-created) once.</summary>
    private async Task<JsonElement> CallAsync(HttpMethod method, string pathAndQuery, JsonObject? body, CancellationToken ct, bool publishing = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await SessionAsync(ct);
            using var request = new HttpRequestMessage(method, Xrpc(pathAndQuery));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessJwt);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            try
            {
                return await SendAsync(request, ct, publishing: publishing);
            }
            catch (NetworkException e) when (e.Kind == FailureKind.Auth && attempt == 0)
            {
                await sessionLock.WaitAsync(ct);
                try
                {
                    if (ReferenceEquals(session, current))
                    {
                        // Another connector of the same account (the reader beside the publisher) may have refreshed
                        // the kept session already; its refresh token was then spent, and only the newer session works.
                        session = KeepSession && KeptSessions.TryGetValue(KeptKey, out var newer) && !ReferenceEquals(newer, current)
                            ? newer
                            : Keep(await Forgetting(RenewAsync(current, ct)));
                    }
                }
                finally
                {
                    sessionLock.Release();
                }
            }
        }
    }

    private Session Keep(Session fresh)
    {
        if (KeepSession)
        {
            KeptSessions[KeptKey] = fresh;
        }

        return fresh;
    }

    private Uri Xrpc(string pathAndQuery) => new(credentials.Service, "/xrpc/" + pathAndQuery);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct, bool signingIn = false, bool publishing = false)
    {
        var response = await NetworkHttp.SendAsync(http, request, "Bluesky", publishing, ct);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? default : NetworkHttp.TryParse(text) ?? throw NetworkHttp.NotJson(response, "Bluesky");
            }

            var (error, message) = ReadError(text);
            var detail = $"Bluesky answered {(int)response.StatusCode}{(error.Length > 0 ? " " + error : "")}: {message}";
            throw response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => new NetworkException(FailureKind.RateLimited, detail, RetryAfter(response)),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new NetworkException(FailureKind.Auth, detail),
                // An expired access token comes back as 400 ExpiredToken; wrong credentials at sign-in as AuthenticationRequired.
                HttpStatusCode.BadRequest when error is "ExpiredToken" or "InvalidToken" || signingIn && error is "AuthenticationRequired" or "AccountTakedown"
                    => new NetworkException(FailureKind.Auth, detail),
                >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout
                    => new NetworkException(FailureKind.Retryable, detail, RetryAfter(response), NetworkHttp.GatewayTimedOut(response, publishing)),
                _ => new NetworkException(FailureKind.Content, detail),
            };
        }
    }

    /// <summary>XRPC errors are <c>{"error", "message"}</c>; anything else the address answered is not repeated.</summary>
    private static (string Error, string Message) ReadError(string text)
    {
        var json = NetworkHttp.TryParse(text);
        var error = json is { } e ? NetworkHttp.String(e, "error") : null;
        return (error is null ? "" : NetworkHttp.ErrorText(error), NetworkHttp.ErrorText(json is { } m ? NetworkHttp.String(m, "message") : null));
    }

    /// <summary>Bluesky sends <c>ratelimit-reset</c> (epoch seconds); some proxies send <c>Retry-After</c>.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        NetworkHttp.RetryAfterHeader(response, clock) ?? NetworkHttp.EpochReset(response, "ratelimit-reset", clock);
}
