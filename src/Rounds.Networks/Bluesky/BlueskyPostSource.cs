using System.Globalization;
using System.Net;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Bluesky;

/// <summary>
/// Reads a Bluesky account's posts and the posts addressed to it from a PDS, with the public XRPC calls every PDS
/// answers and no sign-in. Its own posts come from <c>com.atproto.repo.listRecords</c> on its repository; posts
/// addressed to it are found in the other repositories the PDS hosts (<c>com.atproto.sync.listRepos</c>), matched
/// on mention facets, <c>reply.parent</c>/<c>reply.root</c> and quote embeds naming the account. The cursor is
/// the newest record key (a TID, so a time) seen; each read rewinds <see cref="Rewind"/> before it, so a record
/// written while the previous read ran is not missed, and the caller deduplicates on the record URI.
/// </summary>
public sealed class BlueskyPostSource(HttpClient http, Uri service) : IPostSource
{
    private const string PostCollection = "app.bsky.feed.post";

    /// <summary>How far before the cursor each read starts again.</summary>
    public static readonly TimeSpan Rewind = TimeSpan.FromSeconds(5);

    /// <summary>Pages of 100 posts read per repository at most in one read: a first read backfills this far.</summary>
    public const int MaxPages = 10;

    /// <summary>Repositories a PDS lists per page; a read follows at most <see cref="MaxRepoPages"/> of them.</summary>
    public const int MaxRepoPages = 20;

    public string Network => "bluesky";

    /// <summary>Both are polled: a PDS pushes only through its firehose, which this reader does not decode.</summary>
    public SourceMode ModeOf(SourceKind kind) => SourceMode.Polled;

