using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of X API v2 that the connector uses, as documented: POST /2/tweets, the v2 media upload and
/// metadata endpoints, GET /2/users/me, a user's posts since a time (newest first, paginated), and deletion.
/// Like X, it stores text with links shortened to t.co and &amp;, &lt; and &gt; escaped, appends a t.co link
/// for attached media, refuses duplicate text, and answers errors as problem JSON.
/// </summary>
public sealed partial class XStandIn : StandIn
{
    public const string Token = "x-user-access-token";

    public const string UserId = "1500000000000000001";

    public const string Username = "NorthfieldHealth";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Upload> media = [];
    private readonly List<Tweet> tweets = [];
    private long nextId = 1_860_000_000_000_000_000;

    /// <summary>A post; <see cref="AuthorId"/> is the account's own unless someone else wrote it (<see cref="Mention"/>).</summary>
    public sealed record Tweet(string Id, string Text, DateTimeOffset CreatedAt, IReadOnlyList<Upload> Media, string AuthorId = UserId, string? ReplyTo = null, string? ConversationId = null);

    public sealed class Upload(string id, string category, byte[] bytes)
    {
        public string Id { get; } = id;

        public string Category { get; } = category;

        public byte[] Bytes { get; } = bytes;

        public string? AltText { get; set; }
    }

    public IReadOnlyList<Tweet> Tweets
    {
        get
        {
            lock (gate)
            {
                return [.. tweets];
            }
        }
    }

