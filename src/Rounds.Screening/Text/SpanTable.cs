using System.Numerics;
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
    private Staged[]? _staged;
    private int _stagedCount;

    /// <param name="capacity">The most keys the table will hold.</param>
    /// <param name="characters">The expected length of all keys together plus two per key, so that loading a list copies them once.</param>
    /// <param name="dense">
    /// Fill up to five-eighths of the slots instead of half: for the large lists read at start, where a table of
    /// twice the keys rounds up to four times them (the surnames: 512 Ki slots, 6 MB, for 162,000 names). A miss
    /// then probes a few more adjacent slots, mostly in the same cache line; most look-ups never reach these
    /// tables, since each thread keeps the answers for its recent words.
    /// </param>
    public SpanTable(int capacity, int characters = 256, bool dense = false)
    {
        // Uninitialized: every character is written before it is read, and zeroing megabytes at start costs more
        // than filling them.
        _chars = GC.AllocateUninitializedArray<char>(Math.Max(characters, 16));
        var size = 16;
        while (dense ? size * 5L < capacity * 8L : size < capacity * 2)
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

        // Find ended on the empty slot the probe sequence reached: ~index.
        _slots[~index] = new Slot { Hash = hash, Start = AppendKey(key), Value = value };
        _count++;
        return true;
    }

    /// <summary>
    /// Keeps a key for <see cref="Seal"/> to place: a list read at start stages every line, then places them all at
    /// once in slot order. Placed in file order, each of 160,000 keys went to a random slot of a table of megabytes, a
    /// cache and TLB miss apiece; in slot order the table fills front to back. The first of equal keys still wins.
    /// </summary>
    public void Stage(ReadOnlySpan<char> key, TValue value)
    {
        if (_staged is null)
        {
            _staged = GC.AllocateUninitializedArray<Staged>(_capacity);
        }
        else if (_stagedCount == _staged.Length)
        {
            throw new InvalidOperationException($"The table was made for {_capacity} keys.");
        }

        _staged[_stagedCount++] = new Staged { Hash = Hash(key), Start = AppendKey(key), Value = value };
    }

    /// <summary>Copies a key after its two length characters to the end of the character array; returns where it starts.</summary>
    private int AppendKey(ReadOnlySpan<char> key)
    {
        var needed = _used + LengthChars + key.Length;
        if (needed > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, needed));
        }

        _chars[_used] = (char)key.Length;
        _chars[_used + 1] = (char)(key.Length >> 16);
        var start = _used + LengthChars;
        key.CopyTo(_chars.AsSpan(start));
        _used = needed;
        return start;
    }

    /// <summary>Places the staged keys; lookups see them only after this.</summary>
    public void Seal()
    {
        if (_staged is null)
        {
            return;
        }

        // A stable counting sort by the top bits of each key's home slot: equal keys share a home, so they keep
        // their file order.
        var shift = Math.Max(0, BitOperations.Log2((uint)_slots.Length) - 12);
        var starts = new int[(_slots.Length >> shift) + 1];
        for (var k = 0; k < _stagedCount; k++)
        {
            starts[((_staged[k].Hash & _mask) >> shift) + 1]++;
        }

        for (var b = 1; b < starts.Length; b++)
        {
            starts[b] += starts[b - 1];
        }

        // The entries themselves move into slot order, so that placing them reads them front to back too.
        var sorted = GC.AllocateUninitializedArray<Staged>(_stagedCount);
        for (var k = 0; k < _stagedCount; k++)
        {
            sorted[starts[(_staged[k].Hash & _mask) >> shift]++] = _staged[k];
        }

        foreach (var staged in sorted)
        {
            // A key's characters are read only when a slot holds the same hash: most placements never touch them.
            var i = staged.Hash & _mask;
            while (_slots[i].Start != 0 && !SameKey(_slots[i], staged))
            {
                i = (i + 1) & _mask;
            }

            if (_slots[i].Start == 0)
            {
                _slots[i] = new Slot { Hash = staged.Hash, Start = staged.Start, Value = staged.Value };
                _count++;
            }
        }

        _staged = null;
        _stagedCount = 0;
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

    private bool SameKey(in Slot slot, in Staged staged) =>
        slot.Hash == staged.Hash && KeyLength(slot.Start) == KeyLength(staged.Start)
        && _chars.AsSpan(staged.Start, KeyLength(staged.Start)).Equals(_chars.AsSpan(slot.Start, KeyLength(slot.Start)), StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int KeyLength(int start) => _chars[start - 2] | (_chars[start - 1] << 16);

    private struct Staged
    {
        public int Hash;
        public int Start;
        public TValue Value;
    }

    private struct Slot
    {
        public int Hash;

        /// <summary>Where the key's characters begin, after its two length characters, so that zero marks an empty slot.</summary>
        public int Start;
        public TValue Value;
    }
}
