using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of the Graph API that the Page connector uses, as documented: versioned paths, a Page token in
/// the Authorization header or access_token, unpublished photo uploads with alt_text_custom attached to a feed
/// post through attached_media, the Page feed since a time, deletion, the Page's name and debug_token. Errors
/// are Graph's <c>{"error": {"message", "type", "code", "error_subcode"}}</c>; like Graph, it refuses a
/// duplicate status with code 506 and signals Page throttling with code 32 and X-Business-Use-Case-Usage.
/// </summary>
public sealed partial class FacebookStandIn : StandIn
{
    public const string Token = "facebook-page-token";

    public const string PageId = "104857600123456";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Photo> photos = [];
    private readonly List<Post> posts = [];
    private long nextId = 122_100_000_000_000_000;

    /// <summary>A post on the Page's feed; <see cref="AuthorId"/> is the Page's own unless a visitor wrote it (<see cref="VisitorPost"/>).</summary>
    public sealed record Post(string Id, string Message, DateTimeOffset CreatedAt, IReadOnlyList<Photo> Photos, string AuthorId = PageId, string AuthorName = "Northfield Health");

    public sealed record Photo(string Id, string AltText, bool Published, byte[] Bytes);

    /// <summary>What debug_token reports as expires_at; null for a token that never expires (0).</summary>
    public DateTimeOffset? TokenExpiresAt { get; set; }

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

    public Post Seed(string message, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var post = new Post($"{PageId}_{++nextId}", message, createdAt, []);
            posts.Add(post);
            return post;
        }
    }

    protected override IResult FaultAnswer(Fault fault) => fault switch
    {
        Fault.RateLimited => new ThrottledResult(),
        Fault.ServerError => Error(500, 2, "An unexpected error has occurred. Please retry your request later.", transient: true),
        _ => Error(503, 1, "An unknown error occurred", transient: true),
    };

    /// <summary>Page throttling: code 32, with the business use case usage saying access returns in 7 minutes.</summary>
    private sealed class ThrottledResult : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var usage = new JsonObject
            {
                [PageId] = new JsonArray(new JsonObject
                {
                    ["type"] = "pages",
                    ["call_count"] = 100,
                    ["total_cputime"] = 25,
                    ["total_time"] = 40,
                    ["estimated_time_to_regain_access"] = 7,
                }),
            };
            context.Response.Headers["X-Business-Use-Case-Usage"] = usage.ToJsonString();
            return Error(400, 32, "(#32) Page request limit reached").ExecuteAsync(context);
        }
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0 || !VersionPattern().IsMatch(segments[0]))
            {
                await Error(400, 2635, "(#2635) You are calling a deprecated or unknown version of the Graph API.").ExecuteAsync(context);
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

        app.MapGet("/{version}/debug_token", (HttpRequest request) => Json(new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["app_id"] = "880000000000001",
                ["type"] = "PAGE",
                ["application"] = "Rounds",
                ["expires_at"] = TokenExpiresAt?.ToUnixTimeSeconds() ?? 0,
                ["is_valid"] = request.Query["input_token"] == Token,
                ["profile_id"] = PageId,
                ["scopes"] = new JsonArray("pages_manage_posts", "pages_read_engagement", "pages_show_list"),
            },
        }));
        app.MapGet("/{version}/{pageId}", (string pageId, HttpRequest request) => pageId == PageId
            ? Json(new JsonObject { ["name"] = "Northfield Health", ["id"] = PageId })
            : UnknownObject(pageId));
        app.MapPost("/{version}/{pageId}/photos", UploadAsync);
        app.MapPost("/{version}/{pageId}/feed", CreateAsync);
        app.MapGet("/{version}/{pageId}/feed", Feed);
        app.MapGet("/{version}/{postId}/comments", Comments);
        app.MapDelete("/{version}/{postId}", (string postId) =>
        {
            lock (gate)
            {
                return posts.RemoveAll(p => p.Id == postId) > 0 ? Json(new JsonObject { ["success"] = true }) : UnknownObject(postId);
            }
        });
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();

    private async Task<IResult> UploadAsync(string pageId, HttpRequest request)
    {
        if (pageId != PageId)
        {
            return UnknownObject(pageId);
        }

        if (!request.HasFormContentType || (await request.ReadFormAsync()).Files.GetFile("source") is not { } file)
        {
            return Error(400, 324, "(#324) Requires upload file");
        }

        var form = await request.ReadFormAsync();
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);
        lock (gate)
        {
            var photo = new Photo((++nextId).ToString(CultureInfo.InvariantCulture), form["alt_text_custom"].ToString(), form["published"] != "false", bytes.ToArray());
            photos[photo.Id] = photo;
            return Json(new JsonObject { ["id"] = photo.Id });
        }
    }

    private async Task<IResult> CreateAsync(string pageId, HttpRequest request)
    {
        if (pageId != PageId)
        {
            return UnknownObject(pageId);
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var message = form?["message"].ToString() ?? "";
        lock (gate)
        {
            var attached = new List<Photo>();
            for (var i = 0; form?[$"attached_media[{i}]"].ToString() is { Length: > 0 } value; i++)
            {
                var id = JsonNode.Parse(value)?["media_fbid"]?.GetValue<string>();
                if (id is null || !photos.TryGetValue(id, out var photo) || photo.Published)
                {
                    return Error(400, 100, $"(#100) param attached_media[{i}] must be an unpublished photo of this Page");
                }

                attached.Add(photo);
            }

            if (message.Trim().Length == 0 && attached.Count == 0)
            {
                return Error(400, 100, "(#100) Requires one of the params: link, textlink, message, attached_media");
            }

            if (message.Length > 0 && posts.Any(p => p.Message == message))
            {
                return Error(400, 506, "(#506) Duplicate status message");
            }

            var post = new Post($"{PageId}_{++nextId}", message, DateTimeOffset.UtcNow, attached);
            posts.Add(post);
            return Json(new JsonObject { ["id"] = post.Id });
        }
    }

    private IResult Feed(string pageId, HttpRequest request)
    {
        if (pageId != PageId)
        {
            return UnknownObject(pageId);
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
                if (fields.Contains("message") && p.Message.Length > 0)
                {
                    item["message"] = p.Message;
                }

                if (fields.Contains("created_time"))
                {
                    item["created_time"] = p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
                }

                if (fields.Contains("from"))
                {
                    item["from"] = new JsonObject { ["name"] = p.AuthorName, ["id"] = p.AuthorId };
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
                paging["next"] = Address($"{request.Path}?fields={request.Query["fields"]}&limit={limit}&after={skip + page.Count}"
                    + (request.Query.ContainsKey("since") ? $"&since={request.Query["since"]}" : ""));
            }

            return Json(new JsonObject { ["data"] = new JsonArray([.. page]), ["paging"] = paging });
        }
    }

    private static IResult UnknownObject(string id) => Error(400, 100,
        $"(#100) Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation", subcode: 33, type: "GraphMethodException");

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
