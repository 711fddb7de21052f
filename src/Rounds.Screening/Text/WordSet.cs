using System.Runtime.CompilerServices;

namespace Rounds.Screening.Text;

/// <summary>A case-insensitive set of words looked up by span, so screening allocates no string per token.</summary>
internal sealed class WordSet
{
    private readonly SpanTable<bool> _table;
    private readonly Prefilter _prefilter = new();

    public WordSet(IEnumerable<string> words)
    {
        var list = words as IReadOnlyCollection<string> ?? [.. words];
        _table = new SpanTable<bool>(list.Count);
        foreach (var word in list)
        {
            Add(word);
        }
    }

    /// <summary>An empty set sized for a list read at start, filled with <see cref="Stage"/> from spans without a string per word.</summary>
    public WordSet(int capacity, int characters) => _table = new SpanTable<bool>(capacity, characters, dense: true);

    /// <summary>Adds a word while the set is being loaded; sets are not changed once screening uses them.</summary>
    public void Add(ReadOnlySpan<char> word)
    {
        if (_table.TryAdd(word, true))
        {
            _prefilter.Add(word);
        }
    }

    /// <summary>Stages a word of a list read at start; the set answers for it after <see cref="Seal"/>.</summary>
    public void Stage(ReadOnlySpan<char> word)
    {
        _table.Stage(word, true);
        _prefilter.Add(word);
    }

    public void Seal() => _table.Seal();

    public static WordSet Of(params string[] words) => new(words);

    public int Count => _table.Count;

    /// <summary>This set's bit in <see cref="Vocabulary"/> masks, or -1 when the set is not part of one.</summary>
    public int Bit { get; private set; } = -1;

    /// <summary>The words, for building a <see cref="Vocabulary"/>.</summary>
    public IEnumerable<string> Words => _table.Keys();

    internal void AssignBit(int bit) => Bit = bit;

    public bool Contains(ReadOnlySpan<char> word) => _prefilter.MayContain(word) && _table.TryGetValue(word, SpanTable<bool>.Hash(word), out _);

    /// <summary>Looks up with a hash computed earlier (the tokenizer's), skipping the hashing.</summary>
    public bool Contains(ReadOnlySpan<char> word, int hash) => _prefilter.MayContain(word) && _table.TryGetValue(word, hash, out _);
}

/// <summary>
/// Up to 64 fixed word sets folded into one table: one probe per token gives the token's membership in all of them
/// as a bit mask, so the many "is this word in that list" checks around each token become bit tests.
/// </summary>
internal sealed class Vocabulary
{
    private readonly SpanTable<ulong> _masks;
    private readonly Prefilter _prefilter;

    public Vocabulary(IReadOnlyList<WordSet> sets)
    {
        if (sets.Count > 64)
        {
            throw new ArgumentException("A vocabulary holds at most 64 sets.", nameof(sets));
        }

        var masks = new Dictionary<string, ulong>(StringComparer.OrdinalIgnoreCase);
        for (var bit = 0; bit < sets.Count; bit++)
        {
            sets[bit].AssignBit(bit);
            foreach (var word in sets[bit].Words)
            {
                masks[word] = masks.GetValueOrDefault(word) | (1UL << bit);
            }
        }

        _masks = new SpanTable<ulong>(masks.Count);
        foreach (var (word, mask) in masks)
        {
            _masks.TryAdd(word, mask);
        }

        _prefilter = new Prefilter(masks.Keys);
    }

    public ulong MaskOf(ReadOnlySpan<char> word, int hash) =>
        _prefilter.MayContain(word) && _masks.TryGetValue(word, hash, out var mask) ? mask : 0;
}

/// <summary>A case-insensitive map from word to a count, looked up by span.</summary>
internal sealed class WordCounts
{
    private readonly SpanTable<int> _table;

    public WordCounts(IReadOnlyCollection<(string Word, int Count)> counts)
    {
        _table = new SpanTable<int>(counts.Count);
        foreach (var (word, count) in counts)
        {
            _table.TryAdd(word, count);
        }
    }

    /// <summary>An empty map sized for a list read at start, filled with <see cref="Stage"/> and then <see cref="Seal"/>.</summary>
    public WordCounts(int capacity, int characters) => _table = new SpanTable<int>(capacity, characters, dense: true);

    /// <summary>Stages a word and its count while the map is being loaded; a word staged twice keeps its first count.</summary>
    public void Stage(ReadOnlySpan<char> word, int count) => _table.Stage(word, count);

    public void Seal() => _table.Seal();

    public int Count => _table.Count;

    public int Get(ReadOnlySpan<char> word) => _table.TryGetValue(word, SpanTable<int>.Hash(word), out var count) ? count : 0;

    public int Get(ReadOnlySpan<char> word, int hash) => _table.TryGetValue(word, hash, out var count) ? count : 0;
}

/// <summary>
/// A cheap first test before hashing: which (first letter, length) pairs occur in a set. Most tokens fail most
/// word lists, and this rejects them with two array reads.
/// </summary>
internal sealed class Prefilter
{
    private readonly ulong[] _lengthsByFirst = new ulong[28];

    public Prefilter()
    {
    }

    public Prefilter(IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            Add(word);
        }
    }

    public void Add(ReadOnlySpan<char> word)
    {
        if (word.Length == 0)
        {
            return;
        }

        _lengthsByFirst[Slot(word[0])] |= Bit(word.Length);

        // Case-insensitive comparison may fold a non-ASCII first letter onto another slot; keep those open.
        if (!char.IsAscii(word[0]))
        {
            for (var i = 0; i < _lengthsByFirst.Length; i++)
            {
                _lengthsByFirst[i] |= Bit(word.Length);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayContain(ReadOnlySpan<char> word) =>
        word.Length > 0 && (_lengthsByFirst[Slot(word[0])] & Bit(word.Length)) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= 'A' and <= 'Z' => c - 'A',
        >= '0' and <= '9' => 26,
        _ => 27,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(int length) => 1UL << Math.Min(length, 63);
}
