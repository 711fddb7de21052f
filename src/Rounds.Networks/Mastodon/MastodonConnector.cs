using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rounds.Networks.Media;

namespace Rounds.Networks.Mastodon;

/// <summary>
/// Publishes to a Mastodon account through its instance's REST API (<see cref="NetworkCredentials.Service"/> is
/// the instance, <see cref="NetworkCredentials.Secret"/> an access token with write:statuses and write:media).
/// The request's idempotency key goes in the <c>Idempotency-Key</c> header, so a retry within the hour Mastodon
/// remembers keys returns the same status; after that, <see cref="FindAsync"/> reads the account's statuses back.
/// </summary>
public sealed class MastodonConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector, IFollowGraph
{
    private static readonly TimeSpan ProcessingPoll = TimeSpan.FromMilliseconds(500);

    private const int MaxProcessingPolls = 120;

    private const int ReadBackPages = 5;

    private Account? account;

    private sealed record Account(string Id, string Acct);

    public string Network => "mastodon";

    public PostLimits Limits => PostLimits.Mastodon;

    /// <summary>Mastodon access tokens do not expire unless revoked, so no expiry is reported.</summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        var me = await AccountAsync(ct);
        return new ConnectionCheck($"@{me.Acct}@{credentials.Service.Host}", null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        if (request.ReplyTo is not null)
        {
            throw new NetworkException(FailureKind.Content, $"Rounds does not send replies to {Network} yet.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} characters; Mastodon allows {Limits.MaxLength}.");
        }

        MediaRules.NoVideo(request, "Mastodon");
        var media = MediaRules.Prepare(request.Media, 4, "Mastodon");
        // The token must be the account's own before anything is posted with it.
        await AccountAsync(ct);
        var mediaIds = new JsonArray();
        foreach (var item in media)
        {
            mediaIds.Add(await UploadAsync(item, ct));
        }

        var body = new JsonObject { ["status"] = request.Text, ["visibility"] = "public" };
        if (mediaIds.Count > 0)
        {
            body["media_ids"] = mediaIds;
        }

        using var message = Request(HttpMethod.Post, "/api/v1/statuses");
        message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
        message.Content = JsonContent.Create(body);
        var (_, status) = await SendAsync(message, ct, publishing: true);
        return ToPublished(status);
    }

    /// <summary>
    /// Mastodon forgets idempotency keys after an hour, so the read-back looks through the account's own statuses
    /// since the first attempt and compares each one's source text with the request's.
    /// </summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var me = await AccountAsync(ct);
        var since = request.FirstAttemptAt - NetworkHttp.ReadBackSkew;
        var candidates = new List<JsonElement>();
        string? maxId = null;
        for (var page = 0; page < ReadBackPages; page++)
        {
            var query = $"/api/v1/accounts/{Uri.EscapeDataString(me.Id)}/statuses?limit=40&exclude_reblogs=true" + (maxId is null ? "" : $"&max_id={Uri.EscapeDataString(maxId)}");
            using var message = Request(HttpMethod.Get, query);
            var (_, statuses) = await SendAsync(message, ct);
            var older = false;
            foreach (var status in statuses.EnumerateArray())
            {
                if (DateTimeOffset.Parse(status.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture) < since)
                {
                    older = true;
                    break;
                }

                candidates.Add(status);
                maxId = status.GetProperty("id").GetString();
            }

            if (older || statuses.GetArrayLength() < 40)
            {
                break;
            }
        }

        // Statuses come newest first; the earliest match is the one the first attempt made.
        var wanted = request.Text.ReplaceLineEndings("\n").Trim();
        for (var i = candidates.Count - 1; i >= 0; i--)
        {
            var id = candidates[i].GetProperty("id").GetString()!;
            using var message = Request(HttpMethod.Get, $"/api/v1/statuses/{Uri.EscapeDataString(id)}/source");
            var (_, source) = await SendAsync(message, ct);
            if (NetworkHttp.String(source, "text")?.ReplaceLineEndings("\n").Trim() == wanted)
            {
                return ToPublished(candidates[i]);
            }
        }

