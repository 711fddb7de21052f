using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of the Instagram Graph API's content publishing that the connector uses, as documented: versioned
/// paths under graph.facebook.com, a user token as a Bearer header or access_token, media containers
/// (<c>POST /{ig-user-id}/media</c> with image_url, caption and alt_text; is_carousel_item for carousel items; a
/// CAROUSEL container with children), a container's status_code, publishing (<c>POST /{ig-user-id}/media_publish</c>
/// with creation_id, a container once, within the account's quota), the quota
/// (<c>GET /{ig-user-id}/content_publishing_limit</c>), the account's media since a time with cursor paging, one
/// post's permalink, and the account's username. Like Instagram, it fetches every image_url itself when the
/// container is made (a JPEG, or the container ends in ERROR), and keeps the bytes it got, so a test sees what
/// the public address served. Errors are the Graph body; Instagram keeps no duplicate check.
/// </summary>
public sealed partial class InstagramStandIn : StandIn
{
    public const string Token = "instagram-user-token";

    public const string UserId = "17841400000000777";

    public const string Username = "northfieldhealth";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Container> containers = [];
    private readonly List<Post> posts = [];
    private readonly HttpClient fetcher = new() { Timeout = TimeSpan.FromSeconds(30) };
    private long nextId = 17_900_000_000_000_000;

    public sealed record Image(string Url, byte[] Content, string AltText);

    public sealed record Post(string Id, string Caption, IReadOnlyList<Image> Images, DateTimeOffset CreatedAt)
    {
        public string Permalink => $"https://www.instagram.com/p/IG{Id}/";
    }

    private sealed record Container(string Id, string Kind, string Caption, IReadOnlyList<Image> Images, string Status, string StatusText, int PollsLeft, bool Published);

    /// <summary>How many status reads a new container answers IN_PROGRESS before it is FINISHED.</summary>
    public int ProcessingPolls { get; set; }

    /// <summary>The account's quota in 24 hours, as content_publishing_limit reports it.</summary>
    public int QuotaTotal { get; set; } = 100;

    /// <summary>Every image_url the stand-in fetched, with the status and content type it got.</summary>
    public List<(string Url, int Status, string? ContentType)> Fetches { get; } = [];

    public IReadOnlyList<Post> Posts
    {
        get
        {
            lock (gate)
            {
                return [.. posts];
            }
        }
    }

