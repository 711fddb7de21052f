using System.Globalization;
using Rounds.Screening.Data;
using Rounds.Screening.Detection;
using Rounds.Screening.Text;

namespace Rounds.Screening.Tests;

/// <summary>
/// A screening takes its thread's buffers once and rents through them: what it hands back must serve the next rent
/// on that thread, never another thread's, and arrays of different element types must not meet.
/// </summary>
public class ScratchTests
{
    [Fact]
    public void AReturnedBufferServesTheNextRentOfItsThread()
    {
        // A scratch of its own: the thread's may still hold buffers of earlier screenings, which a rent could take first.
        var scratch = new Scratch();
        var first = ScratchBuffers<ulong>.Rent(scratch, 300);
        ScratchBuffers<ulong>.Return(scratch, first);

        Assert.Same(first, ScratchBuffers<ulong>.Rent(scratch, 200));

        // Rented again before its return, it is not handed out twice.
        Assert.NotSame(first, ScratchBuffers<ulong>.Rent(scratch, 200));
        ScratchBuffers<ulong>.Return(scratch, first);
    }

    [Fact]
    public void RentingClearedClearsWhatThePreviousUserLeft()
    {
        var scratch = new Scratch();
        var used = ScratchBuffers<int>.Rent(scratch, 100);
        Array.Fill(used, 7);
        ScratchBuffers<int>.Return(scratch, used);

        var again = ScratchBuffers<int>.RentCleared(scratch, 100);
        Assert.Same(used, again);
        Assert.All(again.AsSpan(0, 100).ToArray(), value => Assert.Equal(0, value));
        ScratchBuffers<int>.Return(scratch, again);
    }

    [Fact]
    public void EachElementTypeKeepsItsOwnBuffers()
    {
        var scratch = new Scratch();
        var bytes = ScratchBuffers<byte>.Rent(scratch, 4096);
        ScratchBuffers<byte>.Return(scratch, bytes);

        var bools = ScratchBuffers<bool>.Rent(scratch, 4096);
        Assert.IsType<bool[]>(bools);
        Assert.Same(bytes, ScratchBuffers<byte>.Rent(scratch, 4096));
    }

    [Fact]
    public void EachThreadHasItsOwnScratch()
    {
        var here = Scratch.OfThisThread;
        Scratch? there = null;
        var thread = new Thread(() => there = Scratch.OfThisThread);
        thread.Start();
        thread.Join();

        Assert.Same(here, Scratch.OfThisThread);
        Assert.NotNull(there);
        Assert.NotSame(here, there);
    }

    [Fact]
    public void ATextAndItsFactsUseTheScratchOfTheThreadThatMadeIt()
    {
        using var text = new TokenizedText("Maria Lopez visited Springfield");
        Assert.Same(Scratch.OfThisThread, text.Scratch);
        for (var i = 0; i < text.Count; i++)
        {
            Assert.Equal(NameData.Shared.FactsOf(text.Span(i), text.Hash(i)), text.Facts(i));
        }

        Assert.Same(NameData.Shared.RecentOfThisThread(), NameData.Shared.RecentOfThisThread());
    }

    /// <summary>The detectors read numbers with <see cref="TokenizedText.DigitValue"/>: it must give what <c>int.Parse</c> gives.</summary>
    [Fact]
    public void DigitValueIsWhatIntParseGives()
    {
        for (var value = 0; value < 10_000; value++)
        {
            for (var width = 1; width <= 4; width++)
            {
                var digits = value.ToString($"D{width}", System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), TokenizedText.DigitValue(digits));
            }
        }

        Assert.Throws<FormatException>(() => TokenizedText.DigitValue("12a"));
        Assert.Throws<FormatException>(() => TokenizedText.DigitValue(""));
        Assert.Throws<FormatException>(() => TokenizedText.DigitValue("١٢"));
    }

    /// <summary>Every number token is ASCII digits only, so <see cref="TokenizedText.DigitValue"/> reads any the detectors hand it.</summary>
    [Theory]
    [MemberData(nameof(ShortcutTests.Files), MemberType = typeof(ShortcutTests))]
    public void NumberTokensAreAsciiDigits(string file)
    {
        var numbers = 0;
        foreach (var post in Rounds.Screening.CommandLine.LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
        {
            using var text = new TokenizedText(post.Post.Text + " ١٢٣ ৪৫");
            for (var i = 0; i < text.Count; i++)
            {
                if (text[i].Kind == TokenKind.Number)
                {
                    Assert.True(text.Span(i).ToString().All(char.IsAsciiDigit), text.Span(i).ToString());
                    numbers++;
                }
            }
        }

        Assert.True(numbers > 10);
    }

    /// <summary>
    /// The date detector reads the digits of an ordinal ("21st") without <c>int.TryParse</c> and the thread's culture;
    /// for every one- and two-character start an alphanumeric token can have (letters, ASCII digits, marks,
    /// apostrophes) it must answer as that did, in cultures with other signs and digits.
    /// </summary>
    [Fact]
    public void AnOrdinalsDayIsWhatTryParseGave()
    {
        static bool InToken(char c) =>
            char.IsAsciiLetterOrDigit(c) || c is '\'' or '’'
            || (c >= 128 && (char.IsLetter(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark));

        var tokenChars = Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(InToken).ToArray();

        // Pairs over ASCII and some letters, digits and marks of other scripts (the signs a culture may use are none).
        var pairChars = tokenChars.Where(c => c < 128).Concat("٣۴߅३৫๗٠ÀéßΩЖא\u0301\u093Fｗ").ToArray();
        var starts = tokenChars.Select(c => c.ToString()).Concat(pairChars.SelectMany(a => pairChars.Select(b => $"{a}{b}"))).ToList();
        var before = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "en-US", "ar-SA", "fa-IR", "sv-SE", "de-CH" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                foreach (var start in starts)
                {
                    var parsed = int.TryParse(start, out var day) && day is >= 1 and <= 31;
                    Assert.True(parsed == DateDetector.IsDayOfMonth(start), $"'{start}' in {culture}");
                }
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        Assert.True(DateDetector.IsDayOfMonth("21"));
        Assert.False(DateDetector.IsDayOfMonth("32"));
    }
}
