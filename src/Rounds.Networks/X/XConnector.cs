using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rounds.Networks.Media;

namespace Rounds.Networks.X;

/// <summary>
/// Publishes to X through API v2 (<see cref="NetworkCredentials.Service"/> is https://api.x.com,
/// <see cref="NetworkCredentials.Secret"/> an OAuth 2.0 user access token with tweet.write, users.read and
/// media.write). X has no idempotency key, so a lost answer is resolved by reading the account's posts since the
/// first attempt and comparing text; X's own refusal of duplicate text stops a blind retry from posting twice.
/// </summary>
public sealed partial class XConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    private const int MaxAltText = 1000;

    private const int ReadBackPages = 3;

    private User? me;

    private sealed record User(string Id, string Username);

    public string Network => "x";

    public PostLimits Limits => PostLimits.X;

    /// <summary>X does not say when a user token expires through the API, so no expiry is reported.</summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        var user = await UserAsync(ct);
        return new ConnectionCheck("@" + user.Username, null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        if (request.ReplyTo is not null)
        {
            throw new NetworkException(FailureKind.Content, $"Rounds does not send replies to {Network} yet.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post weighs {Limits.Measure(request.Text)}; X allows {Limits.MaxLength}.");
        }

        MediaRules.NoVideo(request, "X");
        var media = MediaRules.Prepare(request.Media, 4, "X");
        if (media.FirstOrDefault(m => m.AltText.Length > MaxAltText) is not null)
        {
            throw new NetworkException(FailureKind.Content, $"X takes alt text of at most {MaxAltText} characters.");
        }

        // Known before posting, so that nothing can fail between creating the post and building its address.
        var user = await UserAsync(ct);
        var mediaIds = new JsonArray();
        foreach (var item in media)
        {
            mediaIds.Add(await UploadAsync(item, ct));
        }

        var body = new JsonObject { ["text"] = request.Text };
        if (mediaIds.Count > 0)
        {
            body["media"] = new JsonObject { ["media_ids"] = mediaIds };
        }

        using var message = Request(HttpMethod.Post, "/2/tweets");
        message.Content = JsonContent.Create(body);
        using var response = await NetworkHttp.SendAsync(http, message, "X", publishing: true, ct);
        if (response.IsSuccessStatusCode)
        {
            var data = (await NetworkHttp.ReadJsonAsync(response, "X", ct)).GetProperty("data");
            return ToPublished(user, data.GetProperty("id").GetString()!);
        }

        var problem = await ProblemAsync(response, ct);
        // The duplicate refusal is what a retry after a lost answer gets: the earlier attempt's post is the answer.
        if (response.StatusCode == HttpStatusCode.Forbidden && problem.Detail.Contains("duplicate content", StringComparison.OrdinalIgnoreCase)
            && await FindAsync(request, ct) is { } existing)
        {
            return existing;
        }

        throw Failure(response, problem, publishing: true);
    }

    /// <summary>The earliest of the account's posts since the first attempt whose text matches the request's.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var user = await UserAsync(ct);
        var start = (request.FirstAttemptAt - NetworkHttp.ReadBackSkew).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var wanted = Comparable(request.Text);
        string? match = null;
        string? next = null;
        for (var page = 0; page < ReadBackPages; page++)
        {
            var query = $"/2/users/{Uri.EscapeDataString(user.Id)}/tweets?start_time={start}&max_results=100&tweet.fields=created_at&exclude=retweets,replies"
                + (next is null ? "" : $"&pagination_token={Uri.EscapeDataString(next)}");
            using var message = Request(HttpMethod.Get, query);
            var answer = await SendAsync(message, ct);
            if (answer.TryGetProperty("data", out var posts))
            {
                // Newest first: the last match is the earliest.
                foreach (var post in posts.EnumerateArray())
                {
                    if (Comparable(post.GetProperty("text").GetString()!) == wanted)
                    {
                        match = post.GetProperty("id").GetString();
                    }
                }
            }

            next = answer.TryGetProperty("meta", out var meta) ? NetworkHttp.String(meta, "next_token") : null;
            if (next is null)
            {
                break;
            }
        }

        return match is null ? null : ToPublished(user, match);
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        using var message = Request(HttpMethod.Delete, $"/2/tweets/{Uri.EscapeDataString(post.Id)}");
        using var response = await NetworkHttp.SendAsync(http, message, "X", publishing: false, ct);
        // A post that is already gone counts as deleted.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw Failure(response, await ProblemAsync(response, ct), publishing: false);
        }
    }

    private static PublishedPost ToPublished(User user, string id) => new(id, $"https://x.com/{user.Username}/status/{id}");

    /// <summary>
    /// X stores text with links replaced by t.co links, a t.co link for attached media appended, and &amp;, &lt;
    /// and &gt; escaped; so links are left out of the comparison and the escapes undone.
    /// </summary>
    private static string Comparable(string text)
    {
        var plain = text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
        return Whitespace().Replace(Link().Replace(plain, " "), " ").Trim();
    }

    [GeneratedRegex(@"https?://\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Uploads the image, then gives it its alt text through the media metadata endpoint.</summary>
    private async Task<string> UploadAsync(MediaAttachment item, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(item.Content);
        file.Headers.ContentType = new MediaTypeHeaderValue(item.ContentType);
        form.Add(file, "media", "image");
        form.Add(new StringContent("tweet_image"), "media_category");
        form.Add(new StringContent(item.ContentType), "media_type");
        using var upload = Request(HttpMethod.Post, "/2/media/upload");
        upload.Content = form;
        var id = (await SendAsync(upload, ct)).GetProperty("data").GetProperty("id").GetString()!;

        using var metadata = Request(HttpMethod.Post, "/2/media/metadata");
        metadata.Content = JsonContent.Create(new JsonObject
        {
            ["id"] = id,
            ["metadata"] = new JsonObject { ["alt_text"] = new JsonObject { ["text"] = item.AltText } },
        });
        await SendAsync(metadata, ct);
        return id;
    }

    private async Task<User> UserAsync(CancellationToken ct)
    {
        if (me is { } known)
        {
            return known;
        }

        using var message = Request(HttpMethod.Get, "/2/users/me");
        var data = (await SendAsync(message, ct)).GetProperty("data");
        var username = data.GetProperty("username").GetString()!;
        var expected = credentials.Identifier.TrimStart('@');
        if (expected.Length > 0 && !string.Equals(expected, username, StringComparison.OrdinalIgnoreCase))
        {
            // Posting with a token for the wrong account would publish in someone else's name.
            throw new NetworkException(FailureKind.Auth, $"The access token belongs to @{username}, not @{expected}.");
        }

        return me = new User(data.GetProperty("id").GetString()!, username);
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(credentials.Service, pathAndQuery));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "X", publishing: false, ct);
        if (response.IsSuccessStatusCode)
        {
            return await NetworkHttp.ReadJsonAsync(response, "X", ct);
        }

        throw Failure(response, await ProblemAsync(response, ct), publishing: false);
    }

    private sealed record Problem(string Title, string Detail, string Type);

    /// <summary>X answers errors as problem JSON: <c>{"title", "detail", "type", "status"}</c>, with <c>errors</c> for bad parameters.</summary>
    private static async Task<Problem> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (NetworkHttp.TryParse(text) is not { ValueKind: JsonValueKind.Object } json)
        {
            return new Problem("", "", "");
        }

        var detail = NetworkHttp.String(json, "detail") ?? "";
        if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var messages = errors.EnumerateArray().Select(e => NetworkHttp.String(e, "message")).OfType<string>();
            detail = string.Join(" ", new[] { detail }.Concat(messages)).Trim();
        }

        return new Problem(NetworkHttp.String(json, "title") ?? "", NetworkHttp.ErrorText(detail), NetworkHttp.String(json, "type") ?? "");
    }

    private NetworkException Failure(HttpResponseMessage response, Problem problem, bool publishing)
    {
        var detail = $"X answered {(int)response.StatusCode} {problem.Title}: {problem.Detail}".TrimEnd(' ', ':');
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new NetworkException(FailureKind.Auth, detail),
            // The app or token is not allowed to do this at all: reconnecting (with the right access) is the fix.
            HttpStatusCode.Forbidden when problem.Type.EndsWith("client-forbidden", StringComparison.Ordinal)
                || problem.Type.EndsWith("unsupported-authentication", StringComparison.Ordinal)
                || problem.Type.EndsWith("not-authorized-for-resource", StringComparison.Ordinal) => new NetworkException(FailureKind.Auth, detail),
            HttpStatusCode.TooManyRequests => new NetworkException(FailureKind.RateLimited, detail, RateLimitWait(response)),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout
                => new NetworkException(FailureKind.Retryable, detail, NetworkHttp.RetryAfterHeader(response, clock), NetworkHttp.GatewayTimedOut(response, publishing)),
            _ => new NetworkException(FailureKind.Content, detail),
        };
    }

    /// <summary>
    /// The endpoint's window resets at <c>x-rate-limit-reset</c>; when the account's 24-hour posting cap is what
    /// ran out, that cap's own reset is the one to wait for.
    /// </summary>
    private TimeSpan? RateLimitWait(HttpResponseMessage response)
    {
        var dailyCapReached = response.Headers.TryGetValues("x-user-limit-24hour-remaining", out var remaining) && remaining.FirstOrDefault() == "0";
        return (dailyCapReached ? NetworkHttp.EpochReset(response, "x-user-limit-24hour-reset", clock) : null)
            ?? NetworkHttp.RetryAfterHeader(response, clock)
            ?? NetworkHttp.EpochReset(response, "x-rate-limit-reset", clock);
    }
}
