using System.IO.Compression;
using System.Text;
using Rounds.Screening.CommandLine;
using Rounds.Screening.Data;
using Rounds.Screening.Text;

namespace Rounds.Screening.Tests;

/// <summary>The lists load from their bytes straight into tables; these compare them with the lists read line by line.</summary>
public class NameDataTests
{
    private static readonly NameData Data = NameData.Load();

    [Fact]
    public void EveryNameKeepsItsCount()
    {
        foreach (var (words, table) in new[] { (NameData.ReadFirstNames(), Data.FirstNames), (NameData.ReadSurnames(), Data.Surnames) })
        {
            Assert.Equal(words.Count, table.Count);
            foreach (var (word, count) in words)
            {
                Assert.Equal(count, table.Get(word));
            }
        }

        var strong = NameData.ReadFirstNames().Where(f => f.Count >= NameData.StrongFirstNameCount).ToList();
        Assert.Equal(strong.Count, Data.StrongFirstNames.Count);
        Assert.All(strong, f => Assert.True(Data.StrongFirstNames.Contains(f.Word)));
    }

    [Fact]
    public void EveryPlaceIsFoundByItsKey()
    {
        var longest = 0;
        var plain = 0;
        foreach (var line in NameData.ReadPlaceLines())
        {
            var name = line.Split('\t')[0];
            var key = NameData.PlaceKey(name, out var words);
            if (NameData.IsPlainPlaceName(name, out var plainWords))
            {
                // The shortcut must agree with the tokenizer wherever it is taken.
                Assert.Equal(key, name);
                Assert.Equal(words, plainWords);
                plain++;
            }

            Assert.True(key.Length == 0 || Data.Places.Contains(key), $"'{name}' is missing as '{key}'.");
            longest = Math.Max(longest, words);
        }

        Assert.Equal(longest, Data.LongestPlace);
        Assert.True(plain > 40_000, "Most Gazetteer names are plain words.");
        Assert.False(NameData.IsPlainPlaceName("Clark's Point", out _));
        Assert.False(NameData.IsPlainPlaceName("Cañon City", out _));
        Assert.False(NameData.IsPlainPlaceName("Two  Spaces", out _));
        Assert.False(NameData.IsPlainPlaceName(" Lead", out _));
    }

    /// <summary>
    /// Screening asks about a token through its facts, looked up once and kept per token; on every token of every
    /// labelled text (a post's buffers are reused by the next) they must be what each list answers on its own.
    /// </summary>
    [Fact]
    public void TokenFactsAreWhatEachListSaysOnEveryLabelledText()
    {
        var lists = NameData.Shared;
        var tokens = 0;
        foreach (var file in new[] { "dev-posts.jsonl", "dev-posts-2.jsonl", "presidio-generated-small.json", "presidio-generated-large.json" })
        {
            foreach (var labelled in LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
            {
                using var text = new TokenizedText(labelled.Post.Text);
                for (var i = 0; i < text.Count; i++)
                {
                    var word = text.Span(i).ToString();
                    var facts = text.Facts(i);
                    Assert.Equal(lists.FirstNames.Get(word), facts.FirstNameCount);
                    Assert.Equal(lists.Surnames.Get(word), facts.SurnameCount);
                    Assert.Equal(lists.Places.Contains(word), facts.IsPlace);
                    Assert.Equal(lists.CommonWords.Contains(word), facts.IsCommon);
                    Assert.Equal(lists.StrongFirstNames.Contains(word), facts.IsStrongFirstName);
                    tokens++;
                }
            }
        }

        Assert.True(tokens > 40_000, $"Only {tokens} tokens were compared.");
    }

    /// <summary>
    /// The thread's table of recent words holds 16,384 of them: every given name and surname asked in turn, twice,
    /// makes words of every length and spelling share its entries and evict each other ("Ann" after "Anna", two
    /// words of one length and first letter), and each answer must still be the lists' own.
    /// </summary>
    [Fact]
    public void RecentWordsAnswerWhatTheListsSayWhenEveryNameCompetesForTheTable()
    {
        var lists = NameData.Shared;
        var words = NameData.ReadFirstNames().Select(f => f.Word).Concat(NameData.ReadSurnames().Select(s => s.Word))
            .SelectMany(w => new[] { w, w.ToLowerInvariant(), w[..^1] }).Where(w => w.Length > 0).ToList();
        for (var round = 0; round < 2; round++)
        {
            foreach (var word in words)
            {
                var facts = lists.FactsOf(word, SpanTable<bool>.Hash(word));
                if (facts.FirstNameCount != lists.FirstNames.Get(word) || facts.SurnameCount != lists.Surnames.Get(word)
                    || facts.IsPlace != lists.Places.Contains(word) || facts.IsCommon != lists.CommonWords.Contains(word)
                    || facts.IsStrongFirstName != lists.StrongFirstNames.Contains(word))
                {
                    Assert.Fail($"The recent-word table answered for another word than '{word}'.");
                }
            }
        }

        Assert.True(words.Count > 500_000, $"Only {words.Count} words were asked.");
    }

    [Fact]
    public void AStreamIsReadWholeWhateverItsTrailerSays()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("SMITH\t2442977\n", 5_000)));
        var one = Gzip(text);

        Assert.Equal(text, GzipResource.ReadAll(new MemoryStream(one)));
        Assert.Equal(text, GzipResource.ReadAll(new ForwardOnly(one)));

        // Two members one after the other: the trailer gives only the last one's length.
        var two = Gzip(text).Concat(Gzip("JONES\t1\n"u8.ToArray())).ToArray();
        Assert.Equal(text.Concat("JONES\t1\n"u8.ToArray()), GzipResource.ReadAll(new MemoryStream(two)));

        // A stream already part read is decompressed from where it stands.
        var behind = new byte[] { 1, 2, 3 }.Concat(one).ToArray();
        var positioned = new MemoryStream(behind) { Position = 3 };
        Assert.Equal(text, GzipResource.ReadAll(positioned));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A stream that cannot seek, as a pipe or a network stream.</summary>
    private sealed class ForwardOnly(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
