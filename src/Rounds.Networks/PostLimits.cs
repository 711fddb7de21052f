using System.Globalization;
using System.Text.RegularExpressions;

namespace Rounds.Networks;

/// <summary>How a network measures the length of a post, and how long a post may be.</summary>
public abstract partial class PostLimits
{
    public abstract string Network { get; }

    public abstract int MaxLength { get; }

    /// <summary>The length as the network counts it.</summary>
    public abstract int Measure(string text);

    public bool Fits(string text) => Measure(text) <= MaxLength;

    [GeneratedRegex(@"https?://[^\s]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    protected static partial Regex UrlPattern();

    public static PostLimits Bluesky { get; } = new GraphemeLimits("bluesky", 300);

    public static PostLimits X { get; } = new WeightedLimits();

    public static PostLimits Mastodon { get; } = new LinkShortenedLimits("mastodon", 500);

    public static PostLimits LinkedIn { get; } = new CharacterLimits("linkedin", 3_000);

    public static PostLimits Facebook { get; } = new CharacterLimits("facebook", 63_206);

    public static IReadOnlyList<PostLimits> All { get; } = [Bluesky, X, Mastodon, LinkedIn, Facebook];

    /// <summary>An Instagram caption (Graph API content publishing).</summary>
    public static PostLimits Instagram { get; } = new CharacterLimits("instagram", 2_200);

    public static PostLimits Threads { get; } = new EmojiBytesLimits("threads", 500);

    /// <summary>A TikTok caption, as its Content Posting API counts it.</summary>
    public static PostLimits TikTok { get; } = new CharacterLimits("tiktok", 2_200);

    /// <summary>A YouTube video's description.</summary>
    public static PostLimits YouTube { get; } = new CharacterLimits("youtube", 5_000);

    /// <summary>
    /// A network that publishes no limit (Doximity, a network the registry calls other): the post's own bound,
    /// so the copy is still measured and the person posting it by hand sees its length.
    /// </summary>
    public static PostLimits Unpublished(string network) => new CharacterLimits(network, 70_000);

    /// <summary>Bluesky counts graphemes: an emoji with skin tone or a flag is one.</summary>
    private sealed class GraphemeLimits(string network, int max) : PostLimits
    {
        public override string Network => network;

        public override int MaxLength => max;

        public override int Measure(string text) => new StringInfo(text).LengthInTextElements;
    }

    /// <summary>LinkedIn and Facebook count UTF-16 characters.</summary>
    private sealed class CharacterLimits(string network, int max) : PostLimits
    {
        public override string Network => network;

        public override int MaxLength => max;

        public override int Measure(string text) => text.Length;
    }

    /// <summary>
    /// Threads counts characters, but an emoji as the number of its UTF-8 bytes (usually 4). Emoji are taken to be
    /// the characters outside the basic plane and the symbol blocks of U+2600–U+27BF and U+2B00–U+2BFF.
    /// </summary>
    private sealed class EmojiBytesLimits(string network, int max) : PostLimits
    {
        public override string Network => network;

        public override int MaxLength => max;

        public override int Measure(string text)
        {
            var length = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                var emoji = rune.Value >= 0x10000 || rune.Value is >= 0x2600 and <= 0x27BF || rune.Value is >= 0x2B00 and <= 0x2BFF;
                length += emoji ? rune.Utf8SequenceLength : 1;
            }

            return length;
        }
    }

    /// <summary>Mastodon counts code points, and every link as 23 whatever its length.</summary>
    private sealed class LinkShortenedLimits(string network, int max) : PostLimits
    {
        public override string Network => network;

        public override int MaxLength => max;

        public override int Measure(string text)
        {
            var length = 0;
            var last = 0;
            foreach (Match link in UrlPattern().Matches(text))
            {
                length += CodePoints(text.AsSpan(last, link.Index - last)) + 23;
                last = link.Index + link.Length;
            }

            return length + CodePoints(text.AsSpan(last));
        }
    }

    /// <summary>
    /// X weighs characters: most of Latin, punctuation and general symbols count 1, everything else (CJK,
    /// emoji) counts 2, and a link counts 23. The limit is 280 of these units.
    /// </summary>
    private sealed class WeightedLimits : PostLimits
    {
        public override string Network => "x";

        public override int MaxLength => 280;

        public override int Measure(string text)
        {
            var weight = 0;
            var last = 0;
            foreach (Match link in UrlPattern().Matches(text))
            {
                weight += Weigh(text.AsSpan(last, link.Index - last)) + 23;
                last = link.Index + link.Length;
            }

            return weight + Weigh(text.AsSpan(last));
        }

        private static int Weigh(ReadOnlySpan<char> span)
        {
            var weight = 0;
            foreach (var rune in span.EnumerateRunes())
            {
                var v = rune.Value;
                // The light ranges of X's published counting configuration.
                var light = v <= 0x10FF || v is >= 0x2000 and <= 0x200D || v is >= 0x2010 and <= 0x201F || v is >= 0x2032 and <= 0x2037;
                weight += light ? 1 : 2;
            }

            return weight;
        }
    }

    private static int CodePoints(ReadOnlySpan<char> span)
    {
        var count = 0;
        foreach (var _ in span.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
