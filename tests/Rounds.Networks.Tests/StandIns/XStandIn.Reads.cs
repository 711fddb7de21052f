using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The read side of X API v2 that monitoring uses, as documented: a user by username, a user's posts and the posts
/// mentioning them (newest first, <c>max_results</c> 5 to 100, <c>since_id</c>, <c>pagination_token</c> from
/// <c>meta.next_token</c>, <c>meta.newest_id</c>), with the <c>author_id</c> expansion answered in
/// <c>includes.users</c>. Like X's pay-per-use billing, it counts every post and user an answer returns.
/// </summary>
public sealed partial class XStandIn
{
    private readonly Dictionary<string, (string Username, string Description)> users = new(StringComparer.Ordinal)
    {
        [UserId] = (Username, "Northfield Health. Press: press@northfield.example, 555-0100."),
    };

    private int postsServed;
    private int usersServed;

    /// <summary>Posts returned by reads so far, what X bills per post read.</summary>
    public int PostsServed
    {
        get
        {
            lock (gate)
            {
                return postsServed;
            }
        }
    }

    /// <summary>Users returned by reads so far (lookups and <c>includes.users</c>), what X bills per user read.</summary>
    public int UsersServed
    {
        get
        {
            lock (gate)
            {
                return usersServed;
            }
        }
    }

    public string AddUser(string username)
    {
        lock (gate)
        {
            var id = NextId();
            users[id] = (username, "");
            return id;
        }
    }

    /// <summary>Someone else's post naming the account, a reply when <paramref name="inReplyTo"/> names the post it answers.</summary>
    public Tweet Mention(string authorId, string text, DateTimeOffset? createdAt = null, Tweet? inReplyTo = null)
    {
        lock (gate)
        {
            var id = NextId();
            var tweet = new Tweet(id, Stored(text, false), createdAt ?? DateTimeOffset.UtcNow, [], authorId, inReplyTo?.Id, inReplyTo?.ConversationId ?? inReplyTo?.Id ?? id);
            tweets.Add(tweet);
            return tweet;
        }
    }

    /// <summary>The account's own reply to <paramref name="to"/>, in its thread.</summary>
    public Tweet Reply(Tweet to, string text, DateTimeOffset createdAt)
    {
        lock (gate)
        {
            var tweet = new Tweet(NextId(), Stored(text, false), createdAt, [], UserId, to.Id, to.ConversationId ?? to.Id);
            tweets.Add(tweet);
            return tweet;
        }
    }

    private IResult UserByName(string username, HttpRequest request)
    {
        lock (gate)
        {
            var found = users.FirstOrDefault(u => string.Equals(u.Value.Username, username, StringComparison.OrdinalIgnoreCase));
            if (found.Key is null)
            {
                // X answers a username nobody has with 200 and only "errors".
                return Json(new JsonObject
                {
                    ["errors"] = new JsonArray(new JsonObject
                    {
                        ["value"] = username, ["detail"] = $"Could not find user with username: [{username}].", ["title"] = "Not Found Error",
                        ["resource_type"] = "user", ["parameter"] = "username", ["type"] = "https://api.twitter.com/2/problems/resource-not-found",
                    }),
                });
            }

            usersServed++;
            return Json(new JsonObject { ["data"] = UserJson(found.Key, request) });
        }
    }

    private JsonObject UserJson(string id, HttpRequest request)
    {
        var (username, description) = users[id];
        var user = new JsonObject { ["id"] = id, ["name"] = username, ["username"] = username };
        if (request.Query["user.fields"].ToString().Split(',').Contains("description"))
        {
            user["description"] = description;
        }

        return user;
    }

