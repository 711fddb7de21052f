using System.Text;
using System.Text.RegularExpressions;

namespace Rounds.Networks.Bluesky;

public enum FacetKind
{
    Link,
    Mention,
    Tag,
}

/// <summary>A span of rich text. Offsets are UTF-8 byte offsets into the post text, end exclusive, as the lexicon requires.</summary>
public sealed record Facet(FacetKind Kind, int ByteStart, int ByteEnd, string Value);

/// <summary>Finds links, @mentions and #hashtags in post text, the way Bluesky's own clients mark them.</summary>
public static partial class Facets
{
    [GeneratedRegex(@"(?<=^|[\s(\[])(https?://[^\s]+?)(?=[.,;:!?)\]]*(?:\s|$))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(?<=^|[\s(\[])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    // A tag is # then non-space text up to 64 characters, not all digits, without trailing punctuation.
    [GeneratedRegex(@"(?<=^|\s)#([^\s#\p{P}](?:[^\s#]{0,62}[^\s#\p{P}])?)", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    public static IReadOnlyList<Facet> Detect(string text)
    {
        var facets = new List<Facet>();
        foreach (Match m in LinkPattern().Matches(text))
        {
            facets.Add(Make(text, FacetKind.Link, m.Groups[1].Index, m.Groups[1].Length, m.Groups[1].Value));
        }

        foreach (Match m in MentionPattern().Matches(text))
        {
            // The facet covers the @ as well; its value is the handle, resolved to a DID later.
            facets.Add(Make(text, FacetKind.Mention, m.Index, m.Length, m.Groups[1].Value.ToLowerInvariant()));
        }

        foreach (Match m in TagPattern().Matches(text))
        {
            if (!m.Groups[1].Value.All(char.IsAsciiDigit))
            {
                facets.Add(Make(text, FacetKind.Tag, m.Index, m.Length, m.Groups[1].Value));
            }
        }

        return facets.OrderBy(f => f.ByteStart).ToList();
    }

    private static Facet Make(string text, FacetKind kind, int charStart, int charLength, string value)
    {
        var byteStart = Encoding.UTF8.GetByteCount(text.AsSpan(0, charStart));
        var byteEnd = byteStart + Encoding.UTF8.GetByteCount(text.AsSpan(charStart, charLength));
        return new Facet(kind, byteStart, byteEnd, value);
    }
}
