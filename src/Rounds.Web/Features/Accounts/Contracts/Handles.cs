namespace Rounds.Web.Features.Accounts.Contracts;

/// <summary>
/// Turns the ways people write a handle (<c>@NorthfieldHeart</c>, <c>northfieldheart</c>,
/// <c>https://x.com/NorthfieldHeart/</c>) into one key, so that an audit imported twice matches the same rows.
/// </summary>
public static class Handles
{
    /// <summary>Path prefixes that come before the name in a profile address, e.g. linkedin.com/company/…</summary>
    private static readonly string[] PathPrefixes = ["company", "in", "school", "showcase", "channel", "c", "user", "profile", "pages"];

    public static string Normalize(Platform platform, string? text) => Clean(platform, text).ToLowerInvariant();

    /// <summary>The handle as shown, keeping its capitals: with an @ where the network uses one.</summary>
    public static string Display(Platform platform, string? text)
    {
        var name = Clean(platform, text);
        return name.Length > 0 && platform is Platform.X or Platform.Instagram or Platform.TikTok or Platform.Threads or Platform.Mastodon or Platform.YouTube or Platform.Bluesky
            ? "@" + name
            : name;
    }

    private static string Clean(Platform platform, string? text)
    {
        var handle = (text ?? "").Trim().Trim('"').Trim();
        if (handle.Length == 0)
        {
            return "";
        }

        if (LooksLikeAddress(handle) && Uri.TryCreate(handle.Contains("://", StringComparison.Ordinal) ? handle : "https://" + handle, UriKind.Absolute, out var uri))
        {
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var i = 0;
            while (i < segments.Length - 1 && PathPrefixes.Contains(segments[i], StringComparer.OrdinalIgnoreCase))
            {
                i++;
            }

            var name = i < segments.Length ? Uri.UnescapeDataString(segments[i]) : "";
            if ((name.Length == 0 || name.Equals("profile.php", StringComparison.OrdinalIgnoreCase)) && uri.Query.Contains("id=", StringComparison.Ordinal))
            {
                // facebook.com/profile.php?id=123 names the page by number only.
                name = uri.Query.Split("id=")[1].Split('&')[0];
            }

            // A Mastodon address names the server in the host: https://mastodon.social/@name is name@mastodon.social.
            handle = platform == Platform.Mastodon && name.StartsWith('@') ? name + "@" + uri.Host : name;
        }

        return handle.TrimStart('@').TrimEnd('/');
    }

    private static bool LooksLikeAddress(string text) =>
        text.Contains("://", StringComparison.Ordinal) || text.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
        || (text.Contains('/') && text.Split('/')[0].Contains('.'));
}
