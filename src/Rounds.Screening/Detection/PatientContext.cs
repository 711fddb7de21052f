using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Scores how much a post is about one patient's care, from words such as "admitted", "Mr." or "bay 5". Names,
/// towns and dates are only PHI in the social profile when this score (or a cue right next to them) says so.
/// </summary>
internal static class PatientContext
{
    public const int Threshold = 2;

    public static void Score(ScreeningContext ctx)
    {
        var text = ctx.Text;
        var score = 0;
        var clinical = 0;
        var consent = false;
        for (var i = 0; i < text.Count; i++)
        {
            if (!text[i].IsWordLike)
            {
                continue;
            }

            if (text.IsIn(i, Lexicon.Honorifics) && i + 1 < text.Count && (text.IsSymbol(i + 1, '.') || text[i + 1].Has(TokenFlags.Capitalized)))
            {
                score += 2;
                continue;
            }

            if (!consent && Lexicon.ConsentPhrases.Match(text, i).Length > 0 && !NegatedBefore(text, i))
            {
                consent = true;
            }

            var (length, weight) = Lexicon.PatientCues.Match(text, i);
            if (length == 0)
            {
                continue;
            }

            if (IsGenericPatient(text, i, length))
            {
                continue;
            }

            score += weight;
            if (!text.Is(i, "patient") && !text.Is(i, "pt"))
            {
                clinical += weight;
            }

            i += length - 1;
        }

        ctx.PatientScore = score;
        ctx.ClinicalScore = clinical;
        ctx.Consent = consent;
    }

    /// <summary>"new patients", "patient experience", "every patient": the word names no one in particular.</summary>
    public static bool IsGenericPatient(TokenizedText text, int index, int length)
    {
        if (!text.Is(index, "patient") && !text.Is(index, "pt") && !text.Is(index, "room") && !text.Is(index, "bed")
            && !text.Is(index, "bay") && !text.Is(index, "chair"))
        {
            return false;
        }

        if (text.Is(index, "room") || text.Is(index, "bed") || text.Is(index, "bay") || text.Is(index, "chair"))
        {
            // Only a numbered room or bed points at someone.
            return !(index + 1 < text.Count && text[index + 1].Kind is TokenKind.Number or TokenKind.Alnum);
        }

        var next = index + length;
        if (next < text.Count && !text[index].Has(TokenFlags.Possessive) && text.IsIn(next, Lexicon.GenericPatientFollowers))
        {
            return true;
        }

        return index > 0 && text.IsIn(index - 1, Lexicon.GenericDeterminers);
    }

    private static bool NegatedBefore(TokenizedText text, int i)
    {
        for (var k = Math.Max(0, i - 3); k < i; k++)
        {
            if (text.IsIn(k, Lexicon.Negations))
            {
                return true;
            }
        }

        return false;
    }
}
