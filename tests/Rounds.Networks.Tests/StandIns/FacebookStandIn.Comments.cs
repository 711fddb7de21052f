using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The read side of a Page that monitoring polls, as the Graph API documents it: visitors' posts on the Page's feed
/// (with <c>from</c>), and a post's comments (<c>GET /{post-id}/comments</c>, <c>filter=stream</c> returning replies
/// to comments too with their <c>parent</c>, <c>since</c> in Unix seconds, paged by <c>paging.next</c>).
/// </summary>
public sealed partial class FacebookStandIn
{
    private readonly List<Comment> comments = [];

    public sealed record Comment(string Id, string PostId, string? ParentId, string AuthorId, string AuthorName, string Message, DateTimeOffset CreatedAt);

    public Post VisitorPost(string authorId, string authorName, string message, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var post = new Post($"{PageId}_{++nextId}", message, createdAt, [], authorId, authorName);
            posts.Add(post);
            return post;
        }
    }

    public Comment AddComment(Post on, string authorId, string authorName, string message, DateTimeOffset createdAt, Comment? replyTo = null)
    {
        lock (gate)
        {
            var comment = new Comment($"{on.Id.Split('_')[1]}_{++nextId}", on.Id, replyTo?.Id, authorId, authorName, message, createdAt);
            comments.Add(comment);
            return comment;
        }
    }

    private IResult Comments(string postId, HttpRequest request)
    {
        var since = long.TryParse(request.Query["since"], out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.MinValue;
        var limit = int.TryParse(request.Query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 25;
        var skip = int.TryParse(request.Query["after"], out var a) ? a : 0;
        // Without filter=stream Graph answers only the top-level comments.
        var stream = request.Query["filter"] == "stream";
        var fields = request.Query["fields"].ToString();
        lock (gate)
        {
            if (!posts.Any(p => p.Id == postId))
            {
                return UnknownObject(postId);
            }

            var matching = comments.Where(c => c.PostId == postId && c.CreatedAt >= since && (stream || c.ParentId is null)).OrderBy(c => c.CreatedAt).ToList();
            var page = matching.Skip(skip).Take(limit).Select(c =>
            {
                var item = new JsonObject
                {
                    ["id"] = c.Id,
                    ["message"] = c.Message,
                    ["created_time"] = c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture),
                    ["from"] = new JsonObject { ["name"] = c.AuthorName, ["id"] = c.AuthorId },
                };
                if (fields.Contains("parent", StringComparison.Ordinal) && c.ParentId is not null)
                {
                    item["parent"] = new JsonObject { ["id"] = c.ParentId };
                }

                return (JsonNode?)item;
            }).ToList();
            var paging = new JsonObject();
            if (skip + page.Count < matching.Count)
            {
                paging["next"] = Address($"{request.Path}?fields={fields}&filter={request.Query["filter"]}&limit={limit}&after={skip + page.Count}"
                    + (request.Query.ContainsKey("since") ? $"&since={request.Query["since"]}" : ""));
            }

            return Json(new JsonObject { ["data"] = new JsonArray([.. page]), ["paging"] = paging });
        }
    }
}
