using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.X;

/// <summary>
/// Reads an X account through API v2 with the installation's app bearer token (public reads need no sign-in as the
/// account): its own posts from <c>GET /2/users/:id/tweets</c>, what is addressed to it from
/// <c>GET /2/users/:id/mentions</c>, both newest first, paged through <c>meta.next_token</c> down to the stored
/// <c>since_id</c>; authors come from the <c>author_id</c> expansion's <c>includes.users</c>. The account is found by
/// <c>GET /2/users/by/username/:username</c> once; its id rides in the cursor (<c>id:username:since_id</c>), so a poll
/// spends nothing on looking it up again, and a handle changed in the registry starts afresh.
/// <para>
/// X bills every post and user a read returns. Each request first reserves its most expensive answer with the
/// <see cref="IReadMeter"/> and gives back what it did not use. When the meter refuses the first request the read
/// fails as paused; when it refuses a later page the read stops there and keeps the old cursor, so what was not read
/// is read when the budget allows rather than skipped.
/// </para>
/// </summary>
public sealed class XPostSource(HttpClient http, Uri service, string bearerToken, IReadMeter meter, TimeProvider clock) : IPostSource
{
    public const int PageSize = 100;

    /// <summary>Pages read per list at most; the first read of an account takes only the newest page, since older posts cost money.</summary>
    public const int MaxPages = 5;

    public const string PausedMessage = "X reads are paused: this month's budget for them would be exceeded.";

    private const string PostFields = "created_at,author_id,conversation_id,referenced_tweets,entities";

    public string Network => "x";

    public SourceMode ModeOf(SourceKind kind) => SourceMode.Polled;

