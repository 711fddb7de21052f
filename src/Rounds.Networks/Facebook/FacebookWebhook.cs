using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Facebook;

/// <summary>One change a Page's <c>feed</c> webhook reported: the Page it happened on and the post or comment.</summary>
public sealed record PageChange(string PageId, InboundPost Post);

/// <summary>
/// The Page <c>feed</c> webhook as Meta documents it. Meta proves a subscription by a GET carrying
/// <c>hub.mode=subscribe</c>, the verify token the app chose and a <c>hub.challenge</c> to echo; every event is a POST
/// whose <c>X-Hub-Signature-256</c> header is <c>sha256=</c> and the hex HMAC-SHA256 of the raw body keyed with the app
/// secret. The body is <c>{"object":"page","entry":[{"id": page id, "changes":[{"field":"feed","value":{…}}]}]}</c>,
/// each value naming the <c>item</c> (post, status, photo, comment…), the <c>verb</c> (add, edited, remove), the
/// <c>post_id</c>, for comments the <c>comment_id</c> and <c>parent_id</c>, the author (<c>from</c>), the
/// <c>message</c> and <c>created_time</c>.
/// </summary>
public static class FacebookWebhook
{
    /// <summary>The challenge to echo when the subscription request carries the verify token, else null.</summary>
    public static string? Challenge(string? mode, string? verifyToken, string? challenge, string expectedToken) =>
        mode == "subscribe" && expectedToken.Length > 0 && verifyToken is not null && challenge is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(verifyToken), Encoding.UTF8.GetBytes(expectedToken))
            ? challenge
            : null;

    /// <summary>Whether the header is the HMAC-SHA256 of exactly these bytes under the app secret, compared in constant time.</summary>
    public static bool SignatureValid(string? header, ReadOnlySpan<byte> body, string appSecret)
    {
        const string prefix = "sha256=";
        if (appSecret.Length == 0 || header is null || !header.StartsWith(prefix, StringComparison.Ordinal) || header.Length != prefix.Length + 64)
        {
            return false;
        }

        byte[] claimed;
        try
        {
            claimed = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body), claimed);
    }

    /// <summary>
    /// The posts and comments added or edited in a verified body. Removals, reactions and other fields are left out:
    /// the inbox keeps what was said, and a later poll finds edits it missed.
    /// </summary>
    public static IReadOnlyList<PageChange> Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return [];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || NetworkHttp.String(root, "object") != "page"
                || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var changes = new List<PageChange>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (NetworkHttp.String(entry, "id") is not { } pageId || !entry.TryGetProperty("changes", out var list) || list.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var change in list.EnumerateArray())
                {
                    if (NetworkHttp.String(change, "field") == "feed" && change.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object
                        && NetworkHttp.String(value, "verb") is "add" or "edited" && ToPost(value) is { } post)
                    {
                        changes.Add(new PageChange(pageId, post));
                    }
                }
            }

            return changes;
        }
    }

    private static InboundPost? ToPost(JsonElement value)
    {
        var item = NetworkHttp.String(value, "item");
        var postId = NetworkHttp.String(value, "post_id");
        var commentId = item == "comment" ? NetworkHttp.String(value, "comment_id") : null;
        var id = commentId ?? postId;
        if (id is null || postId is null || item is not ("comment" or "post" or "status" or "photo" or "video" or "share")
            || !value.TryGetProperty("from", out var from) || NetworkHttp.String(from, "id") is not { } authorId)
        {
            return null;
        }

        var at = value.TryGetProperty("created_time", out var time) && time.ValueKind == JsonValueKind.Number && time.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.TryParse(NetworkHttp.String(value, "created_time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        if (at is null)
        {
            return null;
        }

        // A comment answers its parent (the post, or the comment it replies to) in the thread the post started.
        var reply = commentId is null ? null : new ReplyReference(new PostReference(NetworkHttp.String(value, "parent_id") ?? postId, ""), new PostReference(postId, ""));
        return new InboundPost(id, "", $"https://www.facebook.com/{Uri.EscapeDataString(id)}", authorId, NetworkHttp.String(from, "name") ?? "",
            NetworkHttp.String(value, "message") ?? "", at.Value, reply, [], null);
    }
}
