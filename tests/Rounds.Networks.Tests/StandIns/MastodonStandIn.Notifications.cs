using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The instance's notifications as documented: <c>GET /api/v1/notifications</c> newest first, narrowed by
/// <c>types[]</c>, <c>account_id</c>, <c>max_id</c> and <c>since_id</c>, leaving out what the account's notification
/// policy filtered unless <c>include_filtered=true</c>; the filtered ones grouped per sender as notification requests
/// (<c>GET /api/v1/notifications/requests</c> and <c>/requests/:id</c>, whose <c>notifications_count</c> is a string).
/// Lists are paged with a <c>Link</c> header (<c>rel="next"</c> carrying <c>max_id</c>, <c>rel="prev"</c> carrying
/// <c>min_id</c>) and every answer carries the <c>X-RateLimit-*</c> headers. Each new notification also goes to the
/// open streams (MastodonStandIn.Streaming.cs).
/// </summary>
public sealed partial class MastodonStandIn
{
    private readonly List<NotificationRow> notifications = [];
    private readonly Dictionary<string, string> requestIds = [];
    private readonly List<string> pagedReads = [];
    private int rateLimitRemaining = 300;

    private sealed record NotificationRow(string Id, string Type, string FromId, Status Status, bool Filtered);

    /// <summary>What <c>X-RateLimit-Remaining</c> says on the next answer; each read answer spends one.</summary>
    public int RateLimitRemaining
    {
        get { lock (gate) { return rateLimitRemaining; } }
        set { lock (gate) { rateLimitRemaining = value; } }
    }

    /// <summary>Every paged list read, with its query, as "/path?query".</summary>
    public IReadOnlyList<string> PagedReads
    {
        get { lock (gate) { return [.. pagedReads]; } }
    }

    /// <summary>
    /// Another account of the instance mentions this one (replying to <paramref name="inReplyTo"/> when given); with
    /// <paramref name="filtered"/> the notification policy moves it into that sender's notification request.
    /// </summary>
    public Status Mention(string fromAccountId, string text, bool filtered = false, string? inReplyTo = null)
    {
        lock (gate)
        {
            var status = new Status(NextId(), text, DateTimeOffset.UtcNow, [], "public") { InReplyTo = inReplyTo };
            others[fromAccountId].Statuses.Add((status, false));
            var notification = new NotificationRow(NextId(), "mention", fromAccountId, status, filtered);
            notifications.Add(notification);
            Publish(notification);
            if (filtered && !requestIds.ContainsKey(fromAccountId))
            {
                requestIds[fromAccountId] = NextId();
            }

            return status;
        }
    }

    /// <summary>A notification that is not a mention (someone favourited a status of this account).</summary>
    public void Favourite(string fromAccountId, Status status)
    {
        lock (gate)
        {
            var notification = new NotificationRow(NextId(), "favourite", fromAccountId, status, false);
            notifications.Add(notification);
            Publish(notification);
        }
    }

    private void MapNotifications(WebApplication app)
    {
        app.MapGet("/api/v1/notifications", (HttpRequest request) =>
        {
            lock (gate)
            {
                var types = request.Query["types[]"].Concat(request.Query["types"]).OfType<string>().ToHashSet();
                var from = request.Query["account_id"].ToString();
                var includeFiltered = request.Query["include_filtered"] == "true";
                var rows = notifications.Where(n => (types.Count == 0 || types.Contains(n.Type)) && (from.Length == 0 || n.FromId == from) && (includeFiltered || !n.Filtered));
                return Paged(rows.Select(n => (n.Id, (JsonNode)NotificationJson(n))), request, 80, 40);
            }
        });
        app.MapGet("/api/v1/notifications/requests", (HttpRequest request) =>
        {
            lock (gate)
            {
                return Paged(requestIds.Select(r => (r.Value, (JsonNode)RequestJson(r.Key, r.Value))), request, 80, 40);
            }
        });
        app.MapGet("/api/v1/notifications/requests/{id}", (string id) =>
        {
            lock (gate)
            {
                return requestIds.FirstOrDefault(r => r.Value == id) is { Key: not null } found ? Json(RequestJson(found.Key, found.Value)) : Error("Record not found", 404);
            }
        });
    }

    /// <summary>
    /// One page of a list, newest first, between <c>since_id</c> and <c>max_id</c>, with the Link header a client follows
    /// for the next (older) page and the rate-limit headers. The caller holds the lock.
    /// </summary>
    private IResult Paged(IEnumerable<(string Id, JsonNode Json)> items, HttpRequest request, int maxLimit, int defaultLimit = 20)
    {
        pagedReads.Add(request.Path + Uri.UnescapeDataString(request.QueryString.Value ?? ""));
        var limit = int.TryParse(request.Query["limit"], out var l) ? Math.Clamp(l, 1, maxLimit) : defaultLimit;
        var maxId = long.TryParse(request.Query["max_id"], out var m) ? m : long.MaxValue;
        var sinceId = long.TryParse(request.Query["since_id"], out var s) ? s : long.MinValue;
        var page = items.Where(i => long.Parse(i.Id, CultureInfo.InvariantCulture) is var id && id < maxId && id > sinceId)
            .OrderByDescending(i => long.Parse(i.Id, CultureInfo.InvariantCulture)).Take(limit).ToList();
        var headers = new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "300",
            ["X-RateLimit-Remaining"] = Math.Max(0, --rateLimitRemaining).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (page.Count > 0)
        {
            // As Mastodon does, the links keep the request's filters and replace only the paging parameters.
            var kept = string.Concat(request.Query.Where(q => q.Key is not ("max_id" or "since_id" or "min_id"))
                .SelectMany(q => q.Value.Select(v => $"&{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}")));
            headers["Link"] = $"<{Address(request.Path + "?max_id=" + page[^1].Id + kept)}>; rel=\"next\", <{Address(request.Path + "?min_id=" + page[0].Id + kept)}>; rel=\"prev\"";
        }

        return new WithHeaders(Json(new JsonArray([.. page.Select(p => (JsonNode?)p.Json.DeepClone())])), headers);
    }

    private JsonObject NotificationJson(NotificationRow n)
    {
        var other = others.GetValueOrDefault(n.FromId);
        var status = other is null ? StatusJson(n.Status) : OtherStatusJson(other, n.Status, video: false);
        status["in_reply_to_id"] = n.Status.InReplyTo;
        status["mentions"] = new JsonArray(new JsonObject { ["id"] = AccountId, ["username"] = Username, ["acct"] = Username, ["url"] = Address($"/@{Username}") });
        return new JsonObject
        {
            ["id"] = n.Id,
            ["type"] = n.Type,
            ["created_at"] = n.Status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["account"] = other is null ? AccountJson() : OtherJson(other),
            ["status"] = status,
        };
    }

    private JsonObject RequestJson(string senderId, string requestId)
    {
        var theirs = notifications.Where(n => n.FromId == senderId && n.Filtered).ToList();
        return new JsonObject
        {
            ["id"] = requestId,
            ["created_at"] = theirs[0].Status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["updated_at"] = theirs[^1].Status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["account"] = OtherJson(others[senderId]),
            ["notifications_count"] = theirs.Count.ToString(CultureInfo.InvariantCulture),
            ["last_status"] = OtherStatusJson(others[senderId], theirs[^1].Status, video: false),
        };
    }

    private sealed class WithHeaders(IResult inner, IReadOnlyDictionary<string, string> headers) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            return inner.ExecuteAsync(context);
        }
    }
}
