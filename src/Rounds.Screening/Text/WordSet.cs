namespace Rounds.Screening.Text;

/// <summary>A case-insensitive set of words looked up by span, so screening allocates no string per token.</summary>
internal sealed class WordSet
{
    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordSet(IEnumerable<string> words)
    {
        _words = new HashSet<string>(words, StringComparer.OrdinalIgnoreCase);
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static WordSet Of(params string[] words) => new(words);

    public int Count => _words.Count;

    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    public WordSet With(IEnumerable<string> more) => new(_words.Concat(more));
}

/// <summary>A case-insensitive map from word to a count, looked up by span.</summary>
internal sealed class WordCounts
{
    private readonly Dictionary<string, int> _counts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordCounts(Dictionary<string, int> counts)
    {
        _counts = counts;
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _counts.Count;

    public int Get(ReadOnlySpan<char> word) => _lookup.TryGetValue(word, out var count) ? count : 0;
}
