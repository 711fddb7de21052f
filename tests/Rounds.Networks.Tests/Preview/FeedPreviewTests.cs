using Rounds.Networks.Preview;

namespace Rounds.Networks.Tests.Preview;

/// <summary>Each network's preview cuts, folds and crops the way that network's feed does.</summary>
public sealed class FeedPreviewTests
{
    private const string Link = "https://www.northfield.example/flu/clinics/eastside-saturday-2026-with-a-long-path";

    [Fact]
    public void Every_network_of_the_registry_has_a_preview_with_its_published_limit()
    {
        Assert.Equal(280, FeedStyle.Of("x")!.MaxLength);
        Assert.Equal(300, FeedStyle.Of("bluesky")!.MaxLength);
        Assert.Equal(500, FeedStyle.Of("mastodon")!.MaxLength);
        Assert.Equal(3_000, FeedStyle.Of("linkedin")!.MaxLength);
        Assert.Equal(2_200, FeedStyle.Of("instagram")!.MaxLength);
        Assert.Equal(63_206, FeedStyle.Of("facebook")!.MaxLength);
        Assert.Null(FeedStyle.Of("doximity"));
    }

    [Fact]
    public void X_cuts_at_280_weighted_units_with_the_link_counted_as_23()
    {
        // 250 letters, a space and a long link: 250 + 1 + 23 = 274 units, so it fits although it is over 280 characters.
        var text = new string('a', 250) + " " + Link;
        var preview = FeedPreviews.Build(FeedStyle.X, text, []);
        Assert.Equal(274, preview.Count);
        Assert.True(preview.Fits);
        Assert.Equal("northfield.example", preview.Link!.Domain);

        // Wide characters weigh 2: 150 of them are 300 units, and the cut falls after the 140th.
        var wide = FeedPreviews.Build(FeedStyle.X, new string('病', 150), []);
        Assert.Equal(300, wide.Count);
        Assert.Equal(140, wide.Visible.Length);
        Assert.Equal(10, wide.Cut.Length);
    }

    [Fact]
    public void Bluesky_cuts_at_300_graphemes_and_never_splits_an_emoji()
    {
        var family = "👨‍👩‍👧‍👦";
        var text = new string('a', 299) + family + family;
        var preview = FeedPreviews.Build(FeedStyle.Bluesky, text, []);
        Assert.Equal(301, preview.Count);
        Assert.Equal(new string('a', 299) + family, preview.Visible);
        Assert.Equal(family, preview.Cut);
    }

    [Fact]
    public void Mastodon_counts_links_as_23_so_a_long_link_does_not_cut_the_text()
    {
        var text = new string('a', 470) + " " + Link;
        var preview = FeedPreviews.Build(FeedStyle.Mastodon, text, []);
        Assert.Equal(494, preview.Count);
        Assert.True(preview.Fits);
        Assert.Empty(preview.Folded);
    }

    [Fact]
    public void Instagram_folds_at_125_characters_between_words_and_warns_that_links_are_not_clickable()
    {
        var text = string.Join(' ', Enumerable.Repeat("vaccines", 30)) + " " + Link;
        var preview = FeedPreviews.Build(FeedStyle.Instagram, text, []);
        Assert.True(preview.Visible.Length <= 125);
        Assert.EndsWith("vaccines", preview.Visible);
        Assert.StartsWith("vaccines", preview.Folded);
        Assert.Null(preview.Link);
        Assert.Contains(preview.Warnings, w => w.Contains("not clickable"));
        Assert.Contains(preview.Warnings, w => w.Contains("need an image"));
    }

    [Fact]
    public void LinkedIn_and_Facebook_fold_long_posts_behind_see_more()
    {
        var text = string.Join(' ', Enumerable.Repeat("screening", 60));
        var linkedIn = FeedPreviews.Build(FeedStyle.LinkedIn, text, []);
        var facebook = FeedPreviews.Build(FeedStyle.Facebook, text, []);
        Assert.True(linkedIn.Visible.Length <= 210);
        Assert.NotEmpty(linkedIn.Folded);
        Assert.True(facebook.Visible.Length is > 210 and <= 480);
        Assert.NotEmpty(facebook.Folded);
        Assert.True(linkedIn.Fits && facebook.Fits);
    }

    [Fact]
    public void Images_are_cropped_to_the_shape_each_feed_shows_and_a_missing_description_is_named()
    {
        var square = new PreviewImage("/square.png", "The clinic sign.", 1080, 1080);
        var tall = new PreviewImage("/tall.png", "", 1080, 1920);

        var x = FeedPreviews.Build(FeedStyle.X, "Flu clinic", [square, tall]);
        Assert.All(x.Images, crop => Assert.Equal("16:9", crop.Shape));
        Assert.All(x.Images, crop => Assert.True(crop.Cropped));
        Assert.Contains(x.Warnings, w => w.StartsWith("Image 2 has no description", StringComparison.Ordinal));
        Assert.DoesNotContain(x.Warnings, w => w.StartsWith("Image 1", StringComparison.Ordinal));

        var instagram = FeedPreviews.Build(FeedStyle.Instagram, "Flu clinic", [square, tall]);
        Assert.Equal(("1:1", false), (instagram.Images[0].Shape, instagram.Images[0].Cropped));
        Assert.Equal(("4:5", true), (instagram.Images[1].Shape, instagram.Images[1].Cropped));
        Assert.DoesNotContain(instagram.Warnings, w => w.Contains("need an image"));

        var bluesky = FeedPreviews.Build(FeedStyle.Bluesky, "Flu clinic", [tall]);
        Assert.False(bluesky.Images[0].Cropped);
        Assert.Equal("whole image", bluesky.Images[0].Shape);
    }
}
