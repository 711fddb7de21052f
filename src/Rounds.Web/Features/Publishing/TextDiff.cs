using System.Text.RegularExpressions;

namespace Rounds.Web.Features.Publishing;

public enum DiffKind
{
    Same,
    Added,
    Removed,
}

public sealed record DiffPart(DiffKind Kind, string Text);

/// <summary>
/// Word-level differences between two versions of a post, for the reviewer who approved one version and now
/// sees another. Posts are short, so the quadratic longest-common-subsequence table is cheap; past a size
/// where it would not be, the whole text is shown as replaced.
/// </summary>
public static partial class TextDiff
{
    private const int MaxCells = 4_000_000;

    public static IReadOnlyList<DiffPart> Words(string before, string after)
    {
        var a = Tokens().Matches(before).Select(m => m.Value).ToArray();
        var b = Tokens().Matches(after).Select(m => m.Value).ToArray();
        if ((long)a.Length * b.Length > MaxCells)
        {
            return Merge([new DiffPart(DiffKind.Removed, before), new DiffPart(DiffKind.Added, after)]);
        }

        // lengths[i, j] is the longest common run of a[i..] and b[j..].
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var parts = new List<DiffPart>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                parts.Add(new DiffPart(DiffKind.Same, a[x++]));
                y++;
            }
            else if (lengths[x + 1, y] >= lengths[x, y + 1])
            {
                parts.Add(new DiffPart(DiffKind.Removed, a[x++]));
            }
            else
            {
                parts.Add(new DiffPart(DiffKind.Added, b[y++]));
            }
        }

        parts.AddRange(a[x..].Select(t => new DiffPart(DiffKind.Removed, t)));
        parts.AddRange(b[y..].Select(t => new DiffPart(DiffKind.Added, t)));
        return Merge(parts);
    }

    private static List<DiffPart> Merge(IEnumerable<DiffPart> parts)
    {
        var merged = new List<DiffPart>();
        foreach (var part in parts.Where(p => p.Text.Length > 0))
        {
            if (merged.Count > 0 && merged[^1].Kind == part.Kind)
            {
                merged[^1] = merged[^1] with { Text = merged[^1].Text + part.Text };
            }
            else
            {
                merged.Add(part);
            }
        }

        return merged;
    }

    /// <summary>
    /// A word with the spaces after it, or a run of punctuation: the units a reader notices changing. A placeholder
    /// for a removed detail is one unit, so its words never pair up with the same words in the other text.
    /// </summary>
    [GeneratedRegex(@"\[[a-zA-Z ]+ removed\]\s*|\w+\s*|[^\w\s]+\s*|\s+")]
    private static partial Regex Tokens();
}
