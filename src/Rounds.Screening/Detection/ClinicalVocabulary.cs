using Rounds.Screening.Data;
using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// The working words of clinical notes (<c>Data/clinical-words.txt</c>): abbreviations, headings, findings, anatomy,
/// devices, drugs, units, and the roles and relations a note names. A note is written in them, and a sequence
/// labeller that has learnt names from capitalised words reads "Neck", "SW", "NT/ND" or a lone "walker" as a name or
/// a place; these words say it is the note's own language instead.
/// </summary>
internal static class ClinicalVocabulary
{
    private static readonly Lazy<WordSet> Words = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Whether a name or place candidate is made only of clinical words, with single letters, numbers and marks
    /// between them ("Abd soft, NT/ND", "echo EF 35", "SW Dr", "M"). A word that is also a given name or surname
    /// counts only when written in lower case or in capitals ("walker", "ED"), never as a capitalised name ("Walker",
    /// "Ed"), and nothing counts after an honorific or a title ("Mr. Foley", "Dr. Cane"): there it is a person.
    /// </summary>
    public static bool Covers(ScreeningContext ctx, PhiCandidate candidate)
    {
        var text = ctx.Text;
        if (text.IsIn(candidate.First - 1, Lexicon.Honorifics) || text.IsIn(candidate.First - 1, Lexicon.StaffTitles)
            || (text.IsSymbol(candidate.First - 1, '.') && (text.IsIn(candidate.First - 2, Lexicon.Honorifics) || text.IsIn(candidate.First - 2, Lexicon.StaffTitles))))
        {
            return false;
        }

        var words = 0;
        var letters = 0;
        var numbers = 0;
        for (var k = candidate.First; k <= candidate.Last; k++)
        {
            var token = text[k];
            if (!token.IsWordLike || token.Kind == TokenKind.Number)
            {
                numbers += token.Kind == TokenKind.Number ? 1 : 0;
                continue;
            }

            var known = text.IsIn(k, Words.Value) || IsCountWithUnit(text.Span(k));
            if (text.Span(k).Length == 1)
            {
                // A lone letter is an initial, a side or a sex ("A/P", "L forearm", "M"); beside clinical words it
                // neither makes nor unmakes a name. Letters alone count only without numbers, which make them part of
                // an address ("30 N").
                letters += known ? 1 : 0;
                continue;
            }

            if (!known || IsStateOfAnAddress(text, k))
            {
                return false;
            }

            if (token.Has(TokenFlags.Capitalized) && !token.Has(TokenFlags.AllUpper) && text.Span(k).Length > 1
                && (NameData.Shared.FirstNameCount(text, k) >= NameCount || NameData.Shared.SurnameCount(text, k) >= NameCount)
                && !IsOrderedOrDosed(text, k))
            {
                return false;
            }

            words++;
        }

        return words > 0 || (letters > 0 && numbers == 0 && letters == CountLetters(text, candidate));
    }

    /// <summary>
    /// Drugs and devices are written capitalised, and some are surnames ("Foley" catheter, "Senna"); a drug or device
    /// (only those sections of the vocabulary) is what an order starts or stops ("d/c Foley", "Start Senna"), has a
    /// dose ("Senna 8.6 mg") or a device's state after it ("Foley in place", "Foley removed"). A person is what a
    /// clinician does something to or for ("Started Walker on PT", "Walker removed from the list", "Walker's
    /// daughter"), so a possessive or a preposition after the word keeps it a name.
    /// </summary>
    private static bool IsOrderedOrDosed(TokenizedText text, int k)
    {
        if (!text.IsIn(k, Things.Value) || text[k].Has(TokenFlags.Possessive) || text.IsIn(k + 1, Prepositions))
        {
            return false;
        }

        return text.IsIn(k - 1, OrderVerbs)
            || (k + 2 < text.Count && text[k + 1].Kind == TokenKind.Number && text.IsIn(k + 2, DoseUnits))
            || (text.IsIn(k + 1, DeviceStates) && !text.IsIn(k + 2, Prepositions))
            || (text.Is(k + 1, "in") && text.Is(k + 2, "place"));
    }

    // Verbs of orders only: giving, holding or placing is done to patients too ("gave Ed his meds").
    private static readonly WordSet OrderVerbs = WordSet.Of(
        "start", "started", "continue", "continued", "cont", "wean", "weaned", "titrate", "titrated", "taper", "tapered",
        "increase", "increased", "decrease", "decreased", "resume", "resumed", "discontinue", "discontinued", "d/c", "dc");

    private static readonly WordSet DoseUnits = WordSet.Of(
        "mg", "mcg", "g", "gm", "ml", "meq", "mmol", "units", "unit", "iu", "tab", "tabs", "cap", "caps", "fr");

    private static readonly WordSet DeviceStates = WordSet.Of(
        "placed", "inserted", "removed", "changed", "draining", "flushed", "d/c'd", "dc'd", "discontinued", "catheter", "cath");

    private static readonly WordSet Prepositions = WordSet.Of("on", "off", "to", "from", "with", "at", "by", "for", "into", "onto");

    /// <summary>Whether the word is one of a note's own, whatever its case ("Lines", "Access", "Diet").</summary>
    public static bool Holds(TokenizedText text, int index) => text.IsIn(index, Words.Value);

    private static int CountLetters(TokenizedText text, PhiCandidate candidate)
    {
        var count = 0;
        for (var k = candidate.First; k <= candidate.Last; k++)
        {
            count += text[k].IsWordLike && text.Span(k).Length == 1 ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// People who carry a word as a given name (US births) or surname (Census) before its capitalised form is taken
    /// for a name: Walker, Foley, Ed and Aki are names enough people have; Neck, Abd and Na are not.
    /// </summary>
    private const int NameCount = 500;

    /// <summary>
    /// A state's code in an address ("Dallas TX 48486", "Austin, TX"): "TX", "OR" and "PA" are also a note's words, but
    /// after a place or before a ZIP code they are the state.
    /// </summary>
    private static bool IsStateOfAnAddress(TokenizedText text, int k) =>
        text[k].Has(TokenFlags.AllUpper) && text.IsIn(k, Lexicon.StateCodes)
        && (text.IsSymbol(k - 1, ',') || (k > 0 && text[k - 1].Has(TokenFlags.Capitalized) && !text[k - 1].Has(TokenFlags.AllUpper))
            || (k + 1 < text.Count && text[k + 1].Kind == TokenKind.Number && text[k + 1].Length == 5));

    /// <summary>A number run together with a unit or an age mark ("20yo", "40mg", "3x").</summary>
    private static bool IsCountWithUnit(ReadOnlySpan<char> token)
    {
        var digits = 0;
        while (digits < token.Length && char.IsAsciiDigit(token[digits]))
        {
            digits++;
        }

        return digits > 0 && digits < token.Length && Words.Value.Contains(token[digits..]);
    }

    private static WordSet Load() => new(ReadSections(_ => true));

    /// <summary>The drugs and devices sections: the things an order acts on.</summary>
    private static readonly Lazy<WordSet> Things = new(
        () => new WordSet(ReadSections(heading => heading.StartsWith("# Drugs", StringComparison.Ordinal) || heading.StartsWith("# Devices", StringComparison.Ordinal))),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static List<string> ReadSections(Func<string, bool> wanted)
    {
        var words = new List<string>(1_200);
        var reading = false;
        using var reader = new StreamReader(NameData.Open("clinical-words.txt"));
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                // Each heading opens a section that runs to the next.
                reading = wanted(line);
                continue;
            }

            if (reading)
            {
                words.AddRange(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return words;
    }
}
