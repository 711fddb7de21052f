using System.Text;
using Rounds.Screening.Data;

namespace Rounds.Screening.Tests;

/// <summary>
/// Cost must grow linearly with input, even for inputs built to trip backtracking or nested look-backs: n and 8n
/// characters are compared by a deterministic count of token reads, which machine load cannot disturb.
/// </summary>
public class PerformanceTests
{
    private static readonly Screener Screener = new();

    public static TheoryData<string> AdversarialUnits => new(Units);

    private static readonly string[] Units =
    [
        "1234567890",
        "1-2-3-4-5-",
        "1 2 3 4 5 ",
        "Quinn Hollis Wendell Ashby ",
        "Mr. Mr. Mr. Dr. ",
        "(((([[[{{{.....",
        "!?!?;;::,,..--//",
        "a@b.c@d.e.",
        "ab-cd-ef-gh-",
        "ab.cd.ef.gh.",
        "x_y+z.w-",
        "Ab. Cd. Ef Gh-Ij ",
        "1.2.3.4.5.6.",
        "(1) (2) (3) ",
        "in Twin Falls in Union in ",
        "f*f*f*f***ing ",
        "12/12/12/12/",
        "May 2 May 2 May ",
        "http://a.b/c/d/e/",
        "🏠👶\u200D\u0301",
        "patient her his bay 5 room ",
    ];

    /// <summary>
    /// Token reads are counted by the tokenized text itself, so this check is exact and immune to machine load:
    /// linear work reads about 8 times as many tokens for 8 times the input; anything quadratic reads about 64 times.
    /// </summary>
    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void ScreeningWorkIsLinearInInputLength(string unit)
    {
        var small = Repeat(unit, 4_000);
        var large = Repeat(unit, 32_000);
        foreach (var profile in new[] { Profile.Social, Profile.Strict })
        {
            Screener.Screen(new Post(small, AccountKind.Personal, "Nurse at Eastbrook General"), profile, out var smallReads);
            Screener.Screen(new Post(large, AccountKind.Personal, "Nurse at Eastbrook General"), profile, out var largeReads);

            var ratio = (double)largeReads / smallReads;
            Assert.True(ratio < 10, $"8x the input took {ratio:0.0}x the token reads ({smallReads} vs {largeReads}) for '{unit}' ({profile}).");
        }
    }

    [Fact]
    public void NameDataLoadsCompletely()
    {
        // Load() reads the lists afresh, not the shared copy another test may have loaded.
        var data = NameData.Load();

        Assert.Equal(162_253, data.Surnames.Count);
        Assert.Equal(98_493, data.FirstNames.Count);
        Assert.True(data.Places.Count > 25_000, "Places are unique names across states.");
        Assert.True(data.FirstNames.Get("Quinn") > 10_000);
        Assert.True(data.Surnames.Get("haddad".AsSpan()) > 1_000);
    }

    private static string Repeat(string unit, int length)
    {
        var builder = new StringBuilder(length + unit.Length);
        while (builder.Length < length)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, length);
    }
}
