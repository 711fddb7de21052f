using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of the Threads API that the connector uses, as documented: versioned paths under graph.threads.net,
/// a user token as a Bearer header or access_token, a media container (<c>POST /{user-id}/threads</c> with
/// media_type and text; an IMAGE with image_url and alt_text, which it fetches from that address as Threads does;
/// carousel items and a CAROUSEL with children), a container's status, publishing it (<c>POST /{user-id}/threads_publish</c> with creation_id), the profile's
/// threads since a time (id, text, timestamp, permalink) with cursor paging, one thread's permalink, the
/// profile's username, and deletion. Errors are the Graph body <c>{"error": {"message", "type", "code",
/// "error_subcode", "fbtrace_id"}}</c>; a container can be published once, and Threads keeps no duplicate check.
/// </summary>
public sealed partial class ThreadsStandIn : StandIn
{
    public const string Token = "threads-user-token";

    public const string UserId = "17841400000000001";

    public const string Username = "northfieldhealth";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Container> containers = [];
    private readonly List<Post> posts = [];
    private readonly HttpClient fetcher = new() { Timeout = TimeSpan.FromSeconds(30) };
    private long nextId = 18_000_000_000_000_000;

    public sealed record Image(string Url, byte[] Content, string AltText);

    public sealed record Post(string Id, string Text, DateTimeOffset CreatedAt, IReadOnlyList<Image>? Images = null)
    {
        public string Permalink => $"https://www.threads.net/@{Username}/post/{Id}";
    }

    private sealed record Container(string Id, string MediaType, string Text, bool Published, IReadOnlyList<Image> Images, string Status = "FINISHED", string Error = "", bool Item = false);

    /// <summary>Every image_url the stand-in fetched, with the status it got.</summary>
    public List<(string Url, int Status)> Fetches { get; } = [];

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

    public Post Seed(string text, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var post = new Post((++nextId).ToString(CultureInfo.InvariantCulture), text, createdAt);
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
        app.MapPost("/{version}/{userId}/threads", CreateContainerAsync);
        app.MapPost("/{version}/{userId}/threads_publish", PublishAsync);
        app.MapGet("/{version}/{userId}/threads", List);
        app.MapDelete("/{version}/{id}", (string id) =>
        {
            lock (gate)
            {
                return posts.RemoveAll(p => p.Id == id) > 0 ? Json(new JsonObject { ["success"] = true }) : UnknownObject(id);
            }
        });
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
                var answer = new JsonObject { ["id"] = id, ["status"] = container.Status };
                if (container.Error.Length > 0)
                {
                    answer["error_message"] = container.Error;
                }

                return Json(answer);
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
        var mediaType = form?["media_type"].ToString() ?? "";
        var text = form?["text"].ToString() ?? "";
        if (mediaType is not ("TEXT" or "IMAGE" or "VIDEO" or "CAROUSEL"))
        {
            return Error(400, 100, "(#100) The parameter media_type is required and must be one of TEXT, IMAGE, VIDEO, CAROUSEL");
        }

        if (mediaType == "TEXT" && text.Trim().Length == 0)
        {
            return Error(400, 100, "(#100) The parameter text is required for text posts");
        }

        if (mediaType == "VIDEO")
        {
            return Error(400, 100, "(#100) Video containers are not played by this stand-in");
        }

        if (text.Length > 500)
        {
            return Error(400, 100, "(#100) Text exceeds the 500 character limit");
        }

        IReadOnlyList<Image> images = [];
        var (status, problem) = ("FINISHED", "");
        if (mediaType == "CAROUSEL")
        {
            var children = (form?["children"].ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            lock (gate)
            {
                if (children.Length is < 2 or > 20 || !children.All(c => containers.TryGetValue(c, out var child) && child is { Item: true, Status: "FINISHED" }))
                {
                    return Error(400, 100, "(#100) The parameter children must hold 2 to 20 finished carousel items of this user");
                }

                images = [.. children.SelectMany(c => containers[c].Images)];
            }
        }
        else if (mediaType == "IMAGE")
        {
            var imageUrl = form?["image_url"].ToString() ?? "";
            if (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var address))
            {
                return Error(400, 100, "(#100) The parameter image_url is required for image posts");
            }

            // Threads fetches the image when the container is made: what the address serves now is what is posted.
            byte[] content = [];
            try
            {
                using var response = await fetcher.GetAsync(address);
                lock (gate)
                {
                    Fetches.Add((imageUrl, (int)response.StatusCode));
                }

                var type = response.Content.Headers.ContentType?.MediaType;
                (status, problem) = !response.IsSuccessStatusCode ? ("ERROR", "FAILED_DOWNLOADING_IMAGE")
                    : type is not ("image/jpeg" or "image/png") ? ("ERROR", "UNSUPPORTED_IMAGE_FORMAT") : ("FINISHED", "");
                content = status == "FINISHED" ? await response.Content.ReadAsByteArrayAsync() : [];
            }
            catch (HttpRequestException)
            {
                (status, problem) = ("ERROR", "FAILED_DOWNLOADING_IMAGE");
            }

            images = [new Image(imageUrl, content, form?["alt_text"].ToString() ?? "")];
        }

        lock (gate)
        {
            var container = new Container((++nextId).ToString(CultureInfo.InvariantCulture), mediaType, text, false, images, status, problem, form?["is_carousel_item"].ToString() == "true");
            containers[container.Id] = container;
            return Json(new JsonObject { ["id"] = container.Id });
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
            if (!containers.TryGetValue(creationId, out var container))
            {
                return Error(400, 100, "(#100) The parameter creation_id is required and must be a media container of this user", subcode: 33);
            }

            if (container.Item || container.Status != "FINISHED")
            {
                return Error(400, 100, "(#100) The media container is not ready to be published", subcode: 4279009);
            }

            if (container.Published)
            {
                return Error(400, 24, "The media container has already been published", subcode: 4279001);
            }

            containers[creationId] = container with { Published = true };
            var post = new Post((++nextId).ToString(CultureInfo.InvariantCulture), container.Text, DateTimeOffset.UtcNow, container.Images);
            posts.Add(post);
            return Json(new JsonObject { ["id"] = post.Id });
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
                if (fields.Contains("text"))
                {
                    item["text"] = p.Text;
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
        $"(#100) Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation", subcode: 33, type: "THApiException");

    private static IResult Error(int status, int code, string message, int? subcode = null, bool transient = false, string type = "OAuthException")
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code, ["fbtrace_id"] = "AbCdEfGh123" };
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