    public Tweet Seed(string text, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var tweet = new Tweet(NextId(), Stored(text, false), createdAt, []);
            tweets.Add(tweet);
            return tweet;
        }
    }

    /// <summary>Whether a rate-limited answer says the account's 24-hour posting cap ran out (it resets in six hours).</summary>
    public bool DailyCapReached { get; set; }

    protected override IResult FaultAnswer(Fault fault) => fault switch
    {
        Fault.RateLimited => new RateLimitedResult(DailyCapReached),
        Fault.ServerError => Problem(500, "Internal Server Error", "Something went wrong. Please try again later."),
        _ => Problem(503, "Service Unavailable", "Service Unavailable"),
    };

    /// <summary>
    /// 429 with X's headers: the endpoint's window resets (epoch seconds) fifteen minutes from now; the user's
    /// 24-hour posting cap is reported beside it.
    /// </summary>
    private sealed class RateLimitedResult(bool dailyCapReached) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers["x-rate-limit-limit"] = "100";
            context.Response.Headers["x-rate-limit-remaining"] = dailyCapReached ? "42" : "0";
            context.Response.Headers["x-rate-limit-reset"] = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-user-limit-24hour-limit"] = "100";
            context.Response.Headers["x-user-limit-24hour-remaining"] = dailyCapReached ? "0" : "57";
            context.Response.Headers["x-user-limit-24hour-reset"] = DateTimeOffset.UtcNow.AddHours(6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return Problem(429, "Too Many Requests", "Too Many Requests").ExecuteAsync(context);
        }
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (BearerToken(context.Request) != Token)
            {
                await Problem(401, "Unauthorized", "Unauthorized").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/2/users/me", () => Json(new JsonObject
        {
            ["data"] = new JsonObject { ["id"] = UserId, ["name"] = "Northfield Health", ["username"] = Username },
        }));
        app.MapPost("/2/media/upload", UploadAsync);
        app.MapPost("/2/media/metadata", MetadataAsync);
        app.MapPost("/2/tweets", CreateAsync);
        app.MapGet("/2/users/{id}/tweets", (string id, HttpRequest request) => Timeline(id, request, mentions: false));
        app.MapGet("/2/users/{id}/mentions", (string id, HttpRequest request) => Timeline(id, request, mentions: true));
        app.MapGet("/2/users/by/username/{username}", UserByName);
        app.MapDelete("/2/tweets/{id}", (string id) =>
        {
            lock (gate)
            {
                if (tweets.Find(t => t.Id == id) is not { } tweet)
                {
                    return Problem(404, "Not Found Error", $"Could not find tweet with id: [{id}].", "https://api.twitter.com/2/problems/resource-not-found");
                }

                tweets.Remove(tweet);
                return Json(new JsonObject { ["data"] = new JsonObject { ["deleted"] = true } });
            }
        });
    }

    private async Task<IResult> UploadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return Invalid("media: is missing but it is required");
        }

        var form = await request.ReadFormAsync();
        var category = form["media_category"].ToString();
        if (form.Files.GetFile("media") is not { } file)
        {
            return Invalid("media: is missing but it is required");
        }

        if (category is not ("tweet_image" or "tweet_gif" or "tweet_video" or "dm_image" or "dm_gif" or "dm_video" or "subtitles"))
        {
            return Invalid($"media_category: '{category}' is not one of the allowed values");
        }

        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);
        lock (gate)
        {
            var upload = new Upload(NextId(), category, bytes.ToArray());
            media[upload.Id] = upload;
            return Json(new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["id"] = upload.Id,
                    ["media_key"] = "3_" + upload.Id,
                    ["size"] = upload.Bytes.Length,
                    ["expires_after_secs"] = 86400,
                },
            });
        }
    }

    private async Task<IResult> MetadataAsync(HttpRequest request)
    {
        var body = await ReadJsonObjectAsync(request);
        var id = body?["id"]?.GetValue<string>();
        var alt = body?["metadata"]?["alt_text"]?["text"]?.GetValue<string>();
        lock (gate)
        {
            if (id is null || !media.TryGetValue(id, out var upload))
            {
                return Invalid("id: is missing or is not a media id you uploaded");
            }

            if (alt is null || alt.Length > 1000)
            {
                return Invalid("metadata.alt_text.text: must be at most 1000 characters");
            }

            upload.AltText = alt;
            return Json(new JsonObject
            {
                ["data"] = new JsonObject { ["id"] = id, ["associated_metadata"] = new JsonObject { ["alt_text"] = new JsonObject { ["text"] = alt } } },
            });
        }
    }

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var body = await ReadJsonObjectAsync(request);
        if (body is null)
        {
            return Invalid("$: the request body must be a JSON object");
        }

        var unknown = body.Select(p => p.Key).FirstOrDefault(k => k is not ("text" or "media" or "reply" or "quote_tweet_id" or "poll" or "reply_settings"));
        if (unknown is not null)
        {
            return Invalid($"$.{unknown}: is not defined in the schema and the schema does not allow additional properties");
        }

        var text = body["text"]?.GetValue<string>();
        var ids = body["media"]?["media_ids"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        lock (gate)
        {
            var attached = new List<Upload>();
            foreach (var id in ids)
            {
                if (!media.TryGetValue(id, out var upload))
                {
                    return Invalid($"media.media_ids: {id} is not a media id you uploaded");
                }

                attached.Add(upload);
            }

            if (ids.Count > 4)
            {
                return Invalid("media.media_ids: must have at most 4 items");
            }

            if (string.IsNullOrWhiteSpace(text) && attached.Count == 0)
            {
                return Invalid("text: must not be blank when no media is attached");
            }

            if (text is not null && PostLimits.X.Measure(text) > 280)
            {
                return Problem(403, "Forbidden", "Your Tweet text is too long.");
            }

            var stored = Stored(text ?? "", attached.Count > 0);
            if (tweets.Any(t => t.Text == stored))
            {
                return Problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.");
            }

            var tweet = new Tweet(NextId(), stored, DateTimeOffset.UtcNow, attached);
            tweets.Add(tweet);
            return Json(new JsonObject
            {
                ["data"] = new JsonObject { ["id"] = tweet.Id, ["text"] = tweet.Text, ["edit_history_tweet_ids"] = new JsonArray(tweet.Id) },
            }, 201);
        }
    }

    /// <summary>The text as X keeps it: entities escaped, links through t.co, a t.co link for the media.</summary>
    private static string Stored(string text, bool hasMedia)
    {
        var escaped = text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        var shortened = Link().Replace(escaped, m => "https://t.co/" + ShortCode(m.Value));
        return hasMedia ? $"{shortened} https://t.co/{ShortCode(text + "media")}" : shortened;
    }

    private static string ShortCode(string value) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..10].ToLowerInvariant();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();

    private static IResult Invalid(string message) => Json(new JsonObject
    {
        ["errors"] = new JsonArray(new JsonObject { ["message"] = message }),
        ["title"] = "Invalid Request",
        ["detail"] = "One or more parameters to your request was invalid.",
        ["type"] = "https://api.twitter.com/2/problems/invalid-request",
    }, 400, "application/problem+json");

    private static IResult Problem(int status, string title, string detail, string type = "about:blank") => Json(new JsonObject
    {
        ["title"] = title,
        ["detail"] = detail,
        ["type"] = type,
        ["status"] = status,
    }, status, "application/problem+json");

    private string NextId() => (++nextId).ToString(CultureInfo.InvariantCulture);
}
