using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of LinkedIn's versioned Posts and Images APIs that the connector uses, as documented: every
/// /rest call needs LinkedIn-Version (YYYYMM) and X-Restli-Protocol-Version 2.0.0; posts are created with a
/// 201 and the URN in x-restli-id, found by author with the FINDER method, deleted by encoded URN; images are
/// registered with initializeUpload and PUT to the upload URL. Like LinkedIn, it cuts commentary short at the
/// first reserved character left unescaped, returns hashtags as templates, and refuses duplicate content. The
/// comments on posts are in LinkedInStandIn.Comments.cs.
/// </summary>
public sealed partial class LinkedInStandIn : StandIn
{
    public const string Token = "linkedin-member-token";

    public const string MemberId = "aBcD1234";

    public const string Organization = "urn:li:organization:2414183";

    private const string Reserved = @"\|{}@[]()<>#*_~";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Image> images = [];
    private readonly List<Post> posts = [];
    private long nextId = 7_100_000_000_000_000_000;

    public sealed record Post(string Urn, string Author, string Commentary, DateTimeOffset CreatedAt, string Visibility, IReadOnlyList<(Image Image, string AltText)> Media);

    public sealed class Image(string urn, string owner, string uploadToken)
    {
        public string Urn { get; } = urn;

        public string Owner { get; } = owner;

        public string UploadToken { get; } = uploadToken;

        public byte[]? Bytes { get; set; }
    }

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

