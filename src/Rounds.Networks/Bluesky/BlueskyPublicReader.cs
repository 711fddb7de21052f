using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Rounds.Networks.Bluesky;

/// <summary>
/// What an account shows the public: whether it exists, its bio, its posts of the last 90 days and whom it
/// follows. <see cref="Follows"/> holds the DIDs its follow records name.
/// </summary>
public sealed record PublicActivity(
    bool Exists,
    string? Did,
    string? Bio,
    DateTimeOffset? LastPostAt,
    int PostsIn30Days,
    int PostsIn90Days,
    int VideoPostsIn90Days,
    IReadOnlySet<string> Follows)
{
    public static PublicActivity Missing { get; } = new(false, null, null, null, 0, 0, 0, new HashSet<string>());
}

/// <summary>
/// Reads an account's public repository without signing in, through the XRPC calls every PDS answers:
/// <c>com.atproto.identity.resolveHandle</c>, then <c>com.atproto.repo.getRecord</c> for the profile and
/// <c>com.atproto.repo.listRecords</c> for the <c>app.bsky.feed.post</c> and <c>app.bsky.graph.follow</c>
/// collections. Reading the records themselves (not an AppView's counts) keeps every figure reproducible from
/// what the repository holds. Pages are capped, so one account with years of posts cannot hold up a run.
/// </summary>
public sealed class BlueskyPublicReader(HttpClient http, Uri service, TimeProvider clock)
{
    private const string Network = "bluesky";

    /// <summary>Pages of 100 records read per collection at most: 1,000 posts, 5,000 follows.</summary>
    public const int MaxPostPages = 10;

    public const int MaxFollowPages = 50;

    public async Task<PublicActivity> ReadAsync(string handle, CancellationToken ct = default)
    {
        var did = await ResolveAsync(handle.TrimStart('@'), ct);
        if (did is null)
        {
            return PublicActivity.Missing;
        }

        var now = clock.GetUtcNow();
        var bio = await BioAsync(did, ct);
        DateTimeOffset? last = null;
        int in30 = 0, in90 = 0, videos = 0;
        await foreach (var record in ListAsync(did, "app.bsky.feed.post", MaxPostPages, stopBefore: now.AddDays(-90), ct))
        {
            if (!record.TryGetProperty("createdAt", out var created) || !DateTimeOffset.TryParse(created.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                continue;
            }

            last = last is null || at > last ? at : last;
            if (at < now.AddDays(-90))
            {
                continue;
            }

            in90++;
            in30 += at >= now.AddDays(-30) ? 1 : 0;
            videos += IsVideo(record) ? 1 : 0;
        }

        var follows = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in ListAsync(did, "app.bsky.graph.follow", MaxFollowPages, stopBefore: null, ct))
        {
            if (record.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.String)
            {
                follows.Add(subject.GetString()!);
            }
        }

        return new PublicActivity(true, did, bio, last, in30, in90, videos, follows);
    }

    /// <summary>A video post embeds <c>app.bsky.embed.video</c> directly, or as the media beside a quoted post.</summary>
    public static bool IsVideo(JsonElement post) =>
        post.TryGetProperty("embed", out var embed) && embed.ValueKind == JsonValueKind.Object
        && (TypeOf(embed) == "app.bsky.embed.video"
            || (TypeOf(embed) == "app.bsky.embed.recordWithMedia" && embed.TryGetProperty("media", out var media) && TypeOf(media) == "app.bsky.embed.video"));

    private static string? TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$type", out var type) ? type.GetString() : null;

    private async Task<string?> ResolveAsync(string handle, CancellationToken ct)
    {
        using var response = await GetAsync($"com.atproto.identity.resolveHandle?handle={Uri.EscapeDataString(handle)}", ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await ReadAsync(response, ct);
        return body.TryGetProperty("did", out var did) ? did.GetString() : null;
    }

    private async Task<string?> BioAsync(string did, CancellationToken ct)
    {
        using var response = await GetAsync($"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(did)}&collection=app.bsky.actor.profile&rkey=self", ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await ReadAsync(response, ct);
        return body.TryGetProperty("value", out var value) && value.TryGetProperty("description", out var description) ? description.GetString() : null;
    }

    private async IAsyncEnumerable<JsonElement> ListAsync(string did, string collection, int maxPages, DateTimeOffset? stopBefore, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        for (var page = 0; page < maxPages; page++)
        {
            using var response = await GetAsync(
                $"com.atproto.repo.listRecords?repo={Uri.EscapeDataString(did)}&collection={collection}&limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), ct);
            var body = await ReadAsync(response, ct);
            var records = body.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("value").Clone()).ToList();
            foreach (var record in records)
            {
                yield return record;
            }

            // Records come newest first (their keys are timestamps), so a page wholly older than needed ends the read.
            var older = stopBefore is { } limit && records.Count > 0 && records.All(r =>
                r.TryGetProperty("createdAt", out var c) && DateTimeOffset.TryParse(c.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at < limit);
            cursor = body.TryGetProperty("cursor", out var next) && records.Count > 0 ? next.GetString() : null;
            if (cursor is null || older)
            {
                yield break;
            }
        }
    }

    private Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken ct) =>
        NetworkHttp.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, new Uri(service, "/xrpc/" + pathAndQuery)), Network, publishing: false, ct);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new NetworkException(response.StatusCode == HttpStatusCode.TooManyRequests ? FailureKind.Retryable : FailureKind.Content, $"{Network} answered {(int)response.StatusCode}.");
        }

        return await NetworkHttp.ReadJsonAsync(response, Network, ct);
    }
}