    public Post Seed(string caption, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var post = new Post((++nextId).ToString(CultureInfo.InvariantCulture), caption, [], createdAt);
            posts.Add(post);
            return post;
        }
    }

    protected override IResult FaultAnswer(Fault fault) => fault switch
    {
        Fault.RateLimited => Error(400, 4, "Application request limit reached"),
        Fault.ServerError => Error(500, 2, "An unexpected error has occurred. Please retry your request later.", transient: true),
        _ => Error(503, 1, "An unknown error occurred", transient: true),
    };

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0 || !VersionPattern().IsMatch(segments[0]))
            {
                await Error(400, 2635, "(#2635) You are calling a deprecated or unknown version of the API.").ExecuteAsync(context);
                return;
            }

            var token = BearerToken(context.Request) ?? context.Request.Query["access_token"].ToString();
            if (token != Token)
            {
                await Error(400, 190, "Invalid OAuth access token - Cannot parse access token").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/{version}/{id}", Read);
        app.MapPost("/{version}/{userId}/media", CreateContainerAsync);
        app.MapPost("/{version}/{userId}/media_publish", PublishAsync);
        app.MapGet("/{version}/{userId}/media", List);
        app.MapGet("/{version}/{userId}/content_publishing_limit", Limit);
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();

    private IResult Read(string id, HttpRequest request)
    {
        if (id == UserId)
        {
            return Json(new JsonObject { ["id"] = UserId, ["username"] = Username });
        }

        lock (gate)
        {
            if (containers.TryGetValue(id, out var container))
            {
                if (container is { Status: "IN_PROGRESS", PollsLeft: <= 0 })
                {
                    container = containers[id] = container with { Status = "FINISHED" };
                }
                else if (container.Status == "IN_PROGRESS")
                {
                    containers[id] = container with { PollsLeft = container.PollsLeft - 1 };
                }

                return Json(new JsonObject { ["id"] = id, ["status_code"] = container.Status, ["status"] = container.StatusText });
            }

            return posts.FirstOrDefault(p => p.Id == id) is { } post
                ? Json(new JsonObject { ["id"] = post.Id, ["permalink"] = post.Permalink })
                : UnknownObject(id);
        }
    }

    private async Task<IResult> CreateContainerAsync(string userId, HttpRequest request)
    {
        if (userId != UserId)
        {
            return UnknownObject(userId);
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var caption = form?["caption"].ToString() ?? "";
        if (caption.Length > 2200)
        {
            return Error(400, 100, "(#100) The caption is longer than 2200 characters");
        }

        var mediaType = form?["media_type"].ToString() ?? "";
        if (mediaType == "CAROUSEL")
        {
            var children = (form?["children"].ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            lock (gate)
            {
                if (children.Length is < 2 or > 10 || !children.All(c => containers.TryGetValue(c, out var child) && child is { Kind: "ITEM", Status: "FINISHED" }))
                {
                    return Error(400, 100, "(#100) The parameter children must hold 2 to 10 finished carousel item containers of this user");
                }

                var images = children.SelectMany(c => containers[c].Images).ToList();
                return Json(new JsonObject { ["id"] = Add("CAROUSEL", caption, images, "FINISHED", "").Id });
            }
        }

        if (mediaType.Length > 0)
        {
            return Error(400, 100, "(#100) Only image and carousel containers are played by this stand-in");
        }

        var imageUrl = form?["image_url"].ToString() ?? "";
        if (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var address))
        {
            return Error(400, 100, "(#100) The parameter image_url is required");
        }

        // Instagram cURLs the image when the container is made: what the address serves now is what is posted.
        var (content, status, problem) = await FetchAsync(address);
        var item = form?["is_carousel_item"].ToString() == "true";
        lock (gate)
        {
            var image = new Image(imageUrl, content, form?["alt_text"].ToString() ?? "");
            return Json(new JsonObject { ["id"] = Add(item ? "ITEM" : "IMAGE", caption, [image], status, problem).Id });
        }
    }

    private Container Add(string kind, string caption, IReadOnlyList<Image> images, string status, string statusText)
    {
        var processing = status == "FINISHED" && ProcessingPolls > 0;
        var container = new Container((++nextId).ToString(CultureInfo.InvariantCulture), kind, caption, images,
            processing ? "IN_PROGRESS" : status, statusText, ProcessingPolls - 1, false);
        containers[container.Id] = container;
        return container;
    }

    private async Task<(byte[] Content, string Status, string Problem)> FetchAsync(Uri address)
    {
        try
        {
            using var response = await fetcher.GetAsync(address);
            var type = response.Content.Headers.ContentType?.MediaType;
            lock (gate)
            {
                Fetches.Add((address.ToString(), (int)response.StatusCode, type));
            }

            if (!response.IsSuccessStatusCode)
            {
                return ([], "ERROR", "Error: 2207026 Media download has failed. The media URI doesn't meet our requirements.");
            }

            if (type != "image/jpeg")
            {
                return ([], "ERROR", "Error: 2207009 The submitted image has an unsupported format; only JPEG is supported.");
            }

            return (await response.Content.ReadAsByteArrayAsync(), "FINISHED", "");
        }
        catch (HttpRequestException)
        {
            return ([], "ERROR", "Error: 2207026 Media download has failed.");
        }
    }

    private async Task<IResult> PublishAsync(string userId, HttpRequest request)
    {
        if (userId != UserId)
        {
            return UnknownObject(userId);
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var creationId = form?["creation_id"].ToString() ?? "";
        lock (gate)
        {
            if (!containers.TryGetValue(creationId, out var container) || container.Kind == "ITEM")
            {
                return Error(400, 100, "(#100) The parameter creation_id is required and must be a media container of this user", subcode: 33);
            }

            if (container.Published)
            {
                return Error(400, 9004, "The media container has already been published", subcode: 2207006);
            }

            if (container.Status != "FINISHED")
            {
                return Error(400, 9007, "Media ID is not available: the media is not ready for publishing, please wait for a moment", subcode: 2207027);
            }

            if (UsedToday() >= QuotaTotal)
            {
                return Error(400, 9, "Application request limit reached: the account has reached the maximum number of posts in 24 hours", subcode: 2207042);
            }

            containers[creationId] = container with { Published = true };
            var post = new Post((++nextId).ToString(CultureInfo.InvariantCulture), container.Caption, container.Images, DateTimeOffset.UtcNow);
            posts.Add(post);
            return Json(new JsonObject { ["id"] = post.Id });
        }
    }

    private int UsedToday() => posts.Count(p => p.Images.Count > 0 && p.CreatedAt > DateTimeOffset.UtcNow.AddDays(-1));

    private IResult Limit(string userId)
    {
        if (userId != UserId)
        {
            return UnknownObject(userId);
        }

        lock (gate)
        {
            return Json(new JsonObject
            {
                ["data"] = new JsonArray(new JsonObject
                {
                    ["quota_usage"] = UsedToday(),
                    ["config"] = new JsonObject { ["quota_total"] = QuotaTotal, ["quota_duration"] = 86400 },
                }),
            });
        }
    }

    private IResult List(string userId, HttpRequest request)
    {
        if (userId != UserId)
        {
            return UnknownObject(userId);
        }

        var fields = request.Query["fields"].ToString().Split(',');
        var since = long.TryParse(request.Query["since"], out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.MinValue;
        var limit = int.TryParse(request.Query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 25;
        var skip = int.TryParse(request.Query["after"], out var a) ? a : 0;
        lock (gate)
        {
            var matching = posts.Where(p => p.CreatedAt >= since).OrderByDescending(p => p.CreatedAt).ToList();
            var page = matching.Skip(skip).Take(limit).Select(p =>
            {
                var item = new JsonObject { ["id"] = p.Id };
                if (fields.Contains("caption"))
                {
                    item["caption"] = p.Caption;
                }

                if (fields.Contains("timestamp"))
                {
                    item["timestamp"] = p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
                }

                if (fields.Contains("permalink"))
                {
                    item["permalink"] = p.Permalink;
                }

                return (JsonNode?)item;
            }).ToList();
            var paging = new JsonObject
            {
                ["cursors"] = new JsonObject
                {
                    ["before"] = skip.ToString(CultureInfo.InvariantCulture),
                    ["after"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture),
                },
            };
            if (skip + page.Count < matching.Count)
            {
                paging["next"] = Address($"{request.Path}?fields={request.Query["fields"]}&limit={limit}&after={skip + page.Count}");
            }

            return Json(new JsonObject { ["data"] = new JsonArray([.. page]), ["paging"] = paging });
        }
    }

    private static IResult UnknownObject(string id) => Error(400, 100,
        $"(#100) Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation", subcode: 33, type: "GraphMethodException");

    private static IResult Error(int status, int code, string message, int? subcode = null, bool transient = false, string type = "OAuthException")
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code, ["fbtrace_id"] = "AbCdEfGh456" };
        if (subcode is { } sub)
        {
            error["error_subcode"] = sub;
        }

        if (transient)
        {
            error["is_transient"] = true;
        }

        return Json(new JsonObject { ["error"] = error }, status);
    }
}
