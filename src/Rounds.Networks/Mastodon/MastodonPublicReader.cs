using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rounds.Networks.Mastodon;

/// <summary>What a Mastodon account shows the public: whether it exists, its bio as text, and its own posts of the last 90 days.</summary>
public sealed record MastodonActivity(bool Exists, string? AccountId, string? Bio, DateTimeOffset? LastPostAt, int PostsIn30Days, int PostsIn90Days, int VideoPostsIn90Days)
{
    public static MastodonActivity Missing { get; } = new(false, null, null, null, 0, 0, 0);
}

/// <summary>
/// Reads an account from its own instance without signing in: <c>GET /api/v1/accounts/lookup</c>, then the
/// account's statuses newest first (<c>GET /api/v1/accounts/:id/statuses</c>, boosts left out, since a boost is
/// someone else's post). A status with a media attachment of type <c>video</c> is a video post. Instances that
/// require signing in even for public reads answer 401, which reads as unknown rather than as no activity.
/// </summary>
public sealed partial class MastodonPublicReader(HttpClient http, Uri instance, TimeProvider clock)
{
    private const string Network = "mastodon";

    /// <summary>Pages of 40 statuses read at most: 400 posts in 90 days is more than any physician posts.</summary>
    public const int MaxPages = 10;

    /// <param name="username">The account's name on <c>instance</c>, without @ or domain.</param>
    public async Task<MastodonActivity> ReadAsync(string username, CancellationToken ct = default)
    {
        using var lookup = await GetAsync($"/api/v1/accounts/lookup?acct={Uri.EscapeDataString(username)}", ct);
        if (lookup.StatusCode == HttpStatusCode.NotFound)
        {
            return MastodonActivity.Missing;
        }

        var account = await ReadAsync(lookup, ct);
        var id = NetworkHttp.Required(account, "id", Network);
        var now = clock.GetUtcNow();
        DateTimeOffset? last = null;
        int in30 = 0, in90 = 0, videos = 0;
        string? maxId = null;
        for (var page = 0; page < MaxPages; page++)
        {
            using var response = await GetAsync($"/api/v1/accounts/{Uri.EscapeDataString(id)}/statuses?limit=40&exclude_reblogs=true" + (maxId is null ? "" : $"&max_id={Uri.EscapeDataString(maxId)}"), ct);
            var statuses = await ReadAsync(response, ct);
            var older = false;
            foreach (var status in statuses.EnumerateArray())
            {
                maxId = status.GetProperty("id").GetString();
                if (!DateTimeOffset.TryParse(NetworkHttp.String(status, "created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    continue;
                }

                last = last is null || at > last ? at : last;
                if (at < now.AddDays(-90))
                {
                    older = true;
                    break;
                }

                in90++;
                in30 += at >= now.AddDays(-30) ? 1 : 0;
                videos += IsVideo(status) ? 1 : 0;
            }

            if (older || statuses.GetArrayLength() < 40)
            {
                break;
            }
        }

        return new MastodonActivity(true, id, TextOf(NetworkHttp.String(account, "note")), last, in30, in90, videos);
    }

    public static bool IsVideo(JsonElement status) =>
        status.TryGetProperty("media_attachments", out var media) && media.ValueKind == JsonValueKind.Array
        && media.EnumerateArray().Any(a => NetworkHttp.String(a, "type") == "video");

    /// <summary>Mastodon sends the bio as HTML (paragraphs, line breaks, links); the screener reads text.</summary>
    public static string? TextOf(string? html) =>
        html is null ? null : WebUtility.HtmlDecode(Tags().Replace(Breaks().Replace(html, "\n"), "")).Trim();

    [GeneratedRegex("<br\\s*/?>|</p>\\s*<p>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    private Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken ct) =>
        NetworkHttp.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, new Uri(instance, pathAndQuery)), Network, publishing: false, ct);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new NetworkException(response.StatusCode == HttpStatusCode.TooManyRequests ? FailureKind.RateLimited : FailureKind.Content, $"{Network} answered {(int)response.StatusCode}.");
        }

        return await NetworkHttp.ReadJsonAsync(response, Network, ct);
    }
}
