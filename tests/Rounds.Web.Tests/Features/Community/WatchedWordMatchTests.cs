using Rounds.Web.Features.Community;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>
/// How watched words are found: a word disguised as people would still read it (fullwidth letters, an invisible
/// character inside, a typographic apostrophe) matches, and blocking reads the text after every replacement,
/// whatever order the words were chosen in.
/// </summary>
public sealed class WatchedWordMatchTests
{
    private static CommunityWatchedWord Word(string phrase, WatchedWordAction action, string replacement = "") =>
        new() { Phrase = phrase, Action = action, Replacement = replacement, CreatedBy = "moderator" };

    [Theory]
    [InlineData("Her ｍｒｎ is on the chart")]
    [InlineData("Her m\u200Brn is on the chart")]
    [InlineData("Her m\u00ADrn is on the chart")]
    public void A_disguised_blocking_word_is_found(string text)
    {
        var match = WatchedWords.Apply([Word("mrn", WatchedWordAction.Block)], text);
        Assert.Single(match.Blocking);
    }

    [Fact]
    public void A_typographic_apostrophe_matches_a_phrase_written_with_a_straight_one()
    {
        var match = WatchedWords.Apply([Word("o'brien ward", WatchedWordAction.Flag)], "Visited O\u2019Brien ward today");
        Assert.Single(match.Flagging);
    }

    [Fact]
    public void Blocking_reads_the_text_after_every_replacement_whatever_the_order_of_the_words()
    {
        // "a-block" sorts before "z-replace": the block must still see the replaced text.
        var words = new[] { Word("bedside secret", WatchedWordAction.Block), Word("rumour", WatchedWordAction.Replace, "bedside secret") };
        var match = WatchedWords.Apply(words, "A rumour from the ward");
        Assert.Equal("A bedside secret from the ward", match.Text);
        Assert.Single(match.Blocking);
        Assert.Empty(WatchedWords.Apply(words, "Nothing here").Blocking);
    }
}
