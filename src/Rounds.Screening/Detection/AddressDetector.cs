using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Street addresses (<c>88 Larkspur Lane</c>, <c>3300 Aspen Ridge Rd, Suite 4, Macon, GA 31201</c>) and ZIP codes.
/// A contiguous address is one span. The strict profile also takes the loosely written and foreign address
/// blocks found in free text, line by line.
/// </summary>
internal static class AddressDetector
{
    private static readonly string[] ForeignStreetEndings =
        ["straat", "strasse", "straße", "gasse", "weg", "laan", "plein", "gade", "vej", "katu", "utca", "ulica", "gatan", "vägen", "veien"];

    private static readonly WordSet ForeignStreetWords = WordSet.Of(
        "rue", "via", "calle", "avenida", "rua", "viale", "piazza", "plaza", "boulevard", "chemin", "allee", "allée", "útja", "ulitsa", "straat", "strasse");

    private static readonly WordSet StreetPrepositions = WordSet.Of("on", "off", "near", "along", "down", "up");

    private static readonly WordSet FullStreetWords = WordSet.Of(
        "street", "avenue", "road", "lane", "drive", "boulevard", "court", "terrace", "circle", "highway", "parkway",
        "trail", "pike", "alley", "crescent");

    private static readonly WordSet AddressCues = WordSet.Of("on", "at", "address", "to", "in", "is", "from", "live", "lives", "lived");

    public static void Detect(ScreeningContext ctx)
    {
        var text = ctx.Text;
        for (var i = 0; i < text.Count; i++)
        {
            if (ctx.IsClaimed(i))
            {
                continue;
            }

            var last = -1;
            if (text[i].Kind == TokenKind.Number && text[i].Length <= 6 && (i == 0 || !text.Adjacent(i - 1, i) || text.IsSymbol(i - 1, '#')))
            {
                last = Street(ctx, i);
            }
            else if (text[i].Kind == TokenKind.Word)
            {
                last = NamedStreet(text, i);
                if (last < 0 && ctx.Strict)
                {
                    last = ForeignStreet(ctx, i);
                }
            }

            if (last >= 0)
            {
                last = Tail(ctx, last);
                if (!ctx.IsClaimed(i, last))
                {
                    ctx.Add(new PhiCandidate(i, last, "LOCATION", "a street address", Tie.Contact)
                    {
                        LocalCue = NumberDetector.ThirdPartyCue(text, i, last),
                    });
                    i = last;
                    continue;
                }
            }

            if (text[i].Kind == TokenKind.Number && text[i].Length == 5 && i > 0 && IsStateBefore(text, i))
            {
                ctx.Add(new PhiCandidate(i, i, "LOCATION", "a ZIP code", Tie.Contact) { LocalCue = NumberDetector.ThirdPartyCue(text, i, i) });
            }
        }
    }

