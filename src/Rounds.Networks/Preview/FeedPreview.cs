using System.Globalization;
using System.Text.RegularExpressions;

namespace Rounds.Networks.Preview;

/// <summary>An image as the preview needs it: where the browser loads it from, its description and declared size.</summary>
public sealed record PreviewImage(string Source, string AltText, long? Width, long? Height);

/// <summary>How one image shows in a network's feed: the shape the feed gives it and whether that cuts part of it off.</summary>
public sealed record ImageCrop(PreviewImage Image, double? ShownRatio, string Shape, bool Cropped)
{
    public bool AltMissing => string.IsNullOrWhiteSpace(Image.AltText);
}

/// <summary>The card a network builds from the first link. Only what the link itself says: nothing is fetched to preview it.</summary>
public sealed record LinkCard(string Url, string Domain);

/// <summary>
/// A copy as a network's feed shows it: the text above the "more" fold, the text behind it, the part past the
/// network's limit (which the network refuses, so it is never seen), the count as the network counts it, the link
/// card, each image's crop and what the author should fix.
/// </summary>
public sealed record FeedPreview(
    FeedStyle Style,
    string Visible,
    string Folded,
    string Cut,
    int Count,
    LinkCard? Link,
    IReadOnlyList<ImageCrop> Images,
    IReadOnlyList<string> Warnings)
{
    public bool Fits => Cut.Length == 0;
}

/// <summary>
/// What a network's feed does to a post. The limits are the networks' published ones; the folds are where their
/// feeds put "more" on a phone, which is where most readers stop; the image shapes are the aspect ratios (width
/// over height) the feed shows a single image in, cropping anything wider or taller.
/// </summary>
public sealed record FeedStyle(
    string Network,
    string Name,
    int MaxLength,
    Func<string, int> Measure,
    string Counting,
    int? FoldAt,
    string FoldLabel,
    bool ShowsLinkCard,
    string? LinkNote,
    double? NarrowestImage,
    double? WidestImage,
    bool NeedsImage)
{
    /// <summary>Instagram counts characters of the caption, up to 2,200.</summary>
    private static readonly Func<string, int> Characters = text => text.Length;

    public static FeedStyle X { get; } = new("x", "X", PostLimits.X.MaxLength, PostLimits.X.Measure,
        "X weighs characters: letters and punctuation count 1, CJK and emoji 2, and every link 23 however long.",
        null, "", true, null, 16.0 / 9, 16.0 / 9, false);

    public static FeedStyle Bluesky { get; } = new("bluesky", "Bluesky", PostLimits.Bluesky.MaxLength, PostLimits.Bluesky.Measure,
        "Bluesky counts graphemes: an emoji with a skin tone or a flag is one, and links count in full.",
        null, "", true, null, null, null, false);

    public static FeedStyle Mastodon { get; } = new("mastodon", "Mastodon", PostLimits.Mastodon.MaxLength, PostLimits.Mastodon.Measure,
        "Mastodon counts characters, and every link as 23 however long.",
        null, "", true, null, 16.0 / 9, 16.0 / 9, false);

    public static FeedStyle LinkedIn { get; } = new("linkedin", "LinkedIn", PostLimits.LinkedIn.MaxLength, PostLimits.LinkedIn.Measure,
        "LinkedIn counts characters (an emoji counts 2).",
        210, "…see more", true, null, 4.0 / 5, 1.91, false);

    public static FeedStyle Facebook { get; } = new("facebook", "Facebook", PostLimits.Facebook.MaxLength, PostLimits.Facebook.Measure,
        "Facebook counts characters (an emoji counts 2).",
        480, "See more", true, null, 4.0 / 5, 1.91, false);

    public static FeedStyle Instagram { get; } = new("instagram", "Instagram", 2_200, Characters,
        "Instagram counts the caption's characters (an emoji counts 2).",
        125, "… more", false, "Links in Instagram captions are not clickable: readers see the address as text.", 4.0 / 5, 1.91, true);

    public static IReadOnlyList<FeedStyle> All { get; } = [X, Bluesky, Facebook, LinkedIn, Instagram, Mastodon];

    /// <summary>The style of a network by its key ("x", "bluesky", …), or null for a network without a preview.</summary>
    public static FeedStyle? Of(string network) => All.FirstOrDefault(s => string.Equals(s.Network, network, StringComparison.OrdinalIgnoreCase));
}

