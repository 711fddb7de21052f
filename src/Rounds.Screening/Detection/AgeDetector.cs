using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Ages over 89, which HIPAA treats as identifying: <c>97-year-old</c>, <c>aged 93</c>, <c>ninety-two years old</c>,
/// <c>101st birthday</c>, <c>in her 90s</c>, or a bare number where the context makes it an age (<c>Cordelia (101!!)</c>).
/// </summary>
internal static class AgeDetector
{
    private static readonly Dictionary<string, int> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
    };

    private static readonly WordSet AgeVerbs = WordSet.Of("aged", "age", "turned", "turns", "turning", "at", "is", "was", "just");

    private static readonly WordSet StrongAgeVerbs = WordSet.Of("aged", "age", "turned", "turns", "turning");

    /// <summary>Who "at 103" is said of: "who at 103 was the oldest graduate", "she, at 95, still drives".</summary>
    private static readonly WordSet AgeSubjects = WordSet.Of("who", "she", "he");

    /// <summary>What a number counts when it is not an age: "turned 90 degrees", "turns 100 percent".</summary>
    private static readonly WordSet QuantityNouns = WordSet.Of(
        "percent", "degrees", "degree", "minutes", "min", "mins", "hours", "hrs", "seconds", "days", "weeks", "months",
        "times", "mg", "ml", "mph", "lbs", "pounds", "kg", "feet", "ft", "miles", "beds", "patients", "people", "points",
        "cents", "dollars", "units");

    public static void Detect(ScreeningContext ctx)
    {
        var text = ctx.Text;
        for (var i = 0; i < text.Count; i++)
        {
            if (ctx.IsClaimed(i) || !text[i].IsWordLike)
            {
                continue;
            }

            var (value, last) = Value(text, i);
            if (value < 90 || value > 125)
            {
                continue;
            }

            var unitEnd = YearsOld(text, last + 1);
            if (unitEnd >= 0)
            {
                if (unitEnd + 1 < text.Count && text.IsIn(unitEnd + 1, Lexicon.NonPersonAgeNouns))
                {
                    continue;
                }

                Add(ctx, i, unitEnd, true);
                i = unitEnd;
                continue;
            }

            var span = text.Span(i);
            if (text[i].Kind == TokenKind.Alnum && (span.EndsWith("th") || span.EndsWith("st") || span.EndsWith("nd") || span.EndsWith("rd"))
                && text.Is(i + 1, "birthday"))
            {
                Add(ctx, i, i, true);
                continue;
            }

            if (text[i].Kind == TokenKind.Alnum && span.EndsWith("s") && i > 0 && (text.IsIn(i - 1, Lexicon.ThirdPersonPossessives) || text.Is(i - 1, "early") || text.Is(i - 1, "late") || text.Is(i - 1, "mid")))
            {
                Add(ctx, i, i, true);
                continue;
            }

            if (text[i].Kind != TokenKind.Number || last != i)
            {
                continue;
            }

            // A bare number: only an age when nothing after it makes it a quantity and something before makes it an age.
            var next = i + 1;
            var quantityAfter = next < text.Count && (text[next].IsWordLike || text.IsSymbol(next, '%') || text.IsSymbol(next, '°')
                || text.IsSymbol(next, '/') || text.IsSymbol(next, '.') && next + 1 < text.Count && text[next + 1].Kind == TokenKind.Number);
            // "turns 97 tomorrow": after a verb of age only a unit makes the number a quantity.
            var ageVerb = i >= 1 && text.IsIn(i - 1, StrongAgeVerbs);
            if (quantityAfter && !text.Is(next, "and") && !text.Is(next, "now") && !text.Is(next, "this") && !text.Is(next, "today")
                && !(ageVerb && text[next].Kind == TokenKind.Word && !text.IsIn(next, QuantityNouns)))
            {
                continue;
            }

            // "Cordelia (101!!)", "Clyde Haverstock, 91, hit a hole-in-one": a number set off right after a name.
            var afterName = i >= 2 && text[i - 2].Kind == TokenKind.Word && text[i - 2].Has(TokenFlags.Capitalized)
                && (text.IsSymbol(i - 1, '(') || (text.IsSymbol(i - 1, ',') && next < text.Count && text.IsSymbol(next, ',')));
            // "at 90," and "who at 103 was" are ages; "at 90 minutes" or "at 9" are not.
            var afterVerb = i >= 1 && text.IsIn(i - 1, AgeVerbs)
                && (!text.Is(i - 1, "at") || text.IsSymbol(next, ',') || (i >= 2 && (text.IsIn(i - 2, AgeSubjects) || text.IsSymbol(i - 2, ','))));
            if (afterName || afterVerb)
            {
                Add(ctx, i, i, false);
            }
        }
    }

    private static void Add(ScreeningContext ctx, int first, int last, bool explicitAge) =>
        ctx.Add(new PhiCandidate(first, last, "AGE", "an age over 89", explicitAge ? Tie.Always : Tie.Patient) { LocalCue = explicitAge });

    /// <summary>The number at <paramref name="i"/> in digits or words, and its last token.</summary>
    private static (int Value, int Last) Value(TokenizedText text, int i)
    {
        var span = text.Span(i);
        if (text[i].Kind == TokenKind.Number)
        {
            return span.Length <= 3 ? (TokenizedText.DigitValue(span), i) : (0, i);
        }

        if (text[i].Kind == TokenKind.Alnum)
        {
            var digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits]))
            {
                digits++;
            }

            return digits is 2 or 3 && digits < span.Length ? (TokenizedText.DigitValue(span[..digits]), i) : (0, i);
        }

        if (span.Equals("ninety", StringComparison.OrdinalIgnoreCase))
        {
            if (i + 2 < text.Count && text.IsSymbol(i + 1, '-') && Units.TryGetValue(text.Span(i + 2).ToString(), out var unit))
            {
                return (90 + unit, i + 2);
            }

            return (90, i);
        }

        if (span.Equals("hundred", StringComparison.OrdinalIgnoreCase) && i > 0 && text.Is(i - 1, "one"))
        {
            return (100, i);
        }

        return (0, i);
    }

    /// <summary>Last token of "-year-old", "year old", "years old", "yo", "y/o" or "yrs" starting at <paramref name="j"/>, or -1.</summary>
    private static int YearsOld(TokenizedText text, int j)
    {
        if (j < text.Count && text.IsSymbol(j, '-'))
        {
            j++;
        }

        if (j >= text.Count)
        {
            return -1;
        }

        if (text.Is(j, "yo") || text.Is(j, "yr") && !text.Is(j + 1, "old") && !text.IsSymbol(j + 1, '-'))
        {
            return j;
        }

        if (text.Is(j, "y") && text.IsSymbol(j + 1, '/') && text.Is(j + 2, "o"))
        {
            return j + 2;
        }

        if (text.Is(j, "year") || text.Is(j, "years") || text.Is(j, "yr") || text.Is(j, "yrs"))
        {
            var k = j + 1;
            if (text.IsSymbol(k, '-'))
            {
                k++;
            }

            if (text.Is(k, "old"))
            {
                return k;
            }

            return text.Is(k, "of") && text.Is(k + 1, "age") ? k + 1 : -1;
        }

        return -1;
    }
}