    /// <summary>"88 Larkspur Lane", "23 8 wressle road", "2279 President St": a number, some words, a street word.</summary>
    private static int Street(ScreeningContext ctx, int i)
    {
        var text = ctx.Text;
        var j = i + 1;
        if (ctx.Strict && j < text.Count && text[j].Kind == TokenKind.Number && text[j].Length <= 5 && text.SameLine(i, j))
        {
            j++;
        }

        for (var words = 0; j < text.Count && words < 6; j++, words++)
        {
            if (!text.SameLine(i, j) || text[j].Kind == TokenKind.Symbol && !text.IsSymbol(j, '.'))
            {
                break;
            }

            if (text.IsSymbol(j, '.'))
            {
                words--;
                continue;
            }

            var capitalized = text[j].Has(TokenFlags.Capitalized) || char.IsAsciiDigit(text.Text[text[j].Start]);
            if (!capitalized && !ctx.Strict)
            {
                break;
            }

            if (words > 0 && text.IsIn(j, Lexicon.StreetSuffixes) && (capitalized || ctx.Strict))
            {
                // "Dr" after a number and a name is a street; "Dr." before a name is a doctor.
                if (text.Is(j, "dr") && j + 2 < text.Count && text.IsSymbol(j + 1, '.') && text[j + 2].Has(TokenFlags.Capitalized)
                    && !text[j + 2].Has(TokenFlags.NewlineBefore) && !text.IsIn(j + 2, Lexicon.UnitWords))
                {
                    return -1;
                }

                var end = j;
                if (j + 1 < text.Count && text.IsIn(j + 1, Lexicon.Directionals) && text[j + 1].Length <= 2 && text.SameLine(j, j + 1))
                {
                    end = j + 1;
                }

                return end;
            }

            if (ctx.Strict && words > 0 && (EndsLikeForeignStreet(text.Span(j)) || text.IsIn(j, ForeignStreetWords)))
            {
                return j + 1 < text.Count && text[j + 1].Kind == TokenKind.Number && text.SameLine(j, j + 1) ? j + 1 : j;
            }

            // "87 Jakobi 69": house number, street, number in the strict profile.
            if (ctx.Strict && words > 0 && text[j].Kind == TokenKind.Number && text[j - 1].Kind == TokenKind.Word)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>"lives on Elm Street", "near Oak Hollow Road": a street named without a house number.</summary>
    private static int NamedStreet(TokenizedText text, int i)
    {
        if (i == 0 || !text[i].Has(TokenFlags.Capitalized) || !text.IsIn(i - 1, StreetPrepositions))
        {
            return -1;
        }

        for (var k = i + 1; k < Math.Min(text.Count, i + 4); k++)
        {
            if (text[k].Kind != TokenKind.Word || !text[k].Has(TokenFlags.Capitalized) || !text.SameLine(i, k))
            {
                return -1;
            }

            if (text.IsIn(k, FullStreetWords))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>"Nassaustraat 123", "rue Descartes": a street word followed by a house number.</summary>
    private static int ForeignStreet(ScreeningContext ctx, int i)
    {
        var text = ctx.Text;
        if (EndsLikeForeignStreet(text.Span(i)) && i + 1 < text.Count && text[i + 1].Kind == TokenKind.Number && text.SameLine(i, i + 1))
        {
            return i + 1;
        }

        // "lives on Ziegelgasse 26", "address: Jakobi 69": a capitalised word and a number after an address cue.
        if (i > 0 && text[i].Has(TokenFlags.Capitalized) && i + 1 < text.Count && text[i + 1].Kind == TokenKind.Number
            && text[i + 1].Length <= 4 && (text.IsIn(i - 1, AddressCues) || text.IsSymbol(i - 1, ':'))
            && !text.IsIn(i, NameDataWords.Common) && text.SameLine(i, i + 1) && !text.IsIn(i, Lexicon.Months))
        {
            return i + 1;
        }

        return -1;
    }

    private static bool EndsLikeForeignStreet(ReadOnlySpan<char> word)
    {
        // Every ending is at least three letters and the word must be longer still; the last letter filters cheaply.
        if (word.Length < 6 || char.ToLowerInvariant(word[^1]) is not ('t' or 'e' or 'g' or 'n' or 's' or 'a' or 'j'))
        {
            return false;
        }

        foreach (var ending in ForeignStreetEndings)
        {
            if (word.Length > ending.Length + 2 && word.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Extends an address over its unit, city, state and ZIP, and in the strict profile over the next lines of a block.</summary>
    private static int Tail(ScreeningContext ctx, int last)
    {
        var text = ctx.Text;
        var end = last;
        var j = last + 1;
        var budget = ctx.Strict ? 30 : 12;
        while (j < text.Count && budget-- > 0)
        {
            if (text.IsSymbol(j, ',') || text.IsSymbol(j, '.') || text.IsSymbol(j, '#'))
            {
                j++;
                continue;
            }

            if (text[j].Kind == TokenKind.Symbol)
            {
                break;
            }

            var newLine = text[j].Has(TokenFlags.NewlineBefore);
            if (newLine && !ctx.Strict)
            {
                break;
            }

            if (text.IsIn(j, Lexicon.UnitWords) && j + 1 < text.Count)
            {
                var v = text.IsSymbol(j + 1, '.') || text.IsSymbol(j + 1, '#') ? j + 2 : j + 1;
                if (v < text.Count && text[v].Kind is TokenKind.Number or TokenKind.Alnum)
                {
                    end = j = v;
                    j++;
                    continue;
                }
            }

            if (text[j].Kind == TokenKind.Number && text[j].Length is 4 or 5 or 6 && (ctx.Strict || text[j].Length == 5))
            {
                end = j;
                j++;
                if (j + 1 < text.Count && text.IsSymbol(j, '-') && text[j + 1].Kind == TokenKind.Number && text[j + 1].Length == 4)
                {
                    end = j + 1;
                    j += 2;
                }

                if (!ctx.Strict)
                {
                    break;
                }

                continue;
            }

            var word = text[j].Kind == TokenKind.Word;
            var previousComma = text.IsSymbol(j - 1, ',');
            if (word && (previousComma || newLine || ctx.Strict) && (text[j].Has(TokenFlags.Capitalized) || ctx.Strict)
                && !(text[j].Has(TokenFlags.Capitalized) is false && NameDataWords.Data.IsCommon(text, j) && !text.Is(j, "nan")))
            {
                // City names, state codes and, in blocks, country names.
                var k = j;
                while (k + 1 < text.Count && text[k + 1].Kind == TokenKind.Word && !text[k + 1].Has(TokenFlags.NewlineBefore)
                       && (text[k + 1].Has(TokenFlags.Capitalized) || ctx.Strict) && k - j < 4
                       && !(NameDataWords.Data.IsCommon(text, k + 1) && !text[k + 1].Has(TokenFlags.Capitalized)))
                {
                    k++;
                }

                if (!ctx.Strict && !previousComma)
                {
                    break;
                }

                end = k;
                j = k + 1;
                continue;
            }

            break;
        }

        return end;
    }

    private static bool IsStateBefore(TokenizedText text, int i)
    {
        var k = i - 1;
        if (text.IsSymbol(k, ','))
        {
            k--;
        }

        return k >= 0 && text[k].Has(TokenFlags.AllUpper) && text.IsIn(k, Lexicon.StateCodes)
               || k >= 0 && Lexicon.StateNames.Match(text, k).Length > 0
               || (k >= 1 && Lexicon.StateNames.Match(text, k - 1).Length == 2);
    }
}
