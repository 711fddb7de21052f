using System.Globalization;
using Rounds.Screening.Detection;
using Rounds.Screening.Policy;
using Rounds.Screening.Rules;

namespace Rounds.Screening;

/// <summary>Turns detector output into findings with plain-language messages, then derives the verdict.</summary>
internal static class Findings
{
    private static readonly Dictionary<string, string> RuleByType = new(StringComparer.Ordinal)
    {
        ["NAME"] = RuleCatalog.Name, ["DATE"] = RuleCatalog.Date, ["AGE"] = RuleCatalog.Age, ["PHONE"] = RuleCatalog.Phone,
        ["FAX"] = RuleCatalog.Fax, ["EMAIL"] = RuleCatalog.Email, ["SSN"] = RuleCatalog.Ssn, ["MRN"] = RuleCatalog.Mrn,
        ["HEALTH_PLAN"] = RuleCatalog.HealthPlan, ["ACCOUNT"] = RuleCatalog.Account, ["LICENSE"] = RuleCatalog.License,
        ["VEHICLE"] = RuleCatalog.Vehicle, ["DEVICE"] = RuleCatalog.Device, ["URL"] = RuleCatalog.Url, ["IP"] = RuleCatalog.Ip,
        ["LOCATION"] = RuleCatalog.Location, ["ID"] = RuleCatalog.Id, ["PHOTO"] = RuleCatalog.Photo,
    };

    public static ScreeningResult Compose(ScreeningContext ctx, List<PhiCandidate> phi, List<PolicyHit> policy)
    {
        var rules = ctx.Rules;
        var findings = new List<Finding>(phi.Count + policy.Count);
        var text = ctx.Text;
        var anyPhi = false;
        foreach (var candidate in phi)
        {
            var rule = RuleByType[candidate.Type];
            if (!rules.Enabled(rule))
            {
                continue;
            }

            anyPhi = true;
            var start = text[candidate.First].Start;
            var end = text[candidate.Last].End;
            var surface = text.Text.AsSpan(start, end - start);
            var severity = rules.SeverityOf(rule);
            var message = PhiMessage(candidate, surface, ctx.Strict);
            if (candidate.Reason is not null)
            {
                message += " " + candidate.Reason;
            }

            if (candidate.Confidence < 0.5f)
            {
                // Recall first: an uncertain span is shown to a person rather than dropped or allowed to block alone.
                severity = severity > Severity.Medium ? Severity.Medium : severity;
                message += string.Create(CultureInfo.InvariantCulture, $" The screener is not sure (confidence {candidate.Confidence:0.00}); please check it.");
            }

            if (ctx.Consent && severity > Severity.Medium)
            {
                // A stated consent still has to be checked by a person, so the post goes to review rather than out.
                severity = Severity.Medium;
                message += " The post says the patient or family consented; verify the consent before publishing.";
            }

            findings.Add(new Finding(Category.Phi, candidate.Type, start, end, severity, rule, message, PhiSuggestion(candidate.Type)));
        }

        foreach (var hit in policy)
        {
            if (!rules.Enabled(hit.Rule))
            {
                continue;
            }

            var info = RuleCatalog.Get(hit.Rule);
            int? start = hit.HasSpan ? text[hit.First].Start : null;
            int? end = hit.HasSpan ? text[hit.Last].End : null;
            var (message, suggestion) = PolicyMessage(hit, ctx.Consent, anyPhi);
            findings.Add(new Finding(Category.Policy, info.Type, start, end, rules.SeverityOf(hit.Rule), hit.Rule, message, suggestion));
        }

        findings.Sort(Compare);
        var verdict = Verdict.Pass;
        foreach (var finding in findings)
        {
            var v = finding.Severity switch
            {
                Severity.High => Verdict.Block,
                Severity.Medium => Verdict.Review,
                Severity.Low => Verdict.Pass,
            };
            if (v > verdict)
            {
                verdict = v;
            }
        }

        return new ScreeningResult(verdict, findings);
    }

