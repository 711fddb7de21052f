using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Decides which candidates are PHI. The strict profile keeps them all (minus the organisation's allow-list); the
/// social profile keeps only what is tied to a patient, since a post may name its own clinicians, give its own
/// phone number and announce public events.
/// </summary>
internal static class ProfileFilter
{
    private static readonly WordSet OrgCues = WordSet.Of("our", "us", "we", "call", "visit", "register", "registration", "contact", "info", "information", "appointments", "appointment", "questions", "email", "learn", "more", "details", "schedule", "book", "apply", "donate");

    public static List<PhiCandidate> Apply(ScreeningContext ctx)
    {
        var kept = new List<PhiCandidate>(ctx.Candidates.Count);
        foreach (var candidate in ctx.Candidates)
        {
            if (!IsAllowListed(ctx, candidate) && (ctx.Strict || candidate.Tie == Tie.Always))
            {
                kept.Add(candidate);
            }
        }

        if (ctx.Strict)
        {
            return kept;
        }

        // Hard identifiers and honorific names make the post about a patient even where the words alone did not.
        var score = ctx.PatientScore + 2 * kept.Count;
        foreach (var candidate in ctx.Candidates)
        {
            if (candidate.Tie == Tie.Patient && candidate.LocalCue)
            {
                score += 2;
            }
        }

        var patient = score >= PatientContext.Threshold;
        var subject = kept.Count > 0 || ctx.Candidates.Exists(c => c.Tie == Tie.Patient && c.LocalCue && c.Type == "NAME");
        foreach (var candidate in ctx.Candidates)
        {
            if (IsAllowListed(ctx, candidate))
            {
                continue;
            }

            var keep = candidate.Tie switch
            {
                Tie.Always => false,
                Tie.Patient => candidate.LocalCue || patient,
                Tie.Contact => candidate.LocalCue || (patient && !OrgCueNear(ctx.Text, candidate) && (ctx.Post.Kind == AccountKind.Personal || subject)),
                Tie.Date => false,
            };
            if (keep)
            {
                kept.Add(candidate);
            }
        }

        subject = kept.Count > 0;
        foreach (var candidate in ctx.Candidates)
        {
            // A patient word beside the date is a cue of its own, which the labeller may not overrule.
            if (candidate.Tie == Tie.Date && !IsAllowListed(ctx, candidate) && IsPatientDate(ctx.Text, candidate, subject && patient, out var cue))
            {
                kept.Add(candidate with { LocalCue = cue });
            }
        }

        return kept;
    }

    public static bool IsAllowListed(ScreeningContext ctx, PhiCandidate candidate)
    {
        var span = ctx.Text.Span(candidate.First, candidate.Last);
        var rules = ctx.Rules;
        var inBio = !ctx.Strict && ctx.Post.Bio is { } bio && span.Length >= 6 && bio.AsSpan().Contains(span, StringComparison.OrdinalIgnoreCase);
        return candidate.Type switch
        {
            "PHONE" or "FAX" => rules.IsAllowedPhone(span) || inBio,
            "EMAIL" => rules.IsAllowedEmail(span) || inBio,
            "URL" => rules.IsAllowedUrl(span) || inBio,
            "LOCATION" => rules.IsAllowedAddress(span) || inBio,
            _ => false,
        };
    }

    private static bool OrgCueNear(TokenizedText text, PhiCandidate candidate)
    {
        for (var k = Math.Max(0, candidate.First - 6); k < candidate.First; k++)
        {
            if (text.IsIn(k, OrgCues))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A date is the patient's when patient words stand next to it, or the post is about a patient and no event word is near.</summary>
    private static bool IsPatientDate(TokenizedText text, PhiCandidate candidate, bool patientSubject, out bool cue)
    {
        cue = false;
        var from = Math.Max(0, candidate.First - 8);
        var to = Math.Min(text.Count - 1, candidate.Last + 4);
        var eventCue = false;
        for (var k = from; k <= to; k++)
        {
            if (k >= candidate.First && k <= candidate.Last)
            {
                continue;
            }

            if (text.IsIn(k, Lexicon.PatientDateCues))
            {
                cue = true;
                return true;
            }

            eventCue |= text.IsIn(k, Lexicon.EventCues) || text.IsIn(k, Lexicon.Weekdays);
        }

        return patientSubject && !eventCue;
    }
}