public static partial class FeedPreviews
{
    /// <summary>How far back from the fold a break between words is looked for, so the fold does not split a word.</summary>
    private const int FoldSlack = 20;

    [GeneratedRegex(@"https?://[^\s]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    public static FeedPreview Build(FeedStyle style, string text, IReadOnlyList<PreviewImage> images)
    {
        text = text.Trim();
        var fitting = LongestFittingPrefix(style, text);
        var shown = text[..fitting];
        var cut = text[fitting..];
        var fold = FoldIndex(style, shown);
        var warnings = new List<string>();
        var count = style.Measure(text);
        if (cut.Length > 0)
        {
            warnings.Add($"{style.Name} takes {style.MaxLength:N0}; this copy counts {count:N0}, so {style.Name} refuses it. The part after the mark does not fit.");
        }

        var link = FirstLink(text);
        if (link is not null && style.LinkNote is { } note)
        {
            warnings.Add(note);
        }

        var crops = images.Select(image => Crop(style, image)).ToList();
        if (style.NeedsImage && images.Count == 0)
        {
            warnings.Add($"{style.Name} posts need an image or a video; add one before submitting.");
        }

        foreach (var (crop, number) in crops.Select((c, i) => (c, i + 1)))
        {
            if (crop.AltMissing)
            {
                warnings.Add($"Image {number} has no description: people using screen readers on {style.Name} hear nothing.");
            }
        }

        return new FeedPreview(style, shown[..fold].TrimEnd(), shown[fold..].TrimStart(), cut, count, style.ShowsLinkCard ? link : null, crops, warnings);
    }

    /// <summary>
    /// The longest start of the text, ending between two graphemes, that the network's count accepts. Counts never
    /// fall as text grows, so a binary search over the grapheme boundaries finds it.
    /// </summary>
    private static int LongestFittingPrefix(FeedStyle style, string text)
    {
        if (style.Measure(text) <= style.MaxLength)
        {
            return text.Length;
        }

        var boundaries = StringInfo.ParseCombiningCharacters(text).Append(text.Length).ToArray();
        int low = 0, high = boundaries.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (style.Measure(text[..boundaries[middle]]) <= style.MaxLength)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return boundaries[low];
    }

    private static int FoldIndex(FeedStyle style, string shown)
    {
        if (style.FoldAt is not { } fold || shown.Length <= fold)
        {
            return shown.Length;
        }

        // Never between the two halves of a surrogate pair or a combined character.
        var boundaries = StringInfo.ParseCombiningCharacters(shown);
        var at = boundaries.Last(b => b <= fold);
        var space = shown.LastIndexOfAny([' ', '\n', '\t'], at);
        return space > 0 && at - space <= FoldSlack ? space : at;
    }

    private static LinkCard? FirstLink(string text)
    {
        var match = UrlPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        // A sentence's full stop or closing bracket after a link is not part of it.
        var url = match.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '»', '”', '"', '\'');
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? new LinkCard(url, uri.IdnHost.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.IdnHost[4..] : uri.IdnHost)
            : null;
    }

    private static ImageCrop Crop(FeedStyle style, PreviewImage image)
    {
        double? ratio = image is { Width: > 0, Height: > 0 } ? (double)image.Width.Value / image.Height.Value : null;
        if (style.NarrowestImage is not { } narrowest || style.WidestImage is not { } widest)
        {
            return new ImageCrop(image, ratio, "whole image", false);
        }

        if (ratio is not { } actual)
        {
            // Without a declared size the crop cannot be told; the feed's widest shape is what most images get.
            return new ImageCrop(image, widest, Shape(widest), false);
        }

        var shown = Math.Clamp(actual, narrowest, widest);
        // Rounding: a 1920 × 1080 photo is 16:9 to the feed, not cropped by a thousandth.
        return new ImageCrop(image, shown, Shape(shown), Math.Abs(shown - actual) > 0.01);
    }

    /// <summary>A ratio in the words people use for it.</summary>
    public static string Shape(double ratio) => ratio switch
    {
        _ when Math.Abs(ratio - 16.0 / 9) < 0.01 => "16:9",
        _ when Math.Abs(ratio - 4.0 / 5) < 0.01 => "4:5",
        _ when Math.Abs(ratio - 1.91) < 0.01 => "1.91:1",
        _ when Math.Abs(ratio - 1) < 0.01 => "1:1",
        _ => $"{ratio.ToString("0.##", CultureInfo.InvariantCulture)}:1",
    };
}
