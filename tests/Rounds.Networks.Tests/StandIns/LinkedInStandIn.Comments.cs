using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The comments of the Community Management API as documented: <c>GET /rest/socialActions/{post}/comments</c> lists the
/// top-level comments on a share or ugcPost, <c>GET /rest/socialActions/{comment}/comments</c> the replies under a
/// comment (LinkedIn nests one level), each with its <c>commentUrn</c>, <c>actor</c>, <c>created.time</c> in epoch
/// milliseconds, <c>message.text</c>, <c>parentComment</c> for a reply and <c>commentsSummary</c>, paged by
/// <c>start</c> and <c>count</c> (default 10) with <c>paging.total</c>. A throttle answers 429 naming the DAY limit,
/// with <c>Retry-After</c> only when a gateway in front adds one (<see cref="RetryAfterSeconds"/>).
/// </summary>
public sealed partial class LinkedInStandIn
{
    private readonly List<Comment> comments = [];
    private readonly List<string> pagedReads = [];
    private readonly Dictionary<string, string> organizations = new(StringComparer.Ordinal) { [Organization] = "Northfield Health" };
    private readonly List<string> organizationLookups = [];

    /// <summary>A comment on <see cref="On"/> (a post), replying to <see cref="ParentComment"/> when it is a reply.</summary>
    public sealed record Comment(string Urn, string On, string? ParentComment, string Actor, string Text, DateTimeOffset CreatedAt);

    /// <summary>When set, a throttled answer carries this <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Every comment list read, with its query, as "/path?query".</summary>
    public IReadOnlyList<string> PagedReads
    {
        get
        {
            lock (gate)
            {
                return [.. pagedReads];
            }
        }
    }

    public Comment AddComment(Post on, string actor, string text, DateTimeOffset createdAt, Comment? replyTo = null)
    {
        lock (gate)
        {
            // A comment's URN names the activity of the post it is on and its own number.
            var comment = new Comment($"urn:li:comment:(urn:li:activity:{Activity(on.Urn)},{++nextId})", on.Urn, replyTo?.Urn, actor, text, createdAt);
            comments.Add(comment);
            return comment;
        }
    }

    /// <summary>Other organizations LinkedIn knows, by URN, with their localized names (the Organization Lookup API).</summary>
    public void AddOrganization(string urn, string localizedName)
    {
        lock (gate)
        {
            organizations[urn] = localizedName;
        }
    }

