using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Text announcing an attached image of a patient's face, chart, wristband or screen (<c>before &amp; after photos
/// of his face below</c>). A photo that shows no patient, or that nobody attached, is not a finding.
/// </summary>
internal static class PhotoDetector
{
    public static void Detect(ScreeningContext ctx)
    {
        var text = ctx.Text;
        for (var i = 0; i < text.Count; i++)
        {
            if (!text.IsIn(i, Lexicon.ImageNouns) || ctx.IsClaimed(i))
            {
                continue;
            }

            var subject = Subject(text, i);
            var tie = Tie.Always;
            if (subject < 0)
            {
                // "permission to share these photos", "gave their blessing to share this and her video": the consent
                // says whose image it is. Without one, "her video below" may be a clinician's ("Dr. Lee's video"),
                // so it counts only in a post about a patient.
                if (i == 0 || !(text.IsIn(i - 1, Lexicon.ThirdPersonPossessives) || text.IsIn(i - 1, Demonstratives)))
                {
                    continue;
                }

                subject = i;
                if (!(SharedBefore(text, i - 1) && ConsentBefore(text, i - 1)))
                {
                    if (!text.IsIn(i - 1, Lexicon.ThirdPersonPossessives) || AttachCueAfter(text, i) < 0)
                    {
                        continue;
                    }

                    tie = Tie.Patient;
                }
            }

            var cue = AttachCue(text, i, subject);
            if (cue < 0)
            {
                continue;
            }

            var start = i;
            while (start > 0 && i - start < 4 && !text.IsSentenceEnd(start - 1)
                   && (text.Is(start - 1, "before") || text.Is(start - 1, "after") || text.IsSymbol(start - 1, '&') || text.Is(start - 1, "and")
                       || text.Is(start - 1, "pre") || text.Is(start - 1, "post") || text.IsSymbol(start - 1, '-') || text.Is(start - 1, "op")))
            {
                start--;
            }

            while (start < i && !(text.Is(start, "before") || text.Is(start, "pre") || text.Is(start, "post")))
            {
                start++;
            }

            var end = Math.Max(subject, cue);
            if (text[end].Kind == TokenKind.Symbol)
            {
                end = subject;
            }

            if (i > 0 && start == i && subject == i && (text.IsIn(i - 1, Lexicon.ThirdPersonPossessives) || text.IsIn(i - 1, Demonstratives)))
            {
                start = i - 1;
            }

            if (!ctx.IsClaimed(start, end))
            {
                ctx.Add(new PhiCandidate(start, end, "PHOTO", "an attached photo of a patient", tie) { LocalCue = tie == Tie.Always });
            }

            i = end;
        }
    }

    /// <summary>The patient-identifying thing the image shows, within a few words after the image noun.</summary>
    private static int Subject(TokenizedText text, int i)
    {
        for (var k = i + 1; k < Math.Min(text.Count, i + 7); k++)
        {
            if (text.IsSentenceEnd(k))
            {
                return -1;
            }

            if (!text.IsIn(k, Lexicon.ImageSubjects))
            {
                continue;
            }

            // "of his face", "of the patient's chart", "of her", "of Mr. Lee's wristband": someone's, not "of a bass".
            for (var b = Math.Max(i + 1, k - 3); b <= k; b++)
            {
                if (text.IsIn(b, Lexicon.ThirdPersonPossessives) || text.Is(b, "him") || text.Is(b, "them")
                    || (text[b].Has(TokenFlags.Possessive) && b < k) || text.Is(b, "patient") || text.Is(b, "pt"))
                {
                    return k;
                }
            }

            if (text.Is(k, "wristband") || text.Is(k, "chart") || text.Is(k, "screen") || text.Is(k, "whiteboard") || text.Is(k, "face")
                || text.Is(k, "ehr") || text.Is(k, "emr") || text.Is(k, "census") || text.Is(k, "record") || text.Is(k, "records"))
            {
                return k;
            }
        }

        return -1;
    }

    private static readonly WordSet Demonstratives = WordSet.Of("this", "these", "those");

    private static readonly WordSet ShareVerbs = WordSet.Of("share", "shares", "shared", "sharing", "post", "posting", "posted");

    /// <summary>"permission to share these photos", "blessing to share this and her video": a sharing verb earlier in the sentence.</summary>
    private static bool SharedBefore(TokenizedText text, int index) => EarlierInSentence(text, index, 4, k => text.IsIn(k, ShareVerbs));

    /// <summary>A statement of consent earlier in the sentence: the patient agreed to this image being shared.</summary>
    private static bool ConsentBefore(TokenizedText text, int index) =>
        EarlierInSentence(text, index, 12, k => Lexicon.ConsentPhrases.Match(text, k).Length > 0);

    private static bool EarlierInSentence(TokenizedText text, int index, int window, Func<int, bool> found)
    {
        for (var k = index - 1; k >= Math.Max(0, index - window); k--)
        {
            if (text.IsSentenceEnd(k))
            {
                return false;
            }

            if (found(k))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the image shows may take a few words ("video of her ringing the bell below").</summary>
    private static int AttachCueAfter(TokenizedText text, int subject)
    {
        for (var k = subject + 1; k < Math.Min(text.Count, subject + 7); k++)
        {
            if (Lexicon.AttachCues.Contains(text.Span(k)))
            {
                return k;
            }

            if (text.IsSentenceEnd(k))
            {
                break;
            }
        }

        return -1;
    }

    private static int AttachCue(TokenizedText text, int noun, int subject)
    {
        var after = AttachCueAfter(text, subject);
        if (after >= 0)
        {
            return after;
        }

        for (var k = noun - 1; k >= Math.Max(0, noun - 5); k--)
        {
            if (text.IsSentenceEnd(k))
            {
                break;
            }

            if (Lexicon.AttachCues.Contains(text.Span(k)) || text.Is(k, "attaching") || text.IsIn(k, ShareVerbs))
            {
                return noun;
            }
        }

        return -1;
    }
}
