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
    // objects for the garbage collector to scan instead of 160,000. Slots are open addressing with linear probing
    // and hold the key's hash beside where its characters are: a probe reads one slot (a second lies in the same
    // cache line), so a miss costs one memory access, not a bucket's and then an entry's. A key's length is kept in
    // the two characters before it rather than in its slot: a hash match reads the characters anyway, and the
    // smaller slot takes a quarter less memory for the name lists to fill (and the kernel to map) at start.
    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly int _capacity;
    private char[] _chars;
    private const int LengthChars = 2;
    private int _used;
    private int _count;

    /// <param name="capacity">The most keys the table will hold.</param>
    /// <param name="characters">The expected length of all keys together plus two per key, so that loading a list copies them once.</param>
    public SpanTable(int capacity, int characters = 256)
    {
        // Uninitialized: every character is written before it is read, and zeroing megabytes at start costs more
        // than filling them.
        _chars = GC.AllocateUninitializedArray<char>(Math.Max(characters, 16));
        var size = 16;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        _slots = new Slot[size];
        _mask = size - 1;
        _capacity = Math.Max(capacity, 1);
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
    public bool TryAdd(ReadOnlySpan<char> key, TValue value)
    {
        var hash = Hash(key);
        var index = Find(key, hash);
        if (index >= 0)
        {
            return false;
        }

        if (_count == _capacity)
        {
            throw new InvalidOperationException($"The table was made for {_capacity} keys.");
        }

        var needed = _used + LengthChars + key.Length;
        if (needed > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, needed));
        }

        _chars[_used] = (char)key.Length;
        _chars[_used + 1] = (char)(key.Length >> 16);
        key.CopyTo(_chars.AsSpan(_used + LengthChars));

        // Find ended on the empty slot the probe sequence reached: ~index.
        _slots[~index] = new Slot { Hash = hash, Start = _used + LengthChars, Value = value };
        _used = needed;
        _count++;
        return true;
    }

    /// <summary>Every key, as a new string: for building other tables at start, never per token.</summary>
    public IEnumerable<string> Keys()
    {
        foreach (var slot in _slots)
        {
            if (slot.Start > 0)
            {
                yield return new string(_chars, slot.Start, KeyLength(slot.Start));
            }
        }
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

        value = _slots[index].Value;
        return true;
    }

    /// <summary>The key's slot, or the bitwise complement of the empty slot where it would go.</summary>
    private int Find(ReadOnlySpan<char> key, int hash)
    {
        var i = hash & _mask;
        while (true)
        {
            ref var slot = ref _slots[i];
            if (slot.Start == 0)
            {
                return ~i;
            }

            if (slot.Hash == hash && KeyLength(slot.Start) == key.Length
                && key.Equals(_chars.AsSpan(slot.Start, key.Length), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }

            i = (i + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int KeyLength(int start) => _chars[start - 2] | (_chars[start - 1] << 16);

    private struct Slot
    {
        public int Hash;

        /// <summary>Where the key's characters begin, after its two length characters, so that zero marks an empty slot.</summary>
        public int Start;
        public TValue Value;
    }
}
