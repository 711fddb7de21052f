namespace Rounds.Web.Features.Shared;

/// <summary>
/// What any text typed into Rounds may contain. Control characters (NUL, escape, the C1 block…) have no place in
/// a name, a note or a post: they are invisible, they cut strings short in other programs, and they can make two
/// texts that look the same compare as different. Tab, carriage return and line feed are kept: multi-line texts
/// need them, and single-line fields with a stricter format (handles, addresses, URLs) check their own.
/// </summary>
public static class TextRules
{
    public static bool IsRefused(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    /// <summary>The first refused character, or null when the text is clean.</summary>
    public static char? FirstRefused(string? text)
    {
        foreach (var c in text ?? "")
        {
            if (IsRefused(c))
            {
                return c;
            }
        }

        return null;
    }

    public static string ControlMessage(char c) => $"Remove the control character U+{(int)c:X4}; text may contain letters, digits, punctuation and line breaks only.";

    /// <summary>
    /// Why a link cannot be stored, or null. Only web addresses are links: <c>javascript:</c>, <c>data:</c>,
    /// <c>vbscript:</c> and every other scheme would run or open something other than a page when clicked. Browsers
    /// ignore tabs, line breaks and leading spaces inside a scheme, so those are removed before looking.
    /// </summary>
    public static string? LinkProblem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var compact = new string(url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());
        var colon = compact.IndexOf(':');
        var slash = compact.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon > 0 && (slash < 0 || colon < slash);
        if (hasScheme && !compact.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && !compact.StartsWith("http:", StringComparison.OrdinalIgnoreCase))
        {
            return "Give a web address starting with https:// (or a plain address such as www.example.org).";
        }

        return FirstRefused(url) is { } c ? ControlMessage(c) : null;
    }
}