    /// <summary>
    /// The Organization Lookup API's batch get (<c>GET /rest/organizationsLookup?ids=List(1,2)</c>): each known id under
    /// <c>results</c> with its <c>localizedName</c>, <c>vanityName</c> and localized <c>name</c>, and its HTTP status under
    /// <c>statuses</c>; an unknown id under <c>errors</c> with 404.
    /// </summary>
    private IResult LookUpOrganizations(HttpRequest request)
    {
        var list = request.Query["ids"].ToString();
        if (!list.StartsWith("List(", StringComparison.Ordinal) || !list.EndsWith(')'))
        {
            return Error(400, "Invalid ids: expected List(...)");
        }

        lock (gate)
        {
            organizationLookups.Add(list);
            var results = new JsonObject();
            var statuses = new JsonObject();
            var errors = new JsonObject();
            foreach (var id in list["List(".Length..^1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (organizations.TryGetValue($"urn:li:organization:{id}", out var name))
                {
                    results[id] = new JsonObject
                    {
                        ["id"] = long.Parse(id, CultureInfo.InvariantCulture),
                        ["localizedName"] = name,
                        ["vanityName"] = name.ToLowerInvariant().Replace(' ', '-'),
                        ["name"] = new JsonObject { ["localized"] = new JsonObject { ["en_US"] = name }, ["preferredLocale"] = new JsonObject { ["country"] = "US", ["language"] = "en" } },
                        ["primaryOrganizationType"] = "NONE",
                    };
                    statuses[id] = 200;
                }
                else
                {
                    errors[id] = new JsonObject { ["status"] = 404, ["message"] = $"Organization {id} not found" };
                    statuses[id] = 404;
                }
            }

            return Json(new JsonObject { ["results"] = results, ["statuses"] = statuses, ["errors"] = errors });
        }
    }

    /// <summary>Every organization lookup made, as its <c>ids</c> list.</summary>
    public IReadOnlyList<string> OrganizationLookups
    {
        get
        {
            lock (gate)
            {
                return [.. organizationLookups];
            }
        }
    }

    private static string Activity(string postUrn) => postUrn[(postUrn.LastIndexOf(':') + 1)..];

    private IResult Throttled() => new ThrottledResult(RetryAfterSeconds);

    private sealed class ThrottledResult(int? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (retryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Error(429, "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.").ExecuteAsync(context);
        }
    }

    private IResult CommentsOn(string target, HttpRequest request)
    {
        var count = int.TryParse(request.Query["count"], out var c) ? Math.Clamp(c, 1, 100) : 10;
        var start = int.TryParse(request.Query["start"], out var s) ? Math.Max(0, s) : 0;
        lock (gate)
        {
            pagedReads.Add(request.Path + Uri.UnescapeDataString(request.QueryString.Value ?? ""));
            List<Comment> matching;
            if (target.StartsWith("urn:li:comment:", StringComparison.Ordinal))
            {
                if (!comments.Any(m => m.Urn == target))
                {
                    return Error(404, $"Comment {target} not found");
                }

                matching = [.. comments.Where(m => m.ParentComment == target)];
            }
            else if (posts.Any(p => p.Urn == target))
            {
                matching = [.. comments.Where(m => m.On == target && m.ParentComment is null)];
            }
            else
            {
                return Error(404, $"{target} not found");
            }

            var page = matching.OrderBy(m => m.CreatedAt).Skip(start).Take(count).Select(m => (JsonNode?)CommentJson(m)).ToList();
            var links = new JsonArray();
            if (start + page.Count < matching.Count)
            {
                links.Add(new JsonObject { ["type"] = "application/json", ["rel"] = "next", ["href"] = $"{request.Path}?count={count}&start={start + count}" });
            }

            return Json(new JsonObject
            {
                ["paging"] = new JsonObject { ["start"] = start, ["count"] = count, ["total"] = matching.Count, ["links"] = links },
                ["elements"] = new JsonArray([.. page]),
            });
        }
    }

    /// <summary>A comment as LinkedIn returns it. The caller holds the lock.</summary>
    private JsonObject CommentJson(Comment comment)
    {
        var replies = comments.Count(m => m.ParentComment == comment.Urn);
        var time = comment.CreatedAt.ToUnixTimeMilliseconds();
        var json = new JsonObject
        {
            ["actor"] = comment.Actor,
            ["commentUrn"] = comment.Urn,
            ["$URN"] = comment.Urn,
            ["id"] = comment.Urn[(comment.Urn.LastIndexOf(',') + 1)..^1],
            ["object"] = $"urn:li:activity:{Activity(comment.On)}",
            ["message"] = new JsonObject { ["text"] = comment.Text, ["attributes"] = new JsonArray() },
            ["created"] = new JsonObject { ["actor"] = comment.Actor, ["time"] = time },
            ["lastModified"] = new JsonObject { ["actor"] = comment.Actor, ["time"] = time },
            ["likesSummary"] = new JsonObject { ["totalLikes"] = 0, ["likedByCurrentUser"] = false, ["aggregatedTotalLikes"] = 0 },
            ["commentsSummary"] = new JsonObject { ["totalFirstLevelComments"] = replies, ["aggregatedTotalComments"] = replies, ["selectedComments"] = new JsonArray() },
        };
        if (comment.ParentComment is { } parent)
        {
            json["parentComment"] = parent;
        }

        return json;
    }
}