    private IResult Timeline(string id, HttpRequest request, bool mentions)
    {
        var max = int.TryParse(request.Query["max_results"], out var m) ? m : 10;
        if (max is < 5 or > 100)
        {
            return Invalid("max_results: must be between 5 and 100");
        }

        DateTimeOffset? start = null;
        if (request.Query.ContainsKey("start_time"))
        {
            if (!DateTimeOffset.TryParseExact(request.Query["start_time"], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s))
            {
                return Invalid("start_time: must be an RFC 3339 timestamp (YYYY-MM-DDTHH:mm:ssZ)");
            }

            start = s;
        }

        var since = request.Query["since_id"].ToString();
        if (since.Length > 0 && !since.All(char.IsAsciiDigit))
        {
            return Invalid($"since_id: '{since}' does not match ^[0-9]{{1,19}}$");
        }

        var skip = int.TryParse(request.Query["pagination_token"], out var token) ? token : 0;
        var fields = request.Query["tweet.fields"].ToString().Split(',');
        var expandAuthors = request.Query["expansions"].ToString().Split(',').Contains("author_id");
        lock (gate)
        {
            if (!users.TryGetValue(id, out var named))
            {
                return Problem(404, "Not Found Error", $"Could not find user with id: [{id}].", "https://api.twitter.com/2/problems/resource-not-found");
            }

            var matching = tweets
                .Where(t => mentions ? t.AuthorId != id && t.Text.Contains("@" + named.Username, StringComparison.OrdinalIgnoreCase) : t.AuthorId == id)
                .Where(t => start is null || t.CreatedAt >= start)
                .Where(t => since.Length == 0 || t.Id.Length > since.Length || (t.Id.Length == since.Length && string.CompareOrdinal(t.Id, since) > 0))
                .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id.Length).ThenByDescending(t => t.Id, StringComparer.Ordinal).ToList();
            var page = matching.Skip(skip).Take(max).ToList();
            var meta = new JsonObject { ["result_count"] = page.Count };
            if (page.Count == 0)
            {
                return Json(new JsonObject { ["meta"] = meta });
            }

            meta["newest_id"] = page[0].Id;
            meta["oldest_id"] = page[^1].Id;
            if (skip + page.Count < matching.Count)
            {
                meta["next_token"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture);
            }

            var data = page.Select(t => (JsonNode?)PostJson(t, fields));
            var body = new JsonObject { ["data"] = new JsonArray([.. data]), ["meta"] = meta };
            postsServed += page.Count;
            if (expandAuthors)
            {
                var authors = page.Select(t => t.AuthorId).Distinct().Where(users.ContainsKey).Select(a => (JsonNode?)UserJson(a, request)).ToList();
                usersServed += authors.Count;
                body["includes"] = new JsonObject { ["users"] = new JsonArray([.. authors]) };
            }

            return Json(body);
        }
    }

    private JsonObject PostJson(Tweet t, string[] fields)
    {
        var post = new JsonObject { ["id"] = t.Id, ["text"] = t.Text, ["edit_history_tweet_ids"] = new JsonArray(t.Id) };
        if (fields.Contains("created_at"))
        {
            post["created_at"] = t.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        if (fields.Contains("author_id"))
        {
            post["author_id"] = t.AuthorId;
        }

        if (fields.Contains("conversation_id"))
        {
            post["conversation_id"] = t.ConversationId ?? t.Id;
        }

        if (fields.Contains("referenced_tweets") && t.ReplyTo is not null)
        {
            post["referenced_tweets"] = new JsonArray(new JsonObject { ["type"] = "replied_to", ["id"] = t.ReplyTo });
        }

        if (fields.Contains("entities"))
        {
            var named = users.Where(u => t.Text.Contains("@" + u.Value.Username, StringComparison.OrdinalIgnoreCase)).Select(u =>
            {
                var at = t.Text.IndexOf("@" + u.Value.Username, StringComparison.OrdinalIgnoreCase);
                return (JsonNode?)new JsonObject { ["start"] = at, ["end"] = at + u.Value.Username.Length + 1, ["username"] = u.Value.Username, ["id"] = u.Key };
            }).ToList();
            if (named.Count > 0)
            {
                post["entities"] = new JsonObject { ["mentions"] = new JsonArray([.. named]) };
            }
        }

        return post;
    }
}
