using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rounds.Web.Features.Accounts.Contracts;

/// <summary>
/// Turns the ways people write a handle (<c>@NorthfieldHeart</c>, <c>northfieldheart</c>,
/// <c>https://x.com/NorthfieldHeart/</c>, <c>＠ＮｏｒｔｈｆｉｅｌｄＨｅａｒｔ</c>) into one key, so that an audit imported twice
/// matches the same rows and a lookalike cannot register as a second account. Compatibility forms (fullwidth
/// letters) are folded by NFKC and invisible format characters (zero-width spaces, direction overrides) are
/// dropped before anything is compared or stored; what is left must be characters the network allows.
/// </summary>
public static partial class Handles
{
    public const int MaxLength = 200;

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

    /// <summary>
    /// Why the handle cannot be an account's name, or null when it can. The networks with a fixed alphabet
    /// (X, Instagram, Threads, TikTok, YouTube, Bluesky, Mastodon) accept only it; on the others (Facebook pages,
    /// LinkedIn, Doximity) names may have spaces and other scripts, but not letters of two of the Latin, Greek and
    /// Cyrillic alphabets at once, the usual way a lookalike (a Cyrillic <c>а</c> for a Latin <c>a</c>) is built.
    /// </summary>
    public static string? Problem(Platform platform, string? text)
    {
        if ((text ?? "").Any(char.IsControl))
        {
            return "A handle cannot contain control characters.";
        }

        var name = Clean(platform, text);
        if (name.Length == 0)
        {
            return "Enter the account's handle or address.";
        }

        if (name.Length > MaxLength)
        {
            return $"A handle has at most {MaxLength} characters.";
        }

        var alphabet = platform switch
        {
            Platform.X => XName(),
            Platform.Instagram or Platform.Threads or Platform.TikTok => InstagramName(),
            Platform.YouTube => YouTubeName(),
            Platform.Bluesky => BlueskyName(),
            Platform.Mastodon => MastodonName(),
            _ => null,
        };
        if (alphabet is not null)
        {
            return alphabet.IsMatch(name) ? null : $"A {platform} handle has only the letters A–Z, digits and {Allowed(platform)}.";
        }

        if (!name.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or '\'' or '&' or '(' or ')' or ',' or '+' or '!' || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
        {
            return "A handle has letters, digits, spaces and . _ - ' & ( ) , + ! only.";
        }

        return Scripts(name) > 1 ? "A handle mixes letters of different alphabets (Latin, Greek, Cyrillic); type it in one." : null;
    }

    private static string Allowed(Platform platform) => platform switch
    {
        Platform.X => "_",
        Platform.YouTube => ". _ -",
        Platform.Bluesky => ". -",
        Platform.Mastodon => "_, then @ and the server's name",
        _ => ". _",
    };

    private static int Scripts(string name)
    {
        bool latin = false, greek = false, cyrillic = false;
        foreach (var c in name.Where(char.IsLetter))
        {
            latin |= c < '\u0250' || c is >= '\u1E00' and <= '\u1EFF';
            greek |= c is >= '\u0370' and <= '\u03FF' or >= '\u1F00' and <= '\u1FFF';
            cyrillic |= c is >= '\u0400' and <= '\u052F';
        }

        return (latin ? 1 : 0) + (greek ? 1 : 0) + (cyrillic ? 1 : 0);
    }

    /// <summary>NFKC folds fullwidth and other compatibility forms; format characters (Cf) are invisible, so they go.</summary>
    public static string Fold(string? text)
    {
        text ??= "";
        string folded;
        try
        {
            folded = text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // A lone surrogate cannot be normalized: it is no character anyone typed.
            folded = new string(text.Where(c => !char.IsSurrogate(c)).ToArray()).Normalize(NormalizationForm.FormKC);
        }

        return folded.Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            ? new string(folded.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format).ToArray())
            : folded;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex XName();

    [GeneratedRegex("^[A-Za-z0-9._]+$")]
    private static partial Regex InstagramName();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex YouTubeName();

    [GeneratedRegex("^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$")]
    private static partial Regex BlueskyName();

    [GeneratedRegex("^[A-Za-z0-9_]+(@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*)?$")]
    private static partial Regex MastodonName();

    private static string Clean(Platform platform, string? text)
    {
        var handle = Fold(text).Trim().Trim('"').Trim();
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