        return null;
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        using var message = Request(HttpMethod.Delete, $"/api/v1/statuses/{Uri.EscapeDataString(post.Id)}");
        using var response = await NetworkHttp.SendAsync(http, message, "Mastodon", publishing: false, ct);
        // A status that is already gone counts as deleted.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw await FailureAsync(response, publishing: false, ct);
        }
    }

    /// <summary>
    /// Finds the other account as this instance knows it (<c>GET /api/v1/accounts/lookup</c>; a remote account
    /// the instance has never seen is not found) and asks how this account relates to it
    /// (<c>GET /api/v1/accounts/relationships</c>, which needs the read:follows scope).
    /// </summary>
    public async Task<bool?> MutualFollowAsync(string account, CancellationToken ct = default)
    {
        var acct = account.TrimStart('@');
        var at = acct.IndexOf('@', StringComparison.Ordinal);
        // An account of this instance is looked up by its name alone.
        if (at > 0 && string.Equals(acct[(at + 1)..], credentials.Service.Host, StringComparison.OrdinalIgnoreCase))
        {
            acct = acct[..at];
        }

        using var lookup = Request(HttpMethod.Get, $"/api/v1/accounts/lookup?acct={Uri.EscapeDataString(acct)}");
        using var response = await NetworkHttp.SendAsync(http, lookup, "Mastodon", publishing: false, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, publishing: false, ct);
        }

        var id = NetworkHttp.Required(await NetworkHttp.ReadJsonAsync(response, "Mastodon", ct), "id", "Mastodon");
        using var ask = Request(HttpMethod.Get, $"/api/v1/accounts/relationships?id[]={Uri.EscapeDataString(id)}");
        var (_, relationships) = await SendAsync(ask, ct);
        foreach (var relationship in relationships.EnumerateArray())
        {
            if (NetworkHttp.String(relationship, "id") == id)
            {
                return relationship.TryGetProperty("following", out var following) && following.ValueKind == JsonValueKind.True
                    && relationship.TryGetProperty("followed_by", out var followedBy) && followedBy.ValueKind == JsonValueKind.True;
            }
        }

        return null;
    }

    private static PublishedPost ToPublished(JsonElement status) => new(
        status.GetProperty("id").GetString()!,
        NetworkHttp.String(status, "url") ?? status.GetProperty("uri").GetString()!);

    /// <summary>
    /// Uploads through v2, which answers 202 while the instance is still processing the file; the status may
    /// only attach it once <c>GET /api/v1/media/:id</c> answers 200 with a URL.
    /// </summary>
    private async Task<string> UploadAsync(MediaAttachment item, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(item.Content);
        file.Headers.ContentType = new MediaTypeHeaderValue(item.ContentType);
        form.Add(file, "file", "image" + Extension(item.ContentType));
        form.Add(new StringContent(item.AltText), "description");
        using var upload = Request(HttpMethod.Post, "/api/v2/media");
        upload.Content = form;
        var (status, attachment) = await SendAsync(upload, ct);
        var id = attachment.GetProperty("id").GetString()!;
        for (var poll = 0; status != HttpStatusCode.OK || NetworkHttp.String(attachment, "url") is null; poll++)
        {
            if (poll == MaxProcessingPolls)
            {
                throw new NetworkException(FailureKind.Retryable, "Mastodon is still processing the image.");
            }

            await Task.Delay(ProcessingPoll, clock, ct);
            using var check = Request(HttpMethod.Get, $"/api/v1/media/{Uri.EscapeDataString(id)}");
            (status, attachment) = await SendAsync(check, ct);
        }

        return id;
    }

    private static string Extension(string contentType) => contentType switch
    {
        "image/png" => ".png",
        "image/webp" => ".webp",
        _ => ".jpg",
    };

    private async Task<Account> AccountAsync(CancellationToken ct)
    {
        if (account is { } known)
        {
            return known;
        }

        using var message = Request(HttpMethod.Get, "/api/v1/accounts/verify_credentials");
        var (_, me) = await SendAsync(message, ct);
        var acct = NetworkHttp.Required(me, "acct", "Mastodon");
        var expected = credentials.Identifier.TrimStart('@').Split('@')[0];
        if (expected.Length > 0 && !string.Equals(expected, acct.Split('@')[0], StringComparison.OrdinalIgnoreCase))
        {
            // Posting with a token for the wrong account would publish in someone else's name.
            throw new NetworkException(FailureKind.Auth, $"The access token belongs to @{acct}, not @{expected}.");
        }

        return account = new Account(NetworkHttp.Required(me, "id", "Mastodon"), acct);
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(credentials.Service, pathAndQuery));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        return message;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request, CancellationToken ct, bool publishing = false)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "Mastodon", publishing, ct);
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, await NetworkHttp.ReadJsonAsync(response, "Mastodon", ct));
        }

        throw await FailureAsync(response, publishing, ct);
    }

    private async Task<NetworkException> FailureAsync(HttpResponseMessage response, bool publishing, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        // Mastodon's errors are {"error": "...", "error_description": "..."}; a proxy in front may answer with HTML, which is not repeated.
        var error = NetworkHttp.TryParse(text) is { } json ? NetworkHttp.String(json, "error") : null;
        var detail = $"Mastodon answered {(int)response.StatusCode}: {NetworkHttp.ErrorText(error)}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new NetworkException(FailureKind.Auth, detail),
            HttpStatusCode.TooManyRequests => new NetworkException(FailureKind.RateLimited, detail,
                NetworkHttp.RetryAfterHeader(response, clock) ?? NetworkHttp.TimestampReset(response, "X-RateLimit-Reset", clock)),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout
                => new NetworkException(FailureKind.Retryable, detail, NetworkHttp.RetryAfterHeader(response, clock), NetworkHttp.GatewayTimedOut(response, publishing)),
            _ => new NetworkException(FailureKind.Content, detail),
        };
    }
}
