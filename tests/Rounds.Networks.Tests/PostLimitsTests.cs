namespace Rounds.Networks.Tests;

public sealed class PostLimitsTests
{
    [Fact]
    public void Bluesky_counts_graphemes_so_a_family_emoji_is_one()
    {
        var family = "👨‍👩‍👧‍👦";
        Assert.Equal(11, family.Length);
        Assert.Equal(1, PostLimits.Bluesky.Measure(family));
        Assert.True(PostLimits.Bluesky.Fits(string.Concat(Enumerable.Repeat(family, 300))));
        Assert.False(PostLimits.Bluesky.Fits(new string('a', 301)));
    }

    [Fact]
    public void X_weighs_links_as_23_and_wide_characters_as_2()
    {
        Assert.Equal(23, PostLimits.X.Measure("https://northfield.example/a/very/long/path/that/goes/on/and/on"));
        Assert.Equal(5 + 1 + 23, PostLimits.X.Measure("Hello https://x.example"));
        Assert.Equal(4, PostLimits.X.Measure("病院"));
        Assert.Equal(2, PostLimits.X.Measure("😀"));
        Assert.True(PostLimits.X.Fits(new string('a', 280)));
        Assert.False(PostLimits.X.Fits(new string('a', 281)));
        Assert.False(PostLimits.X.Fits(new string('病', 141)));
    }

    [Fact]
    public void Mastodon_counts_code_points_and_links_as_23()
    {
        Assert.Equal(1, PostLimits.Mastodon.Measure("😀"));
        Assert.Equal(23 + 2, PostLimits.Mastodon.Measure("https://example.org/" + new string('x', 100) + " 😀"));
        Assert.Equal(500, PostLimits.Mastodon.MaxLength);
    }

    [Fact]
    public void LinkedIn_and_Facebook_count_characters()
    {
        Assert.Equal(3_000, PostLimits.LinkedIn.MaxLength);
        Assert.Equal(63_206, PostLimits.Facebook.MaxLength);
        Assert.Equal(2, PostLimits.Facebook.Measure("😀"));
    }
}
