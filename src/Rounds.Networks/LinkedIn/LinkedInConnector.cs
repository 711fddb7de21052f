using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rounds.Networks.Media;

namespace Rounds.Networks.LinkedIn;

/// <summary>
/// Publishes to a LinkedIn member or organization page through the versioned Posts API
/// (<see cref="NetworkCredentials.Service"/> is https://api.linkedin.com, <see cref="NetworkCredentials.Identifier"/>
/// the author URN — <c>urn:li:person:…</c> or <c>urn:li:organization:…</c> — and <see cref="NetworkCredentials.Secret"/>
/// a member access token with w_member_social or w_organization_social). LinkedIn has no idempotency key;
/// it refuses recent duplicate content, and <see cref="FindAsync"/> reads the author's posts back.
/// </summary>
public sealed class LinkedInConnector(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : INetworkConnector
{
    /// <summary>
    /// The API version sent as <c>LinkedIn-Version</c>. LinkedIn supports each monthly version for about a
    /// year, so this is moved forward (and the connector re-tested) at least yearly.
    /// </summary>
    public const string ApiVersion = "202605";

    private const int PageSize = 50;

    private const int ReadBackPages = 3;

    public string Network => "linkedin";

    public PostLimits Limits => PostLimits.LinkedIn;

    private string Author => credentials.Identifier.StartsWith("urn:li:person:", StringComparison.Ordinal)
        || credentials.Identifier.StartsWith("urn:li:organization:", StringComparison.Ordinal)
            ? credentials.Identifier
            : throw new NetworkException(FailureKind.Auth, $"'{credentials.Identifier}' is not a LinkedIn person or organization URN.");

    /// <summary>
    /// A member is checked with OpenID userinfo (whose subject must be the author), a page by reading the
    /// organization. Token expiry needs LinkedIn's introspection with the app's client secret, which connectors
    /// do not hold, so none is reported.
    /// </summary>
    public async Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default)
    {
        var author = Author;
        if (author.StartsWith("urn:li:person:", StringComparison.Ordinal))
        {
            using var message = Request(HttpMethod.Get, "/v2/userinfo");
            var me = await SendAsync(message, ct);
            var sub = NetworkHttp.String(me, "sub");
            if (sub != author["urn:li:person:".Length..])
            {
                throw new NetworkException(FailureKind.Auth, $"The access token belongs to member {sub}, not {author}.");
            }

            return new ConnectionCheck(NetworkHttp.String(me, "name") ?? author, null);
        }

        using var organization = Request(HttpMethod.Get, $"/rest/organizations/{Uri.EscapeDataString(author["urn:li:organization:".Length..])}");
        var page = await SendAsync(organization, ct);
        return new ConnectionCheck(NetworkHttp.String(page, "localizedName") ?? author, null);
    }

    public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default)
    {
        if (request.ReplyTo is not null)
        {
            throw new NetworkException(FailureKind.Content, $"Rounds does not send replies to {Network} yet.");
        }

        if (!Limits.Fits(request.Text))
        {
            throw new NetworkException(FailureKind.Content, $"The post is {Limits.Measure(request.Text)} characters; LinkedIn allows {Limits.MaxLength}.");
        }

        var author = Author;
        MediaRules.NoVideo(request, "LinkedIn");
        var media = MediaRules.Prepare(request.Media, 20, "LinkedIn");
        var images = new List<JsonObject>();
        foreach (var item in media)
        {
            images.Add(new JsonObject { ["id"] = await UploadAsync(author, item, ct), ["altText"] = item.AltText });
        }

        var body = new JsonObject
        {
            ["author"] = author,
            ["commentary"] = LittleText.Escape(request.Text),
            ["visibility"] = "PUBLIC",
            ["distribution"] = new JsonObject
            {
                ["feedDistribution"] = "MAIN_FEED",
                ["targetEntities"] = new JsonArray(),
                ["thirdPartyDistributionChannels"] = new JsonArray(),
            },
            ["lifecycleState"] = "PUBLISHED",
            ["isReshareDisabledByAuthor"] = false,
        };
        if (images.Count == 1)
        {
            body["content"] = new JsonObject { ["media"] = images[0] };
        }
        else if (images.Count > 1)
        {
            body["content"] = new JsonObject { ["multiImage"] = new JsonObject { ["images"] = new JsonArray([.. images]) } };
        }

        using var message = Request(HttpMethod.Post, "/rest/posts");
        message.Content = JsonContent.Create(body);
        using var response = await NetworkHttp.SendAsync(http, message, "LinkedIn", publishing: true, ct);
        if (response.IsSuccessStatusCode)
        {
            // 201 with an empty body; the new post's URN is in the x-restli-id header.
            var urn = response.Headers.TryGetValues("x-restli-id", out var ids) ? ids.FirstOrDefault() : null;
            return urn is null
                ? throw new NetworkException(FailureKind.Retryable, "LinkedIn created the post but did not say its id.", outcomeUnknown: true)
                : ToPublished(urn);
        }

        var error = await ErrorAsync(response, ct);
        // LinkedIn refuses content it has just seen ("Content is a duplicate of urn:li:share:…"): after a lost
        // answer, that is the earlier attempt's post.
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && error.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
            && await FindAsync(request, ct) is { } existing)
        {
            return existing;
        }

        throw Failure(response, error, publishing: true);
    }

    /// <summary>The earliest of the author's posts since the first attempt whose commentary is the request's text.</summary>
    public async Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default)
    {
        var author = Author;
        var since = (request.FirstAttemptAt - NetworkHttp.ReadBackSkew).ToUnixTimeMilliseconds();
        string? match = null;
        for (var page = 0; page < ReadBackPages; page++)
        {
            using var message = Request(HttpMethod.Get, $"/rest/posts?author={Uri.EscapeDataString(author)}&q=author&count={PageSize}&start={page * PageSize}&sortBy=CREATED");
            message.Headers.Add("X-RestLi-Method", "FINDER");
            var elements = (await SendAsync(message, ct)).GetProperty("elements");
            var older = false;
            foreach (var post in elements.EnumerateArray())
            {
                if (post.GetProperty("createdAt").GetInt64() < since)
                {
                    older = true;
                    break;
                }

                // Newest first: the last match is the earliest.
                if (NetworkHttp.String(post, "commentary") is { } commentary && LittleText.ToPlain(commentary) == request.Text)
                {
                    match = post.GetProperty("id").GetString();
                }
            }

            if (older || elements.GetArrayLength() < PageSize)
            {
                break;
            }
        }

        return match is null ? null : ToPublished(match);
    }

    public async Task DeleteAsync(PublishedPost post, CancellationToken ct = default)
    {
        using var message = Request(HttpMethod.Delete, $"/rest/posts/{Uri.EscapeDataString(post.Id)}");
        message.Headers.Add("X-RestLi-Method", "DELETE");
        using var response = await NetworkHttp.SendAsync(http, message, "LinkedIn", publishing: false, ct);
        // A post that is already gone counts as deleted.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw Failure(response, await ErrorAsync(response, ct), publishing: false);
        }
    }

    private static PublishedPost ToPublished(string urn) => new(urn, $"https://www.linkedin.com/feed/update/{urn}/");

    /// <summary>Registers the image with the author as owner, then PUTs the bytes to the upload address LinkedIn gives.</summary>
    private async Task<string> UploadAsync(string author, MediaAttachment item, CancellationToken ct)
    {
        using var initialize = Request(HttpMethod.Post, "/rest/images?action=initializeUpload");
        initialize.Content = JsonContent.Create(new JsonObject { ["initializeUploadRequest"] = new JsonObject { ["owner"] = author } });
        var value = (await SendAsync(initialize, ct)).GetProperty("value");
        var image = value.GetProperty("image").GetString()!;

        var uploadUrl = new Uri(value.GetProperty("uploadUrl").GetString()!);
        // The token goes with the bytes, so only LinkedIn's own hosts may receive them.
        if (uploadUrl.Scheme != credentials.Service.Scheme
            || (uploadUrl.Host != credentials.Service.Host && !uploadUrl.Host.EndsWith(".linkedin.com", StringComparison.OrdinalIgnoreCase)))
        {
            throw new NetworkException(FailureKind.Retryable, $"LinkedIn gave an upload address outside LinkedIn ({uploadUrl.Host}); the image was not sent.");
        }

        using var upload = new HttpRequestMessage(HttpMethod.Put, uploadUrl);
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
        upload.Content = new ByteArrayContent(item.Content);
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue(item.ContentType);
        using var response = await NetworkHttp.SendAsync(http, upload, "LinkedIn", publishing: false, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, await ErrorAsync(response, ct), publishing: false);
        }

        return image;
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery) => LinkedInApi.Request(method, credentials.Service, credentials.Secret, pathAndQuery);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await NetworkHttp.SendAsync(http, request, "LinkedIn", publishing: false, ct);
        if (response.IsSuccessStatusCode)
        {
            return await NetworkHttp.ReadJsonAsync(response, "LinkedIn", ct);
        }

        throw Failure(response, await ErrorAsync(response, ct), publishing: false);
    }

    private static Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken ct) => LinkedInApi.ErrorAsync(response, ct);

    private NetworkException Failure(HttpResponseMessage response, string error, bool publishing) => LinkedInApi.Failure(response, error, publishing, clock);
}
