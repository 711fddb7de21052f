using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The parts of the YouTube Data API v3 that reading a channel uses, as documented: an API key on every request
/// (<c>key=</c>), one quota unit per <c>channels.list</c> and <c>playlistItems.list</c> call counted against a daily
/// quota (403 <c>quotaExceeded</c> once spent), <c>channels.list</c> with <c>part</c> and exactly one filter
/// (<c>forHandle</c> with or without @, or <c>id</c>), no <c>items</c> when nothing matches, the uploads playlist in
/// <c>contentDetails.relatedPlaylists.uploads</c>, and <c>playlistItems.list</c> newest first, at most 50 a page with
/// <c>nextPageToken</c>, 404 <c>playlistNotFound</c> for an unknown playlist.
/// </summary>
public sealed class YouTubeStandIn : StandIn
{
    public const string Key = "youtube-api-key";

    private readonly Lock gate = new();
    private readonly Dictionary<string, Channel> channels = [];
    private int next;

    private sealed record Channel(string Id, string Handle, string Description, List<(string VideoId, DateTimeOffset At)> Uploads);

    /// <summary>Units the project may spend today; the API's default is 10,000.</summary>
    public int DailyQuota { get; set; } = 10_000;

    public int UnitsSpent { get; private set; }

    /// <summary>Requests refused with quotaExceeded.</summary>
    public int QuotaRefusals { get; private set; }

    /// <summary>Adds a channel with a handle (without @) and a description; returns its id (UC and 22 characters).</summary>
    public string AddChannel(string handle, string description)
    {
        lock (gate)
        {
            var id = "UC" + (++next).ToString("D22", CultureInfo.InvariantCulture);
            channels[id] = new Channel(id, handle, description, []);
            return id;
        }
    }

    public void Upload(string channelId, DateTimeOffset at)
    {
        lock (gate)
        {
            var uploads = channels[channelId].Uploads;
            uploads.Add(($"video{channelId[^6..]}{uploads.Count:D4}", at));
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
            if (context.Request.Query["key"] != Key)
            {
                await Error(400, "badRequest", "global", "API key not valid. Please pass a valid API key.").ExecuteAsync(context);
                return;
            }

            bool refused;
            lock (gate)
            {
                refused = UnitsSpent + 1 > DailyQuota;
                QuotaRefusals += refused ? 1 : 0;
                UnitsSpent += refused ? 0 : 1;
            }

            if (refused)
            {
                await Error(403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your quota.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/youtube/v3/channels", (HttpRequest request) =>
        {
            if (string.IsNullOrEmpty(request.Query["part"]))
            {
                return Error(400, "required", "global", "Required parameter: part");
            }

            var filters = new[] { "forHandle", "id", "forUsername", "mine" }.Count(f => request.Query.ContainsKey(f));
            if (filters != 1)
            {
                return Error(400, "incompatibleParameters", "youtube.parameter", "Incompatible parameters specified in the request.");
            }

            lock (gate)
            {
                var handle = request.Query["forHandle"].ToString().TrimStart('@');
                var id = request.Query["id"].ToString();
                var found = channels.Values.Where(c => (handle.Length > 0 && string.Equals(c.Handle, handle, StringComparison.OrdinalIgnoreCase)) || c.Id == id).ToList();
                var answer = new JsonObject { ["kind"] = "youtube#channelListResponse", ["pageInfo"] = new JsonObject { ["totalResults"] = found.Count, ["resultsPerPage"] = 5 } };
                if (found.Count > 0)
                {
                    answer["items"] = new JsonArray([.. found.Select(c => (JsonNode?)new JsonObject
                    {
                        ["kind"] = "youtube#channel",
                        ["id"] = c.Id,
                        ["snippet"] = new JsonObject { ["title"] = c.Handle, ["description"] = c.Description, ["customUrl"] = "@" + c.Handle.ToLowerInvariant() },
                        ["contentDetails"] = new JsonObject { ["relatedPlaylists"] = new JsonObject { ["likes"] = "", ["uploads"] = "UU" + c.Id[2..] } },
                        ["statistics"] = new JsonObject { ["viewCount"] = "0", ["subscriberCount"] = "0", ["hiddenSubscriberCount"] = false, ["videoCount"] = c.Uploads.Count.ToString(CultureInfo.InvariantCulture) },
                    })]);
                }

                return Json(answer);
            }
        });

        app.MapGet("/youtube/v3/playlistItems", (HttpRequest request) =>
        {
            if (string.IsNullOrEmpty(request.Query["part"]))
            {
                return Error(400, "required", "global", "Required parameter: part");
            }

            lock (gate)
            {
                var playlist = request.Query["playlistId"].ToString();
                if (!playlist.StartsWith("UU", StringComparison.Ordinal) || !channels.TryGetValue("UC" + playlist[2..], out var channel))
                {
                    return Error(404, "playlistNotFound", "youtube.playlistItem", "The playlist identified with the request's playlistId parameter cannot be found.");
                }

                var size = int.TryParse(request.Query["maxResults"], out var m) ? Math.Clamp(m, 0, 50) : 5;
                var offset = int.TryParse(request.Query["pageToken"], out var o) ? o : 0;
                var ordered = channel.Uploads.OrderByDescending(u => u.At).ToList();
                var answer = new JsonObject
                {
                    ["kind"] = "youtube#playlistItemListResponse",
                    ["pageInfo"] = new JsonObject { ["totalResults"] = ordered.Count, ["resultsPerPage"] = size },
                    ["items"] = new JsonArray([.. ordered.Skip(offset).Take(size).Select(u => (JsonNode?)new JsonObject
                    {
                        ["kind"] = "youtube#playlistItem",
                        ["id"] = "PLI" + u.VideoId,
                        ["contentDetails"] = new JsonObject { ["videoId"] = u.VideoId, ["videoPublishedAt"] = u.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                    })]),
                };
                if (offset + size < ordered.Count)
                {
                    answer["nextPageToken"] = (offset + size).ToString(CultureInfo.InvariantCulture);
                }

                return Json(answer);
            }
        });
    }

    /// <summary>Google's error shape: the code and message, and the reason in <c>errors[0]</c>.</summary>
    private static IResult Error(int status, string reason, string domain, string message) => Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = domain, ["reason"] = reason }),
        },
    }, status);
}