    public Post Seed(string commentary, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var post = new Post($"urn:li:share:{++nextId}", Organization, commentary, createdAt, "PUBLIC", []);
            posts.Add(post);
            return post;
        }
    }

    protected override IResult FaultAnswer(Fault fault) => fault switch
    {
        Fault.RateLimited => Throttled(),
        Fault.ServerError => Error(500, "Internal Server Error"),
        _ => Error(503, "Service Unavailable"),
    };

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (BearerToken(context.Request) != Token)
            {
                await Json(new JsonObject { ["status"] = 401, ["serviceErrorCode"] = 65600, ["code"] = "INVALID_ACCESS_TOKEN", ["message"] = "Invalid access token" }, 401).ExecuteAsync(context);
                return;
            }

            if (context.Request.Path.StartsWithSegments("/rest") && HeaderProblem(context.Request) is { } problem)
            {
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/v2/userinfo", () => Json(new JsonObject
        {
            ["sub"] = MemberId,
            ["name"] = "Avery Lindqvist",
            ["given_name"] = "Avery",
            ["family_name"] = "Lindqvist",
            ["email_verified"] = true,
        }));
        app.MapGet("/rest/organizations/{id}", (string id) => $"urn:li:organization:{id}" == Organization
            ? Json(new JsonObject { ["id"] = long.Parse(id, CultureInfo.InvariantCulture), ["localizedName"] = "Northfield Health", ["vanityName"] = "northfield-health" })
            : Error(404, $"Organization {id} not found"));
        app.MapPost("/rest/images", InitializeUploadAsync);
        app.MapPut("/upload/{token}", UploadAsync);
        app.MapPost("/rest/posts", CreateAsync);
        app.MapGet("/rest/posts", FindByAuthor);
        app.MapGet("/rest/socialActions/{target}/comments", CommentsOn);
        app.MapGet("/rest/organizationsLookup", LookUpOrganizations);
        app.MapDelete("/rest/posts/{urn}", (string urn, HttpRequest request) =>
        {
            if (request.Headers["X-RestLi-Method"] != "DELETE")
            {
                return Error(400, "X-RestLi-Method DELETE is required");
            }

            lock (gate)
            {
                return posts.RemoveAll(p => p.Urn == urn) > 0 ? Results.StatusCode(204) : Error(404, $"Post {urn} not found");
            }
        });
    }

    private static IResult? HeaderProblem(HttpRequest request)
    {
        var version = request.Headers["LinkedIn-Version"].ToString();
        if (version.Length == 0)
        {
            return Json(new JsonObject { ["status"] = 400, ["code"] = "VERSION_MISSING", ["message"] = "A version must be present. Please specify a version by adding the LinkedIn-Version header." }, 400);
        }

        // Versions are monthly (YYYYMM) and each is served for about a year.
        if (!VersionPattern().IsMatch(version) || string.CompareOrdinal(version, "202601") < 0)
        {
            return Json(new JsonObject { ["status"] = 426, ["code"] = "NONEXISTENT_VERSION", ["message"] = $"Requested version {version} is not active" }, 426);
        }

        return request.Headers["X-Restli-Protocol-Version"] == "2.0.0" ? null : Error(400, "X-Restli-Protocol-Version 2.0.0 is required");
    }

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex VersionPattern();

    private async Task<IResult> InitializeUploadAsync(HttpRequest request)
    {
        if (request.Query["action"] != "initializeUpload")
        {
            return Error(400, "Unsupported action");
        }

        var owner = (await ReadJsonObjectAsync(request))?["initializeUploadRequest"]?["owner"]?.GetValue<string>();
        if (owner is null)
        {
            return Error(422, "ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value");
        }

        if (owner != Organization && owner != $"urn:li:person:{MemberId}")
        {
            return Error(403, "Not enough permissions to access: images.CREATE.20260501");
        }

        lock (gate)
        {
            var image = new Image($"urn:li:image:C4E10AQ{++nextId}", owner, Guid.NewGuid().ToString("N"));
            images[image.UploadToken] = image;
            return Json(new JsonObject
            {
                ["value"] = new JsonObject
                {
                    ["uploadUrlExpiresAt"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(),
                    ["uploadUrl"] = Address($"/upload/{image.UploadToken}"),
                    ["image"] = image.Urn,
                },
            });
        }
    }

    private async Task<IResult> UploadAsync(string token, HttpRequest request)
    {
        using var bytes = new MemoryStream();
        await request.Body.CopyToAsync(bytes);
        lock (gate)
        {
            if (!images.TryGetValue(token, out var image))
            {
                return Error(404, "Upload not found");
            }

            image.Bytes = bytes.ToArray();
            return Results.StatusCode(201);
        }
    }

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var body = await ReadJsonObjectAsync(request);
        if (body is null)
        {
            return Error(400, "The request body must be JSON");
        }

        foreach (var field in new[] { "author", "commentary", "visibility", "distribution", "lifecycleState" })
        {
            if (body[field] is null)
            {
                return Error(422, $"ERROR :: /{field} :: field is required but not found and has no default value");
            }
        }

        var author = body["author"]!.GetValue<string>();
        var visibility = body["visibility"]!.GetValue<string>();
        var feed = body["distribution"]?["feedDistribution"]?.GetValue<string>();
        if (author != Organization && author != $"urn:li:person:{MemberId}")
        {
            return Error(403, $"Not enough permissions to post as {author}");
        }

        if (visibility is not ("PUBLIC" or "CONNECTIONS" or "LOGGED_IN") || feed is not ("MAIN_FEED" or "NONE") || body["lifecycleState"]!.GetValue<string>() != "PUBLISHED")
        {
            return Error(422, "ERROR :: /visibility, /distribution/feedDistribution or /lifecycleState :: invalid enum value");
        }

        var commentary = Truncated(body["commentary"]!.GetValue<string>());
        lock (gate)
        {
            var media = new List<(Image, string)>();
            var content = body["content"];
            var items = content?["media"] is JsonObject single ? [single]
                : content?["multiImage"]?["images"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            if (content?["multiImage"] is not null && items.Count is < 2 or > 20)
            {
                return Error(422, "ERROR :: /content/multiImage/images :: must have between 2 and 20 images");
            }

            foreach (var item in items)
            {
                var urn = item["id"]?.GetValue<string>();
                var image = images.Values.FirstOrDefault(i => i.Urn == urn);
                if (image?.Bytes is null)
                {
                    return Error(422, $"ERROR :: /content :: {urn} is not an available image");
                }

                media.Add((image, item["altText"]?.GetValue<string>() ?? ""));
            }

            if (commentary.Trim().Length == 0 && media.Count == 0)
            {
                return Error(422, "ERROR :: /commentary :: a post needs commentary or content");
            }

            var stored = HashtagsAsTemplates(commentary);
            if (posts.FirstOrDefault(p => p.Author == author && p.Commentary == stored) is { } earlier)
            {
                return Error(422, $"Content is a duplicate of {earlier.Urn}");
            }

            var post = new Post($"urn:li:share:{++nextId}", author, stored, DateTimeOffset.UtcNow, visibility, media);
            posts.Add(post);
            return new CreatedResult(post.Urn);
        }
    }

    /// <summary>201 with an empty body and the new post's URN in x-restli-id.</summary>
    private sealed class CreatedResult(string urn) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["x-restli-id"] = urn;
            return Task.CompletedTask;
        }
    }

    private IResult FindByAuthor(HttpRequest request)
    {
        if (request.Headers["X-RestLi-Method"] != "FINDER" || request.Query["q"] != "author")
        {
            return Error(400, "Finding posts needs q=author and X-RestLi-Method: FINDER");
        }

        var author = request.Query["author"].ToString();
        var count = int.TryParse(request.Query["count"], out var c) ? Math.Clamp(c, 1, 100) : 10;
        var start = int.TryParse(request.Query["start"], out var s) ? s : 0;
        lock (gate)
        {
            var elements = posts.Where(p => p.Author == author)
                .OrderByDescending(p => p.CreatedAt)
                .Skip(start)
                .Take(count)
                .Select(p => (JsonNode?)new JsonObject
                {
                    ["id"] = p.Urn,
                    ["author"] = p.Author,
                    ["commentary"] = p.Commentary,
                    ["visibility"] = p.Visibility,
                    ["lifecycleState"] = "PUBLISHED",
                    ["createdAt"] = p.CreatedAt.ToUnixTimeMilliseconds(),
                    ["publishedAt"] = p.CreatedAt.ToUnixTimeMilliseconds(),
                    ["lastModifiedAt"] = p.CreatedAt.ToUnixTimeMilliseconds(),
                    ["distribution"] = new JsonObject { ["feedDistribution"] = "MAIN_FEED" },
                });
            return Json(new JsonObject
            {
                ["elements"] = new JsonArray([.. elements]),
                ["paging"] = new JsonObject { ["start"] = start, ["count"] = count, ["links"] = new JsonArray() },
            });
        }
    }

    /// <summary>What LinkedIn keeps of commentary: everything before the first reserved character left unescaped (a hashtag's # aside).</summary>
    private static string Truncated(string commentary)
    {
        for (var i = 0; i < commentary.Length; i++)
        {
            if (commentary[i] == '\\' && i + 1 < commentary.Length && Reserved.Contains(commentary[i + 1], StringComparison.Ordinal))
            {
                i++;
                continue;
            }

            var hashtag = commentary[i] == '#' && (i == 0 || char.IsWhiteSpace(commentary[i - 1])) && i + 1 < commentary.Length && char.IsLetterOrDigit(commentary[i + 1]);
            if (Reserved.Contains(commentary[i], StringComparison.Ordinal) && !hashtag)
            {
                return commentary[..i];
            }
        }

        return commentary;
    }

    private static string HashtagsAsTemplates(string commentary) =>
        Hashtag().Replace(commentary, m => new StringBuilder().Append(m.Groups[1].Value).Append(@"{hashtag|\#|").Append(m.Groups[2].Value).Append('}').ToString());

    [GeneratedRegex(@"(^|\s)#(\w+)")]
    private static partial Regex Hashtag();

    private static IResult Error(int status, string message) => Json(new JsonObject { ["status"] = status, ["message"] = message }, status);
}
