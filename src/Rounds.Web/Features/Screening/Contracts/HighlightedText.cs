using Rounds.Screening;

namespace Rounds.Web.Features.Screening.Contracts;

/// <summary>A stretch of the post text, with the numbers of the findings that cover it (none for plain text).</summary>
public sealed record TextSegment(string Text, IReadOnlyList<int> FindingNumbers, Category? Category);

public static class HighlightedText
{
    /// <summary>
    /// Cuts the text at every finding boundary so overlapping findings still show, each segment carrying the
    /// findings (numbered from 1, in list order) that cover it. PHI wins the colour where categories overlap.
    /// </summary>
    public static IReadOnlyList<TextSegment> Split(string text, IReadOnlyList<Finding> findings)
    {
        var spans = findings
            .Select((f, i) => (Finding: f, Number: i + 1))
            .Where(x => x.Finding.Start is { } s && x.Finding.End is { } e && s >= 0 && e <= text.Length && s < e)
            .ToList();
        var cuts = new SortedSet<int> { 0, text.Length };
        foreach (var (finding, _) in spans)
        {
            cuts.Add(finding.Start!.Value);
            cuts.Add(finding.End!.Value);
        }

        var segments = new List<TextSegment>();
        var points = cuts.ToList();
        for (var i = 0; i < points.Count - 1; i++)
        {
            var (from, to) = (points[i], points[i + 1]);
            var covering = spans.Where(x => x.Finding.Start <= from && x.Finding.End >= to).ToList();
            Category? category = covering.Count == 0 ? null : covering.Any(x => x.Finding.Category == Category.Phi) ? Category.Phi : Category.Policy;
            segments.Add(new TextSegment(text[from..to], covering.Select(x => x.Number).ToList(), category));
        }

        return segments;
    }
}
