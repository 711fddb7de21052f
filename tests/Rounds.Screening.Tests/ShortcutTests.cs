using Rounds.Screening.CommandLine;
using Rounds.Screening.Detection;
using Rounds.Screening.Learning;
using Rounds.Screening.Policy;
using Rounds.Screening.Rules;
using Rounds.Screening.Text;

namespace Rounds.Screening.Tests;

/// <summary>
/// Where screening answers a question a cheaper way (one mask bit for several phrase sets, a look back from the
/// token instead of a pass over the post), the answer must be the one the plain way gives, on every token of every
/// labelled text.
/// </summary>
public class ShortcutTests
{
    public static TheoryData<string> Files => new("dev-posts.jsonl", "dev-posts-2.jsonl", "presidio-generated-small.json");

    /// <summary>A set takes the shortcut only once it has its bit, which screening must give it.</summary>
    [Fact]
    public void ScreeningGivesTheFixedPhraseSetsTheirBits()
    {
        new Screener().Screen(new Post("Mr. Dabrowski in dialysis chair 11 again", AccountKind.Personal));

        for (var bit = 0; bit < PhraseStartTable.Sets.Length; bit++)
        {
            Assert.Equal(bit, PhraseStartTable.Sets[bit].Bit);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void APhraseSetsBitIsSetExactlyWhereOneOfItsPhrasesStarts(string file)
    {
        var starts = 0;
        foreach (var post in LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
        {
            using var text = new TokenizedText(post.Post.Text);
            for (var i = 0; i < text.Count; i++)
            {
                var word = text.Span(i).ToString();
                for (var bit = 0; bit < PhraseStartTable.Sets.Length; bit++)
                {
                    var plain = PhraseStartTable.Sets[bit].FirstWords.Any(w => word.Equals(w, StringComparison.OrdinalIgnoreCase));
                    Assert.Equal(plain, (text.PhraseStarts(i) & (1UL << bit)) != 0);
                    starts += plain ? 1 : 0;
                }
            }

            Assert.Equal(ulong.MaxValue, text.PhraseStarts(text.Count));
        }

        Assert.True(starts > 20);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TheContactCueDistanceIsTheOneAPassOverThePostGives(string file)
    {
        var cued = 0;
        foreach (var post in LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
        {
            using var ctx = new ScreeningContext(post.Post, Profile.Social, CompiledRuleSet.Default);
            var features = new FeatureExtractor(ctx, []);
            var text = ctx.Text;
            var last = -1;
            for (var k = 0; k < text.Count; k++)
            {
                var expected = last >= 0 && k - last <= 12 ? k - last : 0;
                Assert.Equal(expected, features.ContactCueDistance(k));
                cued += expected > 0 ? 1 : 0;
                if (text.IsIn(k, Lexicon.ReaderContactCues))
                {
                    last = k;
                }
                else if (text.IsSentenceEnd(k) && !text.IsSymbol(k, '?') && !text.IsSymbol(k, ':'))
                {
                    last = -1;
                }
            }

            features.Release();
        }

        Assert.True(cued > 20);
    }

    /// <summary>The labelled files hold only a few of the words; that each bit is seen set is for the test after this one.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void AWordSetsBitIsSetExactlyWhereTheTokenIsOneOfItsWords(string file)
    {
        Assert.True(PhraseStartTable.WordBit(PhraseStartTable.WordSets.Length - 1) < 64);
        var tokens = 0;
        foreach (var post in LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
        {
            using var text = new TokenizedText(post.Post.Text);
            for (var i = 0; i < text.Count; i++)
            {
                for (var k = 0; k < PhraseStartTable.WordSets.Length; k++)
                {
                    var plain = PhraseStartTable.WordSets[k].Contains(text.Span(i));
                    Assert.Equal(plain, (text.PhraseStarts(i) & (1UL << PhraseStartTable.WordBit(k))) != 0);
                }

                tokens++;
            }
        }

        Assert.True(tokens > 1000);
    }

    /// <summary>The profanity words and insults, tested on texts that have them, so that the bits are seen set.</summary>
    [Fact]
    public void TheProfanityAndInsultBitsAreSetOnTheirWords()
    {
        using var text = new TokenizedText("You absolute IDIOT, this f*cking shift is SHIT and Damn slow, clown 🖕");
        var profane = 1UL << PhraseStartTable.WordBit(0);
        var insult = 1UL << PhraseStartTable.WordBit(1);
        for (var i = 0; i < text.Count; i++)
        {
            var word = text.Span(i).ToString();
            Assert.Equal(word is "SHIT" or "Damn", (text.PhraseStarts(i) & profane) != 0);
            Assert.Equal(word is "IDIOT" or "clown", (text.PhraseStarts(i) & insult) != 0);
        }
    }

    /// <summary>The ASCII ranges of a word's shape and suffix give what the Unicode tables give, for every character.</summary>
    [Fact]
    public void TheShapeAndSuffixCharactersAreTheUnicodeOnes()
    {
        for (var code = 0; code <= char.MaxValue; code++)
        {
            var c = (char)code;
            var plain = char.IsUpper(c) ? 1 : char.IsLower(c) ? 2 : char.IsAsciiDigit(c) ? 3 : 4 + (c % 61);
            Assert.Equal(plain, FeatureExtractor.ShapeClass(c));
            Assert.Equal(char.ToLowerInvariant(c), FeatureExtractor.SuffixChar(c));
        }
    }

    /// <summary>The labeller reads the lexicon's masks as one span without asking whether a token is a word; a symbol must read as no set.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void TheLexiconMasksAreEachTokensMaskAndZeroForSymbols(string file)
    {
        var cued = 0;
        foreach (var post in LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
        {
            using var text = new TokenizedText(post.Post.Text);
            var masks = text.LexiconMasks;
            Assert.Equal(text.Count, masks.Length);
            for (var i = 0; i < text.Count; i++)
            {
                Assert.Equal(text.Mask(i), masks[i]);
                if (!text[i].IsWordLike)
                {
                    Assert.Equal(0UL, masks[i]);
                }

                cued += masks[i] != 0 ? 1 : 0;
            }
        }

        Assert.True(cued > 100);
    }

    /// <summary>
    /// Four templates' keys come from tables hashed once; each entry must be the key the template hashes for the
    /// same value, for every value the extractor can give (every tag and information byte, flag set and kind, count
    /// bucket and fact).
    /// </summary>
    [Fact]
    public void TheTabledKeysAreTheTemplatesHashes()
    {
        for (var candidate = 0; candidate < 32; candidate++)
        {
            for (var info = 0; info < 32; info++)
            {
                var evidence = candidate == 0 ? 0UL : (ulong)(uint)candidate | ((ulong)(uint)info << 8);
                Assert.Equal(FeatureExtractor.Key(5, evidence), FeatureExtractor.EvidenceKey((byte)candidate, (byte)info));
            }
        }

        var allFlags = Enum.GetValues<TokenFlags>().Aggregate((a, b) => a | b);
        foreach (var kind in Enum.GetValues<TokenKind>())
        {
            for (var flags = 0; flags <= (int)allFlags; flags++)
            {
                Assert.Equal(FeatureExtractor.Key(17, (ulong)(uint)flags | ((ulong)kind << 16)), FeatureExtractor.KindKey((TokenFlags)flags, kind));
            }
        }

        for (ulong first = 0; first <= 8; first++)
        {
            for (ulong sur = 0; sur <= 8; sur++)
            {
                for (ulong facts = 0; facts < 16; facts++)
                {
                    var value = first | (sur << 4) | (facts << 8);
                    Assert.Equal(FeatureExtractor.Key(21, value), FeatureExtractor.NameListKey(value));
                }
            }
        }

        for (ulong value = 0; value < 8 * 32; value++)
        {
            Assert.Equal(FeatureExtractor.Key(23, value), FeatureExtractor.PlaceKey(value));
        }
    }

    /// <summary>
    /// The policy detector clears its phrase lengths and weights only after a token where a phrase matched; each
    /// token's answer must be the one fresh zeros give, and a token where nothing matched must leave zeros.
    /// </summary>
    [Fact]
    public void PhraseLengthsClearedOnlyAfterAMatchAreThoseOfFreshZeros()
    {
        // More entries than the detector's five rules: a tag's entry is written by its number.
        const int tags = 8;
        Span<int> lengths = stackalloc int[tags];
        Span<int> weights = stackalloc int[tags];
        var matched = 0;
        var files = new[] { "dev-posts.jsonl", "dev-posts-2.jsonl", "presidio-generated-small.json" };
        foreach (var post in files.SelectMany(file => LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file)))))
        {
            using var text = new TokenizedText(post.Post.Text);
            for (var i = 0; i < text.Count; i++)
            {
                var freshLengths = new int[tags];
                var freshWeights = new int[tags];
                var fresh = PolicyDetector.WeighedPhrases.MatchByTag(text, i, freshLengths, freshWeights);
                var reused = PolicyDetector.WeighedPhrases.MatchByTag(text, i, lengths, weights);
                Assert.Equal(fresh, reused);
                Assert.Equal(freshLengths, lengths.ToArray());
                Assert.Equal(freshWeights, weights.ToArray());
                if (reused)
                {
                    matched++;
                    lengths.Clear();
                    weights.Clear();
                }
            }
        }

        Assert.True(matched > 0);
    }
}
