using Rounds.Web.Features.Publishing;

namespace Rounds.Web.Tests.Features.Publishing;

public sealed class TextDiffTests
{
    [Fact]
    public void One_changed_word_in_a_long_text_is_shown_as_that_word_only()
    {
        // A long article draft (3,000 words each side) once went past the table size the diff allowed and came
        // back as the whole text removed and added, which tells a reviewer nothing.
        var words = Enumerable.Range(0, 3_000).Select(i => $"word{i}").ToArray();
        var before = string.Join(' ', words);
        words[1_500] = "changed";
        var after = string.Join(' ', words);

        var parts = TextDiff.Words(before, after);

        Assert.Equal("word1500 ", Assert.Single(parts, p => p.Kind == DiffKind.Removed).Text);
        Assert.Equal("changed ", Assert.Single(parts, p => p.Kind == DiffKind.Added).Text);
        Assert.Equal(before, string.Concat(parts.Where(p => p.Kind != DiffKind.Added).Select(p => p.Text)));
        Assert.Equal(after, string.Concat(parts.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
    }

    [Theory]
    [InlineData("", "Clinic opens Monday.")]
    [InlineData("Clinic opens Monday.", "")]
    [InlineData("Clinic opens Monday.", "Clinic opens Monday.")]
    [InlineData("Flu shots at 9am, walk in!", "Flu shots at 10am — walk in, bring a friend!")]
    public void Both_texts_can_be_rebuilt_from_the_parts(string before, string after)
    {
        var parts = TextDiff.Words(before, after);

        Assert.Equal(before, string.Concat(parts.Where(p => p.Kind != DiffKind.Added).Select(p => p.Text)));
        Assert.Equal(after, string.Concat(parts.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
        Assert.All(parts.Zip(parts.Skip(1)), pair => Assert.NotEqual(pair.First.Kind, pair.Second.Kind));
    }
}
