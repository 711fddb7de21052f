using System.Text.RegularExpressions;
using DiffPlex;

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
/// sees another. DiffPlex finds the shortest edit (Myers' algorithm, so a long text costs little more than a short
/// one); Rounds only decides what a unit is (<see cref="Tokens"/>).
/// </summary>
public static partial class TextDiff
{
    public static IReadOnlyList<DiffPart> Words(string before, string after)
    {
        var result = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, Units.Instance);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var parts = new List<DiffPart>();
        int x = 0, y = 0;
        foreach (var block in result.DiffBlocks)
        {
            while (x < block.DeleteStartA)
            {
                parts.Add(new DiffPart(DiffKind.Same, a[x++]));
                y++;
            }

            for (var i = 0; i < block.DeleteCountA; i++)
            {
                parts.Add(new DiffPart(DiffKind.Removed, a[x++]));
            }

            for (var i = 0; i < block.InsertCountB; i++)
            {
                parts.Add(new DiffPart(DiffKind.Added, b[y++]));
            }
        }

        while (x < a.Count)
        {
            parts.Add(new DiffPart(DiffKind.Same, a[x++]));
        }

        return Merge(parts);
    }

    private sealed class Units : IChunker
    {
        public static readonly Units Instance = new();

        public IReadOnlyList<string> Chunk(string text) => Tokens().Matches(text).Select(m => m.Value).ToArray();
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
