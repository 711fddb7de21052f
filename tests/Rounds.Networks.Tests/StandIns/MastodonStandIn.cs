using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of a Mastodon instance's REST API that the connector uses, as documented: statuses with
/// Idempotency-Key (remembered for an hour), v2 media uploads processed in the background (202, then 206 from
/// GET /api/v1/media/:id until done), account statuses newest first, status source, and deletion. Other accounts
/// on the instance (physicians) can be added with a bio and statuses, some with video; looking an account up and
/// listing its public statuses need no token, as on an instance that allows public reads.
/// </summary>
public sealed partial class MastodonStandIn : StandIn
{
    public const string Token = "mastodon-access-token";

    public const string AccountId = "109000000000000001";

    public const string Username = "northfield";

    private readonly Lock gate = new();
    private readonly Dictionary<string, (Status Status, DateTimeOffset At)> keys = [];
    private readonly Dictionary<string, Attachment> media = [];
    private readonly List<Status> statuses = [];
    private readonly Dictionary<string, Other> others = [];
    private readonly HashSet<(string From, string To)> follows = [];
    private long nextId = 110_000_000_000_000_000;

    public sealed record Status(string Id, string Text, DateTimeOffset CreatedAt, IReadOnlyList<Attachment> Media, string Visibility)
    {
        /// <summary>The status this one answers, for mentions written as replies.</summary>
        public string? InReplyTo { get; init; }
    }

    /// <summary>Another account on the instance, with its own statuses, each marked when its attachment is a video.</summary>
    private sealed record Other(string Id, string Username, string Note, List<(Status Status, bool Video)> Statuses);

    public sealed class Attachment(string id, string description, byte[] bytes)
    {
        public string Id { get; } = id;

        public string Description { get; } = description;

        public byte[] Bytes { get; } = bytes;

        public int PollsLeft { get; set; }
    }

    /// <summary>How many times GET /api/v1/media/:id answers 206 before the upload is processed.</summary>
    public int ProcessingPolls { get; set; } = 1;

    public IReadOnlyList<Status> Statuses
    {
        get
        {
            lock (gate)
            {
                return [.. statuses];
            }
        }
    }

