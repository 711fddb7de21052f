using Rounds.Networks.LinkedIn;

namespace Rounds.Networks.Tests.LinkedIn;

public sealed class LittleTextTests
{
    [Theory]
    [InlineData("Plain text stays as it is.", "Plain text stays as it is.")]
    [InlineData("Ward 4 (east) *new*", @"Ward 4 \(east\) \*new\*")]
    [InlineData("#NursesWeek starts #today", "#NursesWeek starts #today")]
    [InlineData("Room #4 and a # sign", @"Room \#4 and a \# sign")]
    [InlineData(@"a\b|c{d}e@f[g]h<i>j_k~l", @"a\\b\|c\{d\}e\@f\[g\]h\<i\>j\_k\~l")]
    public void Reserved_characters_are_escaped_except_a_hashtags_mark(string text, string little)
    {
        Assert.Equal(little, LittleText.Escape(text));
        Assert.Equal(text, LittleText.ToPlain(little));
    }

    [Fact]
    public void Hashtag_templates_read_back_as_hashtags()
    {
        Assert.Equal("Happy #NursesWeek (all week)", LittleText.ToPlain(@"Happy {hashtag|\#|NursesWeek} \(all week\)"));
    }
}
