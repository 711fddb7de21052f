using System.Runtime.CompilerServices;

namespace Rounds.Screening.Text;

/// <summary>
/// A case-insensitive hash table probed with a span and a precomputed hash. The tokenizer hashes every token once,
/// so each of the many word-list look-ups per token costs a probe and, on a hit, one comparison, instead of
/// re-hashing the word for every list.
/// </summary>
internal sealed class SpanTable<TValue>
{
    // Keys live in one character array rather than as strings, so a table of 160,000 names is a handful of
    // objects for the garbage collector to scan instead of 160,000.
    private readonly int[] _buckets;
    private readonly (int Offset, int Length, int Hash, int Next, TValue Value)[] _entries;
    private readonly int _mask;
    private char[] _chars = new char[256];
    private int _used;
    private int _count;

    public SpanTable(int capacity)
    {
        var size = 16;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        _buckets = new int[size];
        _entries = new (int, int, int, int, TValue)[Math.Max(capacity, 1)];
        _mask = size - 1;
    }

    public int Count => _count;

    /// <summary>
    /// FNV-1a over ASCII letters folded to upper case. Every non-ASCII character counts as one marker value, so
    /// words equal under ordinal-ignore-case always hash alike without a (slow) Unicode case mapping per character.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hash(ReadOnlySpan<char> text)
    {
        var h = 2166136261u;
        foreach (var c in text)
        {
            var u = c < 128 ? (c is >= 'a' and <= 'z' ? c - 32u : c) : 0xFFFFu;
            h = (h ^ u) * 16777619u;
        }

        return (int)h;
    }

    /// <summary>Adds the key unless an equal key is present; returns false when it was already there.</summary>
    public bool TryAdd(string key, TValue value)
    {
        var hash = Hash(key);
        if (Find(key, hash) >= 0)
        {
            return false;
        }

        if (_used + key.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + key.Length));
        }

        key.CopyTo(_chars.AsSpan(_used));
        var bucket = hash & _mask;
        _entries[_count] = (_used, key.Length, hash, _buckets[bucket] - 1, value);
        _used += key.Length;
        _buckets[bucket] = ++_count;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ReadOnlySpan<char> key, int hash, out TValue value)
    {
        var index = Find(key, hash);
        if (index < 0)
        {
            value = default!;
            return false;
        }

        value = _entries[index].Value;
        return true;
    }

    private int Find(ReadOnlySpan<char> key, int hash)
    {
        var i = _buckets[hash & _mask] - 1;
        while (i >= 0)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == hash && entry.Length == key.Length
                && key.Equals(_chars.AsSpan(entry.Offset, entry.Length), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }

            i = entry.Next;
        }

        return -1;
    }
}