    public async Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default)
    {
        var did = await ResolveAsync(handle.TrimStart('@'), ct)
            ?? throw new NetworkException(FailureKind.Content, $"bluesky does not know the handle @{handle.TrimStart('@')}.");
        var floor = cursor is not null && Tid.MicrosecondsOf(cursor) is { } micros ? Tid.AtMicroseconds(micros - (long)Rewind.TotalMicroseconds) : null;
        var newest = cursor;
        var posts = new List<InboundPost>();
        string? bio = null;
        if (kind == SourceKind.Posts)
        {
            bio = await BioAsync(did, ct);
            await foreach (var (post, key) in ListAsync(did, handle.TrimStart('@'), floor, ct))
            {
                posts.Add(post);
                newest = Newer(newest, key);
            }
        }
        else
        {
            await foreach (var repo in ReposAsync(ct))
            {
                if (repo == did)
                {
                    continue;
                }

                string? author = null;
                await foreach (var (post, key) in ListAsync(repo, null, floor, ct))
                {
                    newest = Newer(newest, key);
                    if (post.Mentions.Contains(did) || Names(post.Reply?.Parent.Id, did) || Names(post.Reply?.Root.Id, did) || Names(post.Quotes, did))
                    {
                        author ??= await HandleOfAsync(repo, ct);
                        posts.Add(post with { AuthorHandle = author, Url = PostUrl(author, post.Key) });
                    }
                }
            }
        }

        return new SourceBatch(did, posts, newest, bio);
    }

    /// <summary>The description of the repository's profile record, or null when it has none.</summary>
    private async Task<string?> BioAsync(string did, CancellationToken ct)
    {
        using var response = await GetAsync($"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(did)}&collection=app.bsky.actor.profile&rkey=self", ct);

        // A repository that never wrote a profile answers 400 RecordNotFound (older servers) or 404.
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await ReadAsync(response, ct);
        return body.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String
            && description.GetString() is { Length: > 0 } text ? text : null;
    }

    /// <summary>The public address of a post on the Bluesky app.</summary>
    public static string PostUrl(string handleOrDid, string key) => $"https://bsky.app/profile/{handleOrDid}/post/{key}";

    private static bool Names(string? atUri, string did) => atUri is not null && atUri.StartsWith($"at://{did}/", StringComparison.Ordinal);

    private static string? Newer(string? current, string key) =>
        Tid.MicrosecondsOf(key) is null ? current : current is null || string.CompareOrdinal(key, current) > 0 ? key : current;

    /// <summary>The repository's posts newest first, down to the floor; records whose keys are not TIDs are read but never end the read.</summary>
    private async IAsyncEnumerable<(InboundPost Post, string Key)> ListAsync(string did, string? handle, string? floor, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? page = null;
        for (var i = 0; i < MaxPages; i++)
        {
            using var response = await GetAsync(
                $"com.atproto.repo.listRecords?repo={Uri.EscapeDataString(did)}&collection={PostCollection}&limit=100" + (page is null ? "" : "&cursor=" + Uri.EscapeDataString(page)), ct);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                // A repository taken down or deactivated between the listing and the read has nothing to give.
                yield break;
            }

            var body = await ReadAsync(response, ct);
            var records = body.TryGetProperty("records", out var list) ? list.EnumerateArray().ToList() : [];
            var reachedFloor = false;
            foreach (var record in records)
            {
                var uri = record.GetProperty("uri").GetString()!;
                var key = uri[(uri.LastIndexOf('/') + 1)..];
                if (floor is not null && Tid.MicrosecondsOf(key) is not null && string.CompareOrdinal(key, floor) < 0)
                {
                    reachedFloor = true;
                    continue;
                }

                if (Parse(uri, NetworkHttp.String(record, "cid") ?? "", did, handle, record.GetProperty("value")) is { } post)
                {
                    yield return (post, key);
                }
            }

            page = body.TryGetProperty("cursor", out var next) && records.Count > 0 ? next.GetString() : null;
            if (page is null || reachedFloor)
            {
                yield break;
            }
        }
    }

    /// <summary>A post record as Rounds keeps it; null when it has no readable time.</summary>
    public static InboundPost? Parse(string uri, string cid, string did, string? handle, JsonElement value)
    {
        if (NetworkHttp.String(value, "createdAt") is not { } created
            || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var postedAt))
        {
            return null;
        }

        ReplyReference? reply = null;
        if (value.TryGetProperty("reply", out var r) && Reference(r, "parent") is { } parent && Reference(r, "root") is { } root)
        {
            reply = new ReplyReference(parent, root);
        }

        var mentions = new List<string>();
        if (value.TryGetProperty("facets", out var facets) && facets.ValueKind == JsonValueKind.Array)
        {
            foreach (var facet in facets.EnumerateArray())
            {
                if (facet.ValueKind == JsonValueKind.Object && facet.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array)
                {
                    mentions.AddRange(features.EnumerateArray()
                        .Where(f => NetworkHttp.String(f, "$type") == "app.bsky.richtext.facet#mention" && NetworkHttp.String(f, "did") is not null)
                        .Select(f => NetworkHttp.String(f, "did")!));
                }
            }
        }

        var key = uri[(uri.LastIndexOf('/') + 1)..];
        return new InboundPost(uri, cid, PostUrl(handle ?? did, key), did, handle ?? did, NetworkHttp.String(value, "text") ?? "", postedAt, reply, mentions.Distinct().ToList(), QuotedUri(value));
    }

    private static PostReference? Reference(JsonElement reply, string name) =>
        reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty(name, out var strong) && NetworkHttp.String(strong, "uri") is { } uri
            ? new PostReference(uri, NetworkHttp.String(strong, "cid") ?? "")
            : null;

    /// <summary>A quote embeds the quoted post's reference directly, or beside media.</summary>
    private static string? QuotedUri(JsonElement value)
    {
        if (!value.TryGetProperty("embed", out var embed) || embed.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return NetworkHttp.String(embed, "$type") switch
        {
            "app.bsky.embed.record" when embed.TryGetProperty("record", out var record) => NetworkHttp.String(record, "uri"),
            "app.bsky.embed.recordWithMedia" when embed.TryGetProperty("record", out var outer) && outer.TryGetProperty("record", out var inner) => NetworkHttp.String(inner, "uri"),
            _ => null,
        };
    }

    private async IAsyncEnumerable<string> ReposAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? page = null;
        for (var i = 0; i < MaxRepoPages; i++)
        {
            using var response = await GetAsync("com.atproto.sync.listRepos?limit=1000" + (page is null ? "" : "&cursor=" + Uri.EscapeDataString(page)), ct);
            var body = await ReadAsync(response, ct);
            var repos = body.TryGetProperty("repos", out var list) ? list.EnumerateArray().ToList() : [];
            foreach (var repo in repos)
            {
                if (NetworkHttp.String(repo, "did") is { } did && !(repo.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.False))
                {
                    yield return did;
                }
            }

            page = body.TryGetProperty("cursor", out var next) && repos.Count > 0 ? next.GetString() : null;
            if (page is null)
            {
                yield break;
            }
        }
    }

    private async Task<string?> ResolveAsync(string handle, CancellationToken ct)
    {
        if (handle.StartsWith("did:", StringComparison.Ordinal))
        {
            return handle;
        }

        using var response = await GetAsync($"com.atproto.identity.resolveHandle?handle={Uri.EscapeDataString(handle)}", ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return null;
        }

        return NetworkHttp.String(await ReadAsync(response, ct), "did");
    }

    /// <summary>The handle a repository names itself by, or the DID when the server does not say.</summary>
    public async Task<string> HandleOfAsync(string did, CancellationToken ct = default)
    {
        using var response = await GetAsync($"com.atproto.repo.describeRepo?repo={Uri.EscapeDataString(did)}", ct);
        return response.IsSuccessStatusCode ? NetworkHttp.String(await ReadAsync(response, ct), "handle") ?? did : did;
    }

    private Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken ct) =>
        NetworkHttp.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, new Uri(service, "/xrpc/" + pathAndQuery)), Network, publishing: false, ct);

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new NetworkException(response.StatusCode == HttpStatusCode.TooManyRequests ? FailureKind.RateLimited : FailureKind.Retryable, $"{Network} answered {(int)response.StatusCode}.");
        }

        return await NetworkHttp.ReadJsonAsync(response, Network, ct);
    }
}
