using System.Globalization;

namespace Rounds.Screening.CommandLine;

/// <summary>Precision, recall and F1 from counts; an empty denominator scores 1 so that absent types do not drag.</summary>
public readonly record struct Score(int Relevant, int Found, int Predicted, int Correct)
{
    public double Recall => Relevant == 0 ? 1 : (double)Found / Relevant;

    public double Precision => Predicted == 0 ? 1 : (double)Correct / Predicted;

    public double F1 => Recall + Precision == 0 ? 0 : 2 * Recall * Precision / (Recall + Precision);
}

public sealed class EvalReport
{
    public Dictionary<string, Score> PhiByType { get; } = new(StringComparer.Ordinal);

    public Score PhiSpans { get; set; }

    public int PhiPosts { get; set; }

    public int PhiPostsPassed { get; set; }

    public Dictionary<string, Score> PolicyByLabel { get; } = new(StringComparer.Ordinal);

    public Score PolicyMicro { get; set; }

    public bool HasPolicy { get; set; }

    public int VerdictTotal { get; set; }

    public int VerdictCorrect { get; set; }

    public double VerdictAccuracy => VerdictTotal == 0 ? 1 : (double)VerdictCorrect / VerdictTotal;

    public void Print(TextWriter output, string file, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"eval {file} (profile {profile.ToString().ToLowerInvariant()})");
        output.WriteLine();
        output.WriteLine("PHI by type (overlap; a prediction counts only for its own type)");
        output.WriteLine(string.Format(c, "  {0,-14} {1,6} {2,6} {3,9} {4,7} {5,6}", "type", "gold", "pred", "precision", "recall", "f1"));
        foreach (var (type, s) in PhiByType.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Format(c, "  {0,-14} {1,6} {2,6} {3,9:0.000} {4,7:0.000} {5,6:0.000}", type, s.Relevant, s.Predicted, s.Precision, s.Recall, s.F1));
        }

        output.WriteLine();
        output.WriteLine(string.Format(c, "PHI spans (overlap, any type): recall {0:0.000} ({1}/{2})  precision {3:0.000} ({4}/{5})",
            PhiSpans.Recall, PhiSpans.Found, PhiSpans.Relevant, PhiSpans.Precision, PhiSpans.Correct, PhiSpans.Predicted));
        output.WriteLine($"PHI posts that got pass: {PhiPostsPassed} of {PhiPosts}");
        if (HasPolicy)
        {
            output.WriteLine();
            output.WriteLine("Policy labels");
            output.WriteLine(string.Format(c, "  {0,-20} {1,6} {2,6} {3,9} {4,7} {5,6}", "label", "gold", "pred", "precision", "recall", "f1"));
            foreach (var (label, s) in PolicyByLabel.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                output.WriteLine(string.Format(c, "  {0,-20} {1,6} {2,6} {3,9:0.000} {4,7:0.000} {5,6:0.000}", label, s.Relevant, s.Predicted, s.Precision, s.Recall, s.F1));
            }

            output.WriteLine(string.Format(c, "Policy micro-F1: {0:0.000} (precision {1:0.000}, recall {2:0.000})", PolicyMicro.F1, PolicyMicro.Precision, PolicyMicro.Recall));
        }

        if (VerdictTotal > 0)
        {
            output.WriteLine(string.Format(c, "Verdict accuracy: {0:0.000} ({1}/{2})", VerdictAccuracy, VerdictCorrect, VerdictTotal));
        }
    }
}

