using System.Text;
using System.Text.RegularExpressions;

namespace Rounds.Networks.LinkedIn;

/// <summary>
/// LinkedIn's "little" text format, which the Posts API uses for commentary. Its reserved characters
/// <c>\ | { } @ [ ] ( ) &lt; &gt; # * _ ~</c> must be escaped with a backslash to be plain text: LinkedIn cuts
/// a post short at the first one left bare. A <c>#</c> that starts a hashtag stays bare so the tag still links.
/// </summary>
public static partial class LittleText
{
    private const string Reserved = @"\|{}@[]()<>#*_~";

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (Reserved.Contains(c, StringComparison.Ordinal) && !StartsHashtag(text, i))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Commentary as LinkedIn returns it, back to plain text: hashtag templates (<c>{hashtag|\#|tag}</c>) become
    /// <c>#tag</c> and escapes are undone.
    /// </summary>
    public static string ToPlain(string commentary)
    {
        var text = HashtagTemplate().Replace(commentary, "#$1");
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && Reserved.Contains(text[i + 1], StringComparison.Ordinal))
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    /// <summary>A # after a space or at the start, followed by a word with at least one letter ("#4" is a number, not a tag).</summary>
    private static bool StartsHashtag(string text, int i)
    {
        if (text[i] != '#' || (i > 0 && !char.IsWhiteSpace(text[i - 1])))
        {
            return false;
        }

        var end = i + 1;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return text.AsSpan(i + 1, end - i - 1).ContainsAnyExcept("0123456789_");
    }

    [GeneratedRegex(@"\{hashtag\|\\#\|([^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex HashtagTemplate();
}
