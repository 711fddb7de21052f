using System.Text;

namespace Rounds.Screening.Tests;

/// <summary>Random text of every awkward kind must never throw and must always give valid, ordered offsets.</summary>
public class RobustnessTests
{
    private static readonly string[] Pieces =
    [
        "Mr. ", "Quinn Hollis", " MRN ", "7730184", "(478) 555-0147", "12/04/2025", "97-year-old", "@", ".", "#", "-",
        "f***", "👶", "🏠", "👨‍👩‍👧", "\u0301", "\u200B", "\u200D", "\u202E", "\uFEFF", "مرحبا", "שלום", "\uD800", "\uDFFF",
        "\uD83D", "\n", "\r\n", "  ", "'s", "’", "Ünïcödé", "e\u0301", "ﬁ", "𝔘𝔫𝔦", "http://", "www.", ".org/", "x", "9", "((", "))",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomUnicodeNeverBreaksOffsets(int seed)
    {
        var random = new Random(seed);
        var screener = new Screener();
        for (var run = 0; run < 400; run++)
        {
            var text = RandomText(random, random.Next(0, 300));
            foreach (var profile in new[] { Profile.Social, Profile.Strict })
            {
                var kind = (AccountKind)random.Next(0, 5);
                var bio = random.Next(3) == 0 ? null : RandomText(random, random.Next(0, 60));
                var result = screener.Screen(new Post(text, kind, bio), profile);

                var previous = -1;
                var sawWholePost = false;
                foreach (var finding in result.Findings)
                {
                    if (finding.Start is null)
                    {
                        Assert.Null(finding.End);
                        sawWholePost = true;
                        continue;
                    }

                    Assert.False(sawWholePost, "Findings with offsets must come before whole-post findings.");
                    Assert.InRange(finding.Start.Value, 0, text.Length - 1);
                    Assert.InRange(finding.End!.Value, finding.Start.Value + 1, text.Length);
                    Assert.True(finding.Start.Value >= previous, "Findings must be sorted by start.");
                    previous = finding.Start.Value;
                }
            }
        }
    }

    private static string RandomText(Random random, int parts)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            switch (random.Next(4))
            {
                case 0:
                    builder.Append(Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1:
                    builder.Append((char)random.Next(0, 0x10000));
                    break;
                case 2:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF)));
                    break;
                default:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
            }
        }

        return builder.ToString();
    }
}