/// <summary>Scores a screener against labelled posts. Spans match by overlap, as the data README prescribes.</summary>
public static class Evaluator
{
    public static EvalReport Run(Screener screener, IReadOnlyList<LabelledPost> posts, Profile profile, TextWriter? details = null)
    {
        ArgumentNullException.ThrowIfNull(screener);
        ArgumentNullException.ThrowIfNull(posts);
        var report = new EvalReport();
        var types = new Dictionary<string, (int Relevant, int Found, int Predicted, int Correct)>(StringComparer.Ordinal);
        var labels = new Dictionary<string, (int Relevant, int Found, int Predicted, int Correct)>(StringComparer.Ordinal);
        int goldSpans = 0, foundSpans = 0, predicted = 0, correct = 0;
        foreach (var labelled in posts)
        {
            var result = screener.Screen(labelled.Post, profile);
            var text = labelled.Post.Text;
            var spans = result.Findings.Where(f => f.Category == Category.Phi && f.Start is not null).ToList();
            var notes = new List<string>();
            foreach (var gold in labelled.Phi)
            {
                goldSpans++;
                var any = spans.Any(f => Overlaps(f, gold));
                var same = spans.Any(f => f.Type == gold.Type && Overlaps(f, gold));
                foundSpans += any ? 1 : 0;
                Bump(types, gold.Type, relevant: 1, found: same ? 1 : 0);
                if (!same)
                {
                    notes.Add($"  miss {gold.Type} '{Slice(text, gold.Start, gold.End)}'{(any ? " (found as another type)" : "")}");
                }
                else if (!spans.Any(f => f.Type == gold.Type && f.Start == gold.Start && f.End == gold.End))
                {
                    // Overlap counts it found; the span it was found as is still worth reading (boundary errors).
                    var found = spans.First(f => f.Type == gold.Type && Overlaps(f, gold));
                    notes.Add($"  boundary {gold.Type} '{Slice(text, gold.Start, gold.End)}' as '{Slice(text, found.Start!.Value, found.End!.Value)}'");
                }
            }

            foreach (var finding in spans)
            {
                var hitsGold = labelled.Phi.Any(g => Overlaps(finding, g));
                if (!hitsGold && labelled.Unscored.Any(g => Overlaps(finding, g)))
                {
                    continue;
                }

                predicted++;
                correct += hitsGold ? 1 : 0;
                var sameType = labelled.Phi.Any(g => g.Type == finding.Type && Overlaps(finding, g));
                Bump(types, finding.Type, predicted: 1, correct: sameType ? 1 : 0);
                if (!hitsGold)
                {
                    notes.Add($"  false {finding.Type} '{Slice(text, finding.Start!.Value, finding.End!.Value)}'");
                }
            }

            if (labelled.Phi.Count > 0)
            {
                report.PhiPosts++;
                report.PhiPostsPassed += result.Verdict == Verdict.Pass ? 1 : 0;
            }

            if (labelled.Policy is { } gold2)
            {
                report.HasPolicy = true;
                var got = result.Findings.Where(f => f.Category == Category.Policy).Select(f => f.Type).ToHashSet(StringComparer.Ordinal);
                foreach (var label in gold2.Union(got))
                {
                    var inGold = gold2.Contains(label);
                    var inGot = got.Contains(label);
                    Bump(labels, label, relevant: inGold ? 1 : 0, found: inGold && inGot ? 1 : 0, predicted: inGot ? 1 : 0, correct: inGold && inGot ? 1 : 0);
                    if (inGold != inGot)
                    {
                        notes.Add($"  policy {(inGold ? "missed" : "extra")} {label}");
                    }
                }
            }

            if (labelled.Verdict is { } verdict)
            {
                report.VerdictTotal++;
                report.VerdictCorrect += verdict == result.Verdict ? 1 : 0;
                if (verdict != result.Verdict)
                {
                    notes.Add($"  verdict {PostJson.Name(result.Verdict)}, expected {PostJson.Name(verdict)}");
                }
            }

            if (details is not null && notes.Count > 0)
            {
                details.WriteLine($"{labelled.Id}:");
                foreach (var note in notes)
                {
                    details.WriteLine(note);
                }
            }
        }

        foreach (var (type, c) in types)
        {
            report.PhiByType[type] = new Score(c.Relevant, c.Found, c.Predicted, c.Correct);
        }

        var micro = (Relevant: 0, Found: 0, Predicted: 0, Correct: 0);
        foreach (var (label, c) in labels)
        {
            report.PolicyByLabel[label] = new Score(c.Relevant, c.Found, c.Predicted, c.Correct);
            micro = (micro.Relevant + c.Relevant, micro.Found + c.Found, micro.Predicted + c.Predicted, micro.Correct + c.Correct);
        }

        report.PolicyMicro = new Score(micro.Relevant, micro.Found, micro.Predicted, micro.Correct);
        report.PhiSpans = new Score(goldSpans, foundSpans, predicted, correct);
        if (details is not null)
        {
            details.WriteLine();
        }

        return report;
    }

    private static bool Overlaps(Finding f, GoldSpan g) => f.Start < g.End && g.Start < f.End;

    private static string Slice(string text, int start, int end) =>
        start >= 0 && end <= text.Length && start < end ? text[start..end].Replace("\n", "\\n", StringComparison.Ordinal) : "?";

    private static void Bump(
        Dictionary<string, (int Relevant, int Found, int Predicted, int Correct)> counts, string key,
        int relevant = 0, int found = 0, int predicted = 0, int correct = 0)
    {
        var c = counts.GetValueOrDefault(key);
        counts[key] = (c.Relevant + relevant, c.Found + found, c.Predicted + predicted, c.Correct + correct);
    }
}