    /// <summary>A status made outside Rounds (or long ago) at the given time.</summary>
    public Status Seed(string text, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var status = new Status(NextId(), text, createdAt, [], "public");
            statuses.Add(status);
            return status;
        }
    }

    /// <summary>Adds an account to the instance with a bio (HTML, as Mastodon stores it); returns its id.</summary>
    public string AddAccount(string username, string noteHtml)
    {
        lock (gate)
        {
            var id = NextId();
            others[id] = new Other(id, username, noteHtml, []);
            return id;
        }
    }

    /// <summary>The name the instance answers to in <c>name@domain</c>; its address unless told otherwise.</summary>
    public string? Domain { get; set; }

    /// <summary>One account follows another (either may be <see cref="AccountId"/>).</summary>
    public void Follow(string from, string to)
    {
        lock (gate)
        {
            follows.Add((from, to));
        }
    }

    /// <summary>A status of another account at the given time, with a video attachment when <paramref name="video"/>.</summary>
    public void SeedFor(string accountId, string text, DateTimeOffset createdAt, bool video = false)
    {
        lock (gate)
        {
            Attachment[] media = video ? [new Attachment(NextId(), "A short clip", [0])] : [];
            others[accountId].Statuses.Add((new Status(NextId(), text, createdAt, media, "public"), video));
        }
    }

    protected override IResult FaultAnswer(Fault fault) => fault switch
    {
        Fault.RateLimited => new RateLimitedResult(),
        Fault.ServerError => Results.Text("<html><body><h1>We're sorry, but something went wrong.</h1></body></html>", "text/html", statusCode: 500),
        _ => Results.Text("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", "text/html", statusCode: 503),
    };

    /// <summary>429 with Mastodon's rate-limit headers; the reset is an ISO 8601 time 90 seconds away.</summary>
    private sealed class RateLimitedResult : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers["X-RateLimit-Limit"] = "300";
            context.Response.Headers["X-RateLimit-Remaining"] = "0";
            context.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(90).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            return Json(new JsonObject { ["error"] = "Too many requests" }, 429).ExecuteAsync(context);
        }
    }

    /// <summary>
    /// When set, the instance enforces a request limit per window as Mastodon does (a fixed window from the first
    /// request): every answer says how many requests are left and when the window resets, and a request over the
    /// limit is answered 429 with those headers and <c>Retry-After</c>.
    /// </summary>
    public (int Requests, TimeSpan Window)? Limit { get; set; }

    /// <summary>Off to send the rate-limit headers only on a 429, as a server behind a proxy that drops them might.</summary>
    public bool SendsRemaining { get; set; } = true;

    /// <summary>Requests answered 429 because they went over <see cref="Limit"/>.</summary>
    public int OverLimit { get; private set; }

    private DateTimeOffset windowStart;
    private int inWindow;

    private async Task LimitAsync(HttpContext context, RequestDelegate next)
    {
        if (Limit is not { } limit)
        {
            await next(context);
            return;
        }

        int left;
        DateTimeOffset reset;
        lock (gate)
        {
            var now = DateTimeOffset.UtcNow;
            if (now >= windowStart + limit.Window)
            {
                // Whole milliseconds, so the reset sent (to the millisecond) is exactly when the window ends.
                windowStart = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
                inWindow = 0;
            }

            reset = windowStart + limit.Window;
            left = limit.Requests - ++inWindow;
            if (left < 0)
            {
                OverLimit++;
            }
        }

        var headers = context.Response.Headers;
        if (SendsRemaining || left < 0)
        {
            headers["X-RateLimit-Limit"] = limit.Requests.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = Math.Max(0, left).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        if (left < 0)
        {
            headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((reset - DateTimeOffset.UtcNow).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Error("Too many requests", 429).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    protected override void Map(WebApplication app)
    {
        app.Use(LimitAsync);
        app.Use(async (context, next) =>
        {
            // A wrong token is refused everywhere; no token at all only where the instance allows public reads.
            var token = BearerToken(context.Request);
            if (token is null && IsPublicRead(context.Request))
            {
                await next(context);
                return;
            }

            if (token != Token)
            {
                await Error("The access token is invalid", 401).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/api/v1/accounts/verify_credentials", () => Json(AccountJson()));
        MapNotifications(app);
        MapStreaming(app);
        app.MapPost("/api/v2/media", UploadAsync);
        app.MapGet("/api/v1/media/{id}", (string id) => Processed(id));
        app.MapPost("/api/v1/statuses", CreateAsync);
        app.MapGet("/api/v1/accounts/{id}/statuses", ListStatuses);
        app.MapGet("/api/v1/accounts/lookup", (string? acct) => Lookup(acct));
        // Relationships of the token's account to each id[] asked; ids the instance does not have are left out.
        app.MapGet("/api/v1/accounts/relationships", (HttpRequest request) =>
        {
            lock (gate)
            {
                var answer = request.Query["id[]"].Concat(request.Query["id"]).Where(id => id is not null && (id == AccountId || others.ContainsKey(id)))
                    .Select(id => (JsonNode?)new JsonObject
                    {
                        ["id"] = id,
                        ["following"] = follows.Contains((AccountId, id!)),
                        ["followed_by"] = follows.Contains((id!, AccountId)),
                        ["blocking"] = false,
                        ["muting"] = false,
                        ["requested"] = false,
                    });
                return Json(new JsonArray([.. answer]));
            }
        });
        app.MapGet("/api/v1/statuses/{id}/source", (string id) =>
        {
            lock (gate)
            {
                return statuses.Find(s => s.Id == id) is { } status
                    ? Json(new JsonObject { ["id"] = status.Id, ["text"] = status.Text, ["spoiler_text"] = "" })
                    : Error("Record not found", 404);
            }
        });
        app.MapDelete("/api/v1/statuses/{id}", (string id) =>
        {
            lock (gate)
            {
                if (statuses.Find(s => s.Id == id) is not { } status)
                {
                    return Error("Record not found", 404);
                }

                statuses.Remove(status);
                var deleted = StatusJson(status);
                deleted["text"] = status.Text;
                return Json(deleted);
            }
        });
    }

    private async Task<IResult> UploadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return Error("Validation failed: File can't be blank", 422);
        }

        var form = await request.ReadFormAsync();
        if (form.Files.GetFile("file") is not { } file || !file.ContentType.StartsWith("image/", StringComparison.Ordinal))
        {
            return Error("Validation failed: File content type is invalid", 422);
        }

        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);
        lock (gate)
        {
            var attachment = new Attachment(NextId(), form["description"].ToString(), bytes.ToArray()) { PollsLeft = ProcessingPolls };
            media[attachment.Id] = attachment;
            return Json(AttachmentJson(attachment), attachment.PollsLeft > 0 ? 202 : 200);
        }
    }

    private IResult Processed(string id)
    {
        lock (gate)
        {
            if (!media.TryGetValue(id, out var attachment))
            {
                return Error("Record not found", 404);
            }

            if (attachment.PollsLeft > 0)
            {
                attachment.PollsLeft--;
                return Json(AttachmentJson(attachment, processing: true), 206);
            }

            return Json(AttachmentJson(attachment));
        }
    }

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var body = await ReadJsonObjectAsync(request);
        if (body is null)
        {
            return Error("Validation failed: Text can't be blank", 422);
        }

        var text = body["status"]?.GetValue<string>() ?? "";
        var visibility = body["visibility"]?.GetValue<string>() ?? "public";
        var mediaIds = body["media_ids"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        var key = request.Headers["Idempotency-Key"].ToString();
        lock (gate)
        {
            if (key.Length > 0 && keys.TryGetValue(key, out var earlier) && DateTimeOffset.UtcNow - earlier.At < TimeSpan.FromHours(1))
            {
                return Json(StatusJson(earlier.Status));
            }

            if (visibility is not ("public" or "unlisted" or "private" or "direct"))
            {
                return Error("Validation failed: Visibility is not included in the list", 422);
            }

            if (mediaIds.Count > 4)
            {
                return Error("Validation failed: You can only attach up to 4 images", 422);
            }

            var attached = new List<Attachment>();
            foreach (var id in mediaIds)
            {
                if (!media.TryGetValue(id, out var attachment))
                {
                    return Error("Validation failed: Media attachments are invalid", 422);
                }

                if (attachment.PollsLeft > 0)
                {
                    return Error("Cannot attach files that have not finished processing. Try again in a moment!", 422);
                }

                attached.Add(attachment);
            }

            if (string.IsNullOrWhiteSpace(text) && attached.Count == 0)
            {
                return Error("Validation failed: Text can't be blank", 422);
            }

            if (PostLimits.Mastodon.Measure(text) > 500)
            {
                return Error("Validation failed: Text character limit of 500 exceeded", 422);
            }

            var status = new Status(NextId(), text, DateTimeOffset.UtcNow, attached, visibility);
            statuses.Add(status);
            if (key.Length > 0)
            {
                keys[key] = (status, DateTimeOffset.UtcNow);
            }

            return Json(StatusJson(status));
        }
    }

    private static bool IsPublicRead(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Path == "/api/v1/accounts/lookup" || (request.Path.StartsWithSegments("/api/v1/accounts") && request.Path.Value!.EndsWith("/statuses", StringComparison.Ordinal)));

    /// <summary>An account of this instance by name; <c>name@domain</c> is found only when the domain is this instance's.</summary>
    private IResult Lookup(string? acct)
    {
        var parts = (acct ?? "").TrimStart('@').Split('@');
        if (parts.Length > 2 || (parts.Length == 2 && parts[1] != (Domain ?? Url.Authority)))
        {
            return Error("Record not found", 404);
        }

        lock (gate)
        {
            if (parts[0] == Username)
            {
                return Json(AccountJson());
            }

            return others.Values.FirstOrDefault(o => o.Username == parts[0]) is { } other ? Json(OtherJson(other)) : Error("Record not found", 404);
        }
    }

    private IResult ListStatuses(string id, HttpRequest request)
    {
        Other? other;
        lock (gate)
        {
            others.TryGetValue(id, out other);
        }

        if (id != AccountId && other is null)
        {
            return Error("Record not found", 404);
        }

        var limit = int.TryParse(request.Query["limit"], out var l) ? Math.Clamp(l, 1, 40) : 20;
        var maxId = long.TryParse(request.Query["max_id"], out var m) ? m : long.MaxValue;
        lock (gate)
        {
            if (other is not null)
            {
                var theirs = other.Statuses.Where(s => long.Parse(s.Status.Id, CultureInfo.InvariantCulture) < maxId)
                    .OrderByDescending(s => long.Parse(s.Status.Id, CultureInfo.InvariantCulture))
                    .Take(limit)
                    .Select(s => (JsonNode?)OtherStatusJson(other, s.Status, s.Video));
                return Json(new JsonArray([.. theirs]));
            }

            return Paged(statuses.Select(s => (s.Id, (JsonNode)StatusJson(s))), request, 40);
        }
    }

    private JsonObject AccountJson() => new()
    {
        ["id"] = AccountId,
        ["username"] = Username,
        ["acct"] = Username,
        ["display_name"] = "Northfield Health",
        ["note"] = "<p>Official account of Northfield Health.<br>Press: press@northfield.example</p>",
        ["url"] = Address($"/@{Username}"),
    };

    private JsonObject OtherJson(Other other) => new()
    {
        ["id"] = other.Id,
        ["username"] = other.Username,
        ["acct"] = other.Username,
        ["display_name"] = other.Username,
        ["note"] = other.Note,
        ["url"] = Address($"/@{other.Username}"),
        ["statuses_count"] = other.Statuses.Count,
    };

    private JsonObject OtherStatusJson(Other other, Status status, bool video) => new()
    {
        ["id"] = status.Id,
        ["created_at"] = status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["visibility"] = status.Visibility,
        ["uri"] = Address($"/users/{other.Username}/statuses/{status.Id}"),
        ["url"] = Address($"/@{other.Username}/{status.Id}"),
        ["content"] = "<p>" + WebUtility.HtmlEncode(status.Text) + "</p>",
        ["account"] = OtherJson(other),
        ["media_attachments"] = new JsonArray([.. status.Media.Select(a => (JsonNode?)new JsonObject
        {
            ["id"] = a.Id,
            ["type"] = video ? "video" : "image",
            ["url"] = Address($"/system/media_attachments/{a.Id}/original.{(video ? "mp4" : "png")}"),
            ["description"] = a.Description,
        })]),
    };

    private JsonObject StatusJson(Status status) => new()
    {
        ["id"] = status.Id,
        ["created_at"] = status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["visibility"] = status.Visibility,
        ["uri"] = Address($"/users/{Username}/statuses/{status.Id}"),
        ["url"] = Address($"/@{Username}/{status.Id}"),
        // Mastodon renders the text as HTML; clients that want the source ask for it.
        ["content"] = "<p>" + WebUtility.HtmlEncode(status.Text).ReplaceLineEndings("<br />") + "</p>",
        ["account"] = AccountJson(),
        ["media_attachments"] = new JsonArray([.. status.Media.Select(a => (JsonNode?)AttachmentJson(a))]),
    };

    private JsonObject AttachmentJson(Attachment attachment, bool processing = false) => new()
    {
        ["id"] = attachment.Id,
        ["type"] = "image",
        ["url"] = processing || attachment.PollsLeft > 0 ? null : Address($"/system/media_attachments/{attachment.Id}/original.png"),
        ["preview_url"] = Address($"/system/media_attachments/{attachment.Id}/small.png"),
        ["description"] = attachment.Description,
    };

    private static IResult Error(string message, int status) => Json(new JsonObject { ["error"] = message }, status);

    private string NextId() => (++nextId).ToString(CultureInfo.InvariantCulture);
}
