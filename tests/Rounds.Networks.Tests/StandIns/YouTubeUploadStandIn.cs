using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rounds.Networks.YouTube;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The YouTube Data API v3's resumable video upload as Google documents it: an OAuth token as a Bearer header;
/// <c>POST /upload/youtube/v3/videos?uploadType=resumable&amp;part=…</c> with the video resource as JSON (a title is
/// required, at most 100 characters, and the description at most 5,000 bytes, neither with &lt; or &gt;),
/// <c>X-Upload-Content-Length</c> and <c>X-Upload-Content-Type</c>, answered with the session address in
/// <c>Location</c>; <c>PUT</c> to that address with <c>Content-Range: bytes FIRST-LAST/TOTAL</c> (every chunk but
/// the last a multiple of 256 KiB, starting where the server's bytes end), answered <c>308</c> with
/// <c>Range: bytes=0-N</c> (none before the first byte) until the last byte arrives, then <c>201</c> with the video;
/// <c>PUT</c> with <c>Content-Range: bytes */TOTAL</c> asks where the upload stands; an unknown or expired session
/// is 404. Uploads spend the channel's daily upload allowance (403 <c>uploadLimitExceeded</c>), and
/// <c>channels.list?mine=true</c> and <c>videos.delete</c> complete what the connector calls.
/// </summary>
public sealed class YouTubeUploadStandIn : StandIn
{
    public const string Token = "youtube-oauth-token";

    public const string ChannelId = "UCnorthfieldhealth0000001";

    public const string ChannelTitle = "Northfield Health";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Session> sessions = [];
    private readonly List<Video> videos = [];
    private int next;
    private int? cutNextChunkAt;

    public sealed record Video(string Id, string Title, string Description, string PrivacyStatus, string ContentType, byte[] Bytes);

    private sealed class Session(string id, JsonObject resource, long total, string contentType)
    {
        public string Id { get; } = id;

        public JsonObject Resource { get; } = resource;

        public long Total { get; } = total;

        public string ContentType { get; } = contentType;

        public MemoryStream Received { get; } = new();

        public Video? Done { get; set; }
    }

    public IReadOnlyList<Video> Videos
    {
        get
        {
            lock (gate)
            {
                return [.. videos];
            }
        }
    }

    /// <summary>Sessions started; each costs an upload from the channel's allowance.</summary>
    public int SessionsStarted { get; private set; }

    /// <summary>Uploads the channel may still start today.</summary>
    public int UploadsLeft { get; set; } = 100;

    /// <summary>The next chunk keeps only its first <paramref name="bytes"/> bytes, then the connection drops.</summary>
    public void CutNextChunk(int bytes)
    {
        lock (gate)
        {
            cutNextChunkAt = bytes;
        }
    }

    /// <summary>Every session the server knows expires, as an unfinished one does after a week.</summary>
    public void ExpireSessions()
    {
        lock (gate)
        {
            sessions.Clear();
        }
    }