    private static int Compare(Finding a, Finding b)
    {
        if (a.Start is null || b.Start is null)
        {
            return (a.Start is null).CompareTo(b.Start is null) is var byNull and not 0 ? byNull : Order(a).CompareTo(Order(b));
        }

        var byStart = a.Start.Value.CompareTo(b.Start.Value);
        return byStart != 0 ? byStart : a.End!.Value.CompareTo(b.End!.Value);
    }

    private static int Order(Finding finding)
    {
        var all = RuleCatalog.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].Id == finding.Rule)
            {
                return i;
            }
        }

        return all.Count;
    }

    private static string PhiMessage(PhiCandidate candidate, ReadOnlySpan<char> surface, bool strict)
    {
        var owner = strict ? "" : " of a patient or relative";
        return candidate.Type switch
        {
            "NAME" => strict
                ? $"'{surface}' looks like a person's name; de-identified text keeps no names."
                : $"'{surface}' looks like the name of a patient or relative; a name identifies the patient.",
            "DATE" => strict
                ? $"'{surface}' is a date more specific than a year."
                : $"'{surface}' is a date tied to a patient (birth, admission, discharge, visit or procedure).",
            "AGE" => $"'{surface}' is an age over 89, which is rare enough to identify a patient.",
            "LOCATION" => $"'{surface}' is {candidate.Why}{owner}; places smaller than a state identify people.",
            "PHOTO" => $"The post says an image of a patient is attached ('{surface}').",
            "URL" => $"'{surface}' is {candidate.Why}{owner}; it leads straight to the person.",
            _ => $"'{surface}' is {candidate.Why}{owner}; it identifies the person directly.",
        };
    }

    private static string PhiSuggestion(string type) => type switch
    {
        "NAME" => "Remove the name, or post only with the patient's documented consent.",
        "DATE" => "Leave out the date or keep only the year.",
        "AGE" => "Say 'over 90' or leave the age out.",
        "LOCATION" => "Leave out the address or town; name the region or state instead.",
        "PHOTO" => "Do not attach images of patients, charts, wristbands or screens without signed consent.",
        "PHONE" or "FAX" or "EMAIL" => "Remove it and contact the patient or family privately.",
        "URL" => "Remove the link; let the family share it themselves.",
        _ => "Remove the number; it must never appear in a post.",
    };

    private static (string Message, string Suggestion) PolicyMessage(PolicyHit hit, bool consent, bool anyPhi)
    {
        var quoted = hit.Trigger is null ? "" : $" ('{hit.Trigger}')";
        return hit.Rule switch
        {
            RuleCatalog.Politics => ($"Partisan politics{quoted}: candidates, parties and ballot measures draw the organisation into the debate.",
                "Remove the political content; official accounts stay neutral."),
            RuleCatalog.Religion => ($"Religious commentary{quoted} on a health-care account can alienate patients of other faiths.",
                "Keep religious views off organisational and professional accounts."),
            RuleCatalog.Vaccine => ($"Vaccine advocacy from a personal account{quoted} tends to draw public fights that reach the employer.",
                "Share the organisation's official vaccine post instead, or add a disclaimer and be ready for replies."),
            RuleCatalog.Disclaimer => ("The bio names an employer but has no 'views are my own' disclaimer.",
                "Add 'Views are my own' (or similar) to the bio."),
            RuleCatalog.MedicalClaim => ($"An absolute outcome claim{quoted}; guarantees and cures are not supported by evidence.",
                "Use hedged, sourced language ('most patients', 'in studies') and drop guarantees."),
            RuleCatalog.Promotion => ($"A sales push{quoted} with no health information for patients.",
                "Lead with what patients learn; keep offers to advertising channels."),
            RuleCatalog.Profanity => ($"Profanity{quoted} on a professional account.", "Remove the profanity."),
            RuleCatalog.Harassment => ($"Profanity or insults aimed at someone{quoted}: harassing patients, colleagues or the public breaches professionalism policy.",
                "Do not post this."),
            RuleCatalog.PatientStory => (consent
                    ? "A patient story; the post says the patient or family consented, which must be verified."
                    : anyPhi
                        ? "A patient story with identifiers and no sign of consent."
                        : "The post describes a specific patient encounter that could identify the patient in context.",
                "Get documented consent, or remove the details that tie the post to one patient."),
            _ => ("Policy risk.", "Review the post."),
        };
    }
}