    public async Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default)
    {
        var username = handle.Trim().TrimStart('@');
        var (userId, sinceId) = Parse(cursor, username);
        (string Id, string? Bio)? account = userId is null ? await LookUpAsync(username, ct) : null;
        userId ??= account!.Value.Id;

        var list = kind == SourceKind.Posts ? "tweets" : "mentions";
        // One's own posts expand to one author, the account; mentions to as many authors as posts.
        var usersPerPage = kind == SourceKind.Posts ? 1 : PageSize;
        var posts = new List<InboundPost>();
        string? newest = null;
        string? bio = null;
        string? next = null;
        // A cursor for this handle means the account was read before: everything newer is new. A first read takes the newest page only.
        var pages = account is null ? MaxPages : 1;
        for (var page = 0; page < pages; page++)
        {
            if (!await meter.TryReserveAsync(PageSize, usersPerPage, ct))
            {
                if (page == 0)
                {
                    throw new NetworkException(FailureKind.RateLimited, PausedMessage);
                }

                // What was read is filed; the cursor stays, so the pages not read are read next time.
                return new SourceBatch(userId, posts, cursor, bio);
            }

            var query = $"/2/users/{Uri.EscapeDataString(userId)}/{list}?max_results={PageSize}&tweet.fields={PostFields}&expansions=author_id&user.fields=username,description"
                + (sinceId is null ? "" : $"&since_id={Uri.EscapeDataString(sinceId)}")
                + (next is null ? "" : $"&pagination_token={Uri.EscapeDataString(next)}");
            JsonElement answer;
            try
            {
                answer = await GetAsync(query, ct);
            }
            catch
            {
                await meter.ReleaseAsync(PageSize, usersPerPage, CancellationToken.None);
                throw;
            }

            var data = answer.TryGetProperty("data", out var found) && found.ValueKind == JsonValueKind.Array ? found.EnumerateArray().ToList() : [];
            var users = answer.TryGetProperty("includes", out var includes) && includes.TryGetProperty("users", out var listed) && listed.ValueKind == JsonValueKind.Array
                ? listed.EnumerateArray().ToList() : [];
            await meter.ReleaseAsync(Math.Max(0, PageSize - data.Count), Math.Max(0, usersPerPage - users.Count), ct);

            var authors = users.Where(u => NetworkHttp.String(u, "id") is not null).DistinctBy(u => NetworkHttp.String(u, "id")).ToDictionary(u => NetworkHttp.String(u, "id")!);
            if (authors.TryGetValue(userId, out var self))
            {
                bio = NetworkHttp.String(self, "description") is { Length: > 0 } description ? description : null;
            }

            posts.AddRange(data.Select(p => ToPost(p, authors)).OfType<InboundPost>());
            var meta = answer.TryGetProperty("meta", out var m) ? m : default;
            if (page == 0 && meta.ValueKind == JsonValueKind.Object)
            {
                newest = NetworkHttp.String(meta, "newest_id");
            }

            next = meta.ValueKind == JsonValueKind.Object ? NetworkHttp.String(meta, "next_token") : null;
            if (next is null)
            {
                break;
            }
        }

        if (bio is null && account is { Bio: { Length: > 0 } lookedUp })
        {
            bio = lookedUp;
        }

        var since = new[] { newest, sinceId }.OfType<string>().Aggregate((string?)null, (max, id) => max is null || CompareIds(id, max) > 0 ? id : max);
        return new SourceBatch(userId, posts, $"{userId}:{username.ToLowerInvariant()}:{since}", bio);
    }

    /// <summary>X ids are decimal numbers of growing length; comparing length first orders them without parsing.</summary>
    public static int CompareIds(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    /// <summary>The account id and <c>since_id</c> the cursor stores, when it was stored for this handle.</summary>
    private static (string? UserId, string? SinceId) Parse(string? cursor, string username)
    {
        var parts = cursor?.Split(':');
        if (parts is not [var id, var name, var since] || id.Length == 0 || !string.Equals(name, username, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        return (id, since.Length == 0 ? null : since);
    }

    private async Task<(string Id, string? Bio)> LookUpAsync(string username, CancellationToken ct)
    {
        // Letters, digits and underscores only, so that the handle can only ever name a user in the path.
        if (username.Length is 0 or > 50 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new NetworkException(FailureKind.Content, $"'{username}' is not an X username.");
        }

        if (!await meter.TryReserveAsync(0, 1, ct))
        {
            throw new NetworkException(FailureKind.RateLimited, PausedMessage);
        }

        JsonElement answer;
        try
        {
            answer = await GetAsync($"/2/users/by/username/{Uri.EscapeDataString(username)}?user.fields=description", ct);
        }
        catch
        {
            await meter.ReleaseAsync(0, 1, CancellationToken.None);
            throw;
        }

        // X answers 200 with only "errors" for a username nobody has.
        if (!answer.TryGetProperty("data", out var user) || NetworkHttp.String(user, "id") is not { } id)
        {
            await meter.ReleaseAsync(0, 1, ct);
            throw new NetworkException(FailureKind.Content, $"X has no account @{username}.");
        }

        return (id, NetworkHttp.String(user, "description"));
    }

    private static InboundPost? ToPost(JsonElement post, IReadOnlyDictionary<string, JsonElement> authors)
    {
        if (NetworkHttp.String(post, "id") is not { } id || NetworkHttp.String(post, "author_id") is not { } authorId
            || !DateTimeOffset.TryParse(NetworkHttp.String(post, "created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }

        string? parent = null, quoted = null;
        if (post.TryGetProperty("referenced_tweets", out var references) && references.ValueKind == JsonValueKind.Array)
        {
            foreach (var reference in references.EnumerateArray())
            {
                switch (NetworkHttp.String(reference, "type"))
                {
                    case "replied_to":
                        parent = NetworkHttp.String(reference, "id");
                        break;
                    case "quoted":
                        quoted = NetworkHttp.String(reference, "id");
                        break;
                }
            }
        }

        // The conversation id is the id of the post that started the thread: X names the root without another call.
        var root = NetworkHttp.String(post, "conversation_id") ?? parent;
        var mentions = post.TryGetProperty("entities", out var entities) && entities.TryGetProperty("mentions", out var named) && named.ValueKind == JsonValueKind.Array
            ? named.EnumerateArray().Select(m => NetworkHttp.String(m, "id") ?? NetworkHttp.String(m, "username")).OfType<string>().ToList()
            : [];
        var username = authors.TryGetValue(authorId, out var author) ? NetworkHttp.String(author, "username") ?? "" : "";
        return new InboundPost(
            id, "", username.Length > 0 ? $"https://x.com/{username}/status/{id}" : $"https://x.com/i/web/status/{id}", authorId, username,
            Unescaped(NetworkHttp.String(post, "text") ?? ""), at,
            parent is null ? null : new ReplyReference(new PostReference(parent, ""), new PostReference(root!, "")), mentions, quoted);
    }

    /// <summary>X sends text with &amp;, &lt; and &gt; escaped; screening and the inbox read it as written.</summary>
    private static string Unescaped(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private async Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        using var response = await NetworkHttp.SendAsync(http, request, Network, publishing: false, ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new NetworkException(FailureKind.RateLimited, "X is rate limiting these reads.",
                NetworkHttp.RetryAfterHeader(response, clock) ?? NetworkHttp.EpochReset(response, "x-rate-limit-reset", clock));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new NetworkException(
                response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? FailureKind.Auth
                : response.StatusCode >= HttpStatusCode.InternalServerError ? FailureKind.Retryable : FailureKind.Content,
                $"X answered {(int)response.StatusCode}.");
        }

        return await NetworkHttp.ReadJsonAsync(response, Network, ct);
    }
}