    protected override IResult FaultAnswer(Fault fault) => fault switch
    {
        Fault.RateLimited => Error(403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your quota."),
        Fault.ServerError => Error(500, "backendError", "global", "Backend Error"),
        _ => Error(503, "backendError", "global", "The service is currently unavailable."),
    };

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (BearerToken(context.Request) != Token)
            {
                await Error(401, "authError", "global", "Invalid Credentials").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapPost("/upload/youtube/v3/videos", StartAsync);
        app.MapPut("/upload/youtube/v3/videos", (Delegate)UploadAsync);
        app.MapGet("/youtube/v3/channels", (HttpRequest request) => request.Query["mine"] != "true" || string.IsNullOrEmpty(request.Query["part"])
            ? Error(400, "incompatibleParameters", "youtube.parameter", "Incompatible parameters specified in the request.")
            : Json(new JsonObject
            {
                ["kind"] = "youtube#channelListResponse",
                ["items"] = new JsonArray(new JsonObject { ["kind"] = "youtube#channel", ["id"] = ChannelId, ["snippet"] = new JsonObject { ["title"] = ChannelTitle } }),
            }));
        app.MapDelete("/youtube/v3/videos", (HttpRequest request) =>
        {
            lock (gate)
            {
                return videos.RemoveAll(v => v.Id == request.Query["id"]) > 0
                    ? Results.NoContent()
                    : Error(404, "videoNotFound", "youtube.video", "The video that you are trying to delete cannot be found.");
            }
        });
    }

    private async Task<IResult> StartAsync(HttpRequest request)
    {
        if (request.Query["uploadType"] != "resumable" || string.IsNullOrEmpty(request.Query["part"]))
        {
            return Error(400, "invalidParameter", "global", "uploadType must be resumable and part is required.");
        }

        if (!long.TryParse(request.Headers["X-Upload-Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var total) || total <= 0)
        {
            return Error(400, "invalidValue", "global", "X-Upload-Content-Length is required.");
        }

        var type = request.Headers["X-Upload-Content-Type"].ToString();
        if (!type.StartsWith("video/", StringComparison.Ordinal) && type != "application/octet-stream")
        {
            return Error(400, "invalidValue", "global", "X-Upload-Content-Type must be a video type.");
        }

        var resource = await ReadJsonObjectAsync(request);
        var title = resource?["snippet"]?["title"]?.GetValue<string>() ?? "";
        var description = resource?["snippet"]?["description"]?.GetValue<string>() ?? "";
        if (title.Trim().Length == 0 || title.Length > 100 || title.Contains('<') || title.Contains('>'))
        {
            return Error(400, "invalidTitle", "youtube.video", "The request metadata specifies an invalid or empty video title.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(description) > 5000 || description.Contains('<') || description.Contains('>'))
        {
            return Error(400, "invalidDescription", "youtube.video", "The request metadata specifies an invalid video description.");
        }

        lock (gate)
        {
            if (UploadsLeft <= 0)
            {
                return Error(403, "uploadLimitExceeded", "youtube.video", "The user has exceeded the number of videos they may upload.");
            }

            UploadsLeft--;
            SessionsStarted++;
            var session = new Session("up" + (++next).ToString("D6", CultureInfo.InvariantCulture), resource!, total, type);
            sessions[session.Id] = session;
            return new Located(Address($"/upload/youtube/v3/videos?uploadType=resumable&part={Uri.EscapeDataString(request.Query["part"]!)}&upload_id={session.Id}"));
        }
    }

    private async Task<IResult> UploadAsync(HttpContext context)
    {
        var request = context.Request;
        Session? session;
        lock (gate)
        {
            session = sessions.GetValueOrDefault(request.Query["upload_id"].ToString());
        }

        if (session is null)
        {
            return Error(404, "notFound", "global", "The upload session is unknown or has expired.");
        }

        if (!ContentRangeHeaderValue.TryParse(request.Headers.ContentRange, out var range) || range.Unit != "bytes" || range.Length != session.Total)
        {
            return Error(400, "badContent", "global", "Content-Range must be bytes FIRST-LAST/TOTAL or bytes */TOTAL with the session's total.");
        }

        if (range.From is null)
        {
            lock (gate)
            {
                return Where(session);
            }
        }

        var length = range.To!.Value - range.From.Value + 1;
        var last = range.To.Value + 1 == session.Total;
        if (length % YouTubeConnector.ChunkUnit != 0 && !last)
        {
            return Error(400, "badContent", "global", "Every chunk but the last must be a multiple of 256 KiB.");
        }

        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length != length)
        {
            return Error(400, "badContent", "global", "The body's length does not match Content-Range.");
        }

        int? cut;
        lock (gate)
        {
            if (session.Done is not null || range.From.Value != session.Received.Length)
            {
                // Google answers a chunk that does not start where its bytes end with where they do end.
                return Where(session);
            }

            cut = cutNextChunkAt;
            cutNextChunkAt = null;
            var keep = (int)Math.Min(body.Length, cut ?? int.MaxValue);
            session.Received.Write(body.GetBuffer(), 0, keep);
            if (cut is null && last)
            {
                var snippet = session.Resource["snippet"]!;
                session.Done = new Video("vid" + (++next).ToString("D8", CultureInfo.InvariantCulture), snippet["title"]!.GetValue<string>(),
                    snippet["description"]?.GetValue<string>() ?? "", session.Resource["status"]?["privacyStatus"]?.GetValue<string>() ?? "public",
                    session.ContentType, session.Received.ToArray());
                videos.Add(session.Done);
            }
        }

        if (cut is not null)
        {
            context.Abort();
            return Results.Empty;
        }

        lock (gate)
        {
            return Where(session);
        }
    }

    private static IResult Where(Session session) => session.Done is { } video
        ? Json(Resource(video), 201)
        : new Incomplete(session.Received.Length);

    private static JsonObject Resource(Video video) => new()
    {
        ["kind"] = "youtube#video",
        ["id"] = video.Id,
        ["snippet"] = new JsonObject { ["title"] = video.Title, ["description"] = video.Description },
        ["status"] = new JsonObject { ["uploadStatus"] = "uploaded", ["privacyStatus"] = video.PrivacyStatus },
    };

    private static IResult Error(int status, string reason, string domain, string message) => Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = domain, ["reason"] = reason }),
        },
    }, status);

    /// <summary>200 with the session address in <c>Location</c>.</summary>
    private sealed class Located(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = 200;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }

    /// <summary>308 Resume Incomplete with the bytes held as <c>Range: bytes=0-N</c>, or no Range when none are.</summary>
    private sealed class Incomplete(long held) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = 308;
            if (held > 0)
            {
                context.Response.Headers.Range = $"bytes=0-{held - 1}";
            }

            return Task.CompletedTask;
        }
    }
}
