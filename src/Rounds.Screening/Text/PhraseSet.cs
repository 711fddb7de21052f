namespace Rounds.Screening.Text;

/// <summary>
/// Multi-word phrases keyed by their first token, matched token by token (case-insensitive). A lookup costs one
/// hash probe plus the few phrases sharing that first word, so matching stays linear in the text.
/// </summary>
internal sealed class PhraseSet
{
    private readonly SpanTable<List<(string[] Words, int Weight, int Tag)>> _byFirst;

    public PhraseSet(IEnumerable<(string Phrase, int Weight)> phrases)
        : this(phrases.Select(p => (p.Phrase, p.Weight, 0)))
    {
    }

    /// <summary>The phrases as given, so sets can be merged.</summary>
    public List<(string Phrase, int Weight)> Entries { get; } = [];

    /// <summary>Phrases from several lists in one set, each tagged with its list, so one probe per token serves all.</summary>
    public PhraseSet(IEnumerable<(string Phrase, int Weight, int Tag)> phrases)
    {
        var byFirst = new Dictionary<string, List<(string[], int, int)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (phrase, weight, tag) in phrases)
        {
            Entries.Add((phrase, weight));
            var words = Split(phrase);
            if (words.Length == 0)
            {
                continue;
            }

            if (!byFirst.TryGetValue(words[0], out var list))
            {
                list = [];
                byFirst[words[0]] = list;
            }

            list.Add((words, weight, tag));
        }

        _byFirst = new SpanTable<List<(string[], int, int)>>(byFirst.Count);
        foreach (var (first, list) in byFirst)
        {
            // Longest first, so "no side effects" wins over "no".
            list.Sort((a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
            _byFirst.TryAdd(first, list);
        }

        _prefilter = new Prefilter(byFirst.Keys);
    }

    private readonly Prefilter _prefilter;

    /// <summary>Splits a phrase the way the tokenizer would: words, numbers and single symbols.</summary>
    public static string[] Split(string phrase)
    {
        using var tokens = new TokenizedText(phrase);
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
        var first = text.Span(index);
        if (!_prefilter.MayContain(first) || !_byFirst.TryGetValue(first, text.Hash(index), out var candidates))
        {
            return (0, 0);
        }

        foreach (var (words, weight, _) in candidates)
        {
            if (Matches(text, index, words))
            {
                return (words.Length, weight);
            }
        }

        return (0, 0);
    }

    /// <summary>The longest match starting at <paramref name="index"/> for each tag; lengths stay 0 where none matches.</summary>
    public void MatchByTag(TokenizedText text, int index, Span<int> lengths, Span<int> weights)
    {
        lengths.Clear();
        weights.Clear();
        var first = text.Span(index);
        if (!_prefilter.MayContain(first) || !_byFirst.TryGetValue(first, text.Hash(index), out var candidates))
        {
            return;
        }

        foreach (var (words, weight, tag) in candidates)
        {
            if (lengths[tag] == 0 && Matches(text, index, words))
            {
                lengths[tag] = words.Length;
                weights[tag] = weight;
            }
        }
    }

    private static bool Matches(TokenizedText text, int index, string[] words)
    {
        if (index + words.Length > text.Count)
        {
            return false;
        }

        for (var k = 1; k < words.Length; k++)
        {
            if (!text.Span(index + k).Equals(words[k], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
