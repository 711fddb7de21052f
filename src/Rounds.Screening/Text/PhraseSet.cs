namespace Rounds.Screening.Text;

/// <summary>
/// Multi-word phrases keyed by their first token, matched token by token (case-insensitive). A lookup costs one
/// hash probe plus the few phrases sharing that first word, so matching stays linear in the text.
/// </summary>
internal sealed class PhraseSet
{
    private readonly Dictionary<string, List<(string[] Words, int Weight)>> _byFirst;
    private readonly Dictionary<string, List<(string[] Words, int Weight)>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public PhraseSet(IEnumerable<(string Phrase, int Weight)> phrases)
    {
        _byFirst = new Dictionary<string, List<(string[], int)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (phrase, weight) in phrases)
        {
            var words = Split(phrase);
            if (words.Length == 0)
            {
                continue;
            }

            if (!_byFirst.TryGetValue(words[0], out var list))
            {
                list = [];
                _byFirst[words[0]] = list;
            }

            list.Add((words, weight));
        }

        foreach (var list in _byFirst.Values)
        {
            // Longest first, so "no side effects" wins over "no".
            list.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
        }

        _lookup = _byFirst.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Splits a phrase the way the tokenizer would: words, numbers and single symbols.</summary>
    public static string[] Split(string phrase)
    {
        var tokens = new TokenizedText(phrase);
        var words = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            words[i] = tokens.Span(i).ToString();
        }

        return words;
    }

    /// <summary>Length in tokens and weight of the longest phrase starting at <paramref name="index"/>, or (0, 0).</summary>
    public (int Length, int Weight) Match(TokenizedText text, int index)
    {
        if (!_lookup.TryGetValue(text.Span(index), out var candidates))
        {
            return (0, 0);
        }

        foreach (var (words, weight) in candidates)
        {
            if (index + words.Length > text.Count)
            {
                continue;
            }

            var ok = true;
            for (var k = 1; k < words.Length; k++)
            {
                if (!text.Span(index + k).Equals(words[k], StringComparison.OrdinalIgnoreCase))
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                return (words.Length, weight);
            }
        }

        return (0, 0);
    }
}
