using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rounds.Screening.Learning;

/// <summary>
/// The weights of one profile's token labeller: for each known feature key, one weight per tag. Keys live in an
/// open-addressing table (a probe or two per feature) and weights in one flat array, a row per slot, so scoring a
/// token is a few table reads and vector adds, with no allocation.
/// </summary>
internal sealed class SequenceModel
{
    private const ulong Empty = 0;

    // The keys by slot. A key's weights are the row of its slot's number, so where its row lies follows from the
    // slot alone: the processor reads the row while it compares the key, where a row number stored beside the key
    // made the row's read wait for the key's.
    private readonly ulong[] _slots;

    // One bit per position of a small filter, set for every key the model knows, at a position taken from the key's
    // high bits (the slot comes from its low ones). Most of a token's keys are unknown to the model, and the filter,
    // an eighth of the key table's size, turns most of those probes into one read that stays in cache.
    private readonly ulong[] _known;
    private readonly int _knownShift;
    private readonly float[] _weights;
    private readonly int _mask;

    public SequenceModel(IReadOnlyList<(ulong Key, float[] Weights)> features, float scale)
        : this(features.Count, scale)
    {
        var nonZero = new int[features.Count];
        for (var f = 0; f < nonZero.Length; f++)
        {
            nonZero[f] = NonZero<float>(features[f].Weights.AsSpan(0, Tags.Count));
        }

        foreach (var f in DenseFirst(nonZero))
        {
            var (key, weights) = features[f];
            if (TakeRow(key) is var row and >= 0)
            {
                weights.AsSpan(0, Tags.Count).CopyTo(_weights.AsSpan(row * RowStride, Tags.Count));
            }
        }
    }

    /// <summary>
    /// The weights as the model file stores them: <paramref name="count"/> records of a key and one half-precision
    /// weight per tag, little-endian. Read in place, so loading allocates the two tables and nothing per feature.
    /// </summary>
    public SequenceModel(ReadOnlySpan<byte> records, int count, float scale)
        : this(count, scale)
    {
        var size = RecordSize;
        if (records.Length < count * size)
        {
            throw new InvalidDataException("The model file ends inside its weights; retrain with ./rounds screen-train.");
        }

        var nonZero = new int[count];
        for (var f = 0; f < count; f++)
        {
            nonZero[f] = NonZero(MemoryMarshal.Cast<byte, ushort>(records.Slice((f * size) + 8, 2 * Tags.Count)));
        }

        foreach (var f in DenseFirst(nonZero))
        {
            var record = records.Slice(f * size, size);
            if (TakeRow(BinaryPrimitives.ReadUInt64LittleEndian(record)) is var index and >= 0)
            {
                var row = _weights.AsSpan(index * RowStride, Tags.Count);
                for (var t = 0; t < row.Length; t++)
                {
                    row[t] = (float)BinaryPrimitives.ReadHalfLittleEndian(record[(8 + (2 * t))..]);
                }
            }
        }
    }

    private SequenceModel(int count, float scale)
    {
        if (Tags.Count > RowStride)
        {
            throw new InvalidOperationException($"A weight row holds {RowStride} tags; scoring must add another vector for {Tags.Count}.");
        }

        Scale = scale;

        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
        _slots = new ulong[capacity];
        _mask = capacity - 1;
        var filterBits = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, count * 16));
        _known = new ulong[filterBits / 64];
        _knownShift = 64 - BitOperations.Log2((uint)filterBits);

        // One row per slot, more than half of them empty (2.6 MB for either profile's 11,000–14,000 keys): the rows a
        // token reads are as many cache lines as with one row per key, wherever they lie.
        _weights = new float[capacity * RowStride];
        FeatureCount = count;
    }

    /// <summary>
    /// The order in which the features claim their slots: those with the most weights other than zero first, in their
    /// given order among equals. Such keys (the bias, the previous tags, common shapes and words) are the ones nearly
    /// every token reads, so they take the slots their keys point to and are found at the first probe; five in six
    /// keys have two or three weights, are read rarely, and move along where slots are taken. Only where a key lies
    /// changes, not what it holds.
    /// </summary>
    private static int[] DenseFirst(int[] nonZero)
    {
        var count = nonZero.Length;
        var order = new int[count];
        var weights = new int[count];
        for (var f = 0; f < count; f++)
        {
            order[f] = f;
            weights[f] = -nonZero[f];
        }

        // Sorting by (fewer zeros, then position) keeps the order the same on every load.
        Array.Sort(weights, order);
        var start = 0;
        for (var f = 1; f <= count; f++)
        {
            if (f == count || weights[f] != weights[start])
            {
                Array.Sort(order, start, f - start);
                start = f;
            }
        }

        return order;
    }

    private static int NonZero<T>(ReadOnlySpan<T> weights)
        where T : IEquatable<T>
    {
        var count = 0;
        foreach (var weight in weights)
        {
            count += weight.Equals(default!) ? 0 : 1;
        }

        return count;
    }

    /// <summary>The bytes of one stored feature: its key and a half-precision weight per tag.</summary>
    public static int RecordSize => 8 + (2 * Tags.Count);

    /// <summary>Claims a slot for the key and returns it, the number of its weight row, or -1 for the key zero, which would read as an empty slot.</summary>
    private int TakeRow(ulong key)
    {
        // The hash makes a key of zero vanishingly rare, so it is simply skipped.
        if (key == Empty)
        {
            return -1;
        }

        var slot = (int)key & _mask;
        while (_slots[slot] != Empty)
        {
            slot = (slot + 1) & _mask;
        }

        _slots[slot] = key;
        var bit = key >> _knownShift;
        _known[bit >> 6] |= 1UL << (int)bit;
        return slot;
    }

    /// <summary>
    /// Entries per weight row: the nineteen tags padded to five 128-bit vectors, so that adding a row is five vector
    /// adds, not nineteen scalar ones. A larger tag set needs another vector in <see cref="Score"/>. Rows were six
    /// vectors (96 bytes) once; the sixth only ever held padding, and 80 bytes keep more rows in the caches.
    /// </summary>
    private const int RowStride = 20;

    /// <summary>Entries per scores buffer: the tags, then padding that <see cref="Score"/> sets to zero.</summary>
    public int Stride => 24;

    public int FeatureCount { get; }

    /// <summary>The typical score margin of a confident decision in training; margins are divided by it for confidence.</summary>
    public float Scale { get; }

    /// <summary>Sets <paramref name="scores"/> (<see cref="Stride"/> entries, one per tag then padding) to the sum of the weights of every known key.</summary>
    public void Score(ReadOnlySpan<ulong> keys, Span<float> scores)
    {
        // 128-bit vectors, the sums held in registers: the published program targets processors without 256-bit
        // vectors, where each 256-bit add was two 128-bit ones through memory. Each lane still adds the known rows in
        // the keys' order, so every score is the same float.
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var s2 = Vector128<float>.Zero;
        var s3 = Vector128<float>.Zero;
        var s4 = Vector128<float>.Zero;
        // The mask keeps every slot inside the key table, and so every row inside the weights, and the filter's
        // position is below its size by the shift: the reads skip their bounds checks, some nine instructions of
        // thirty per known key.
        ref var slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        ref var rows = ref Unsafe.As<float, Vector128<float>>(ref MemoryMarshal.GetArrayDataReference(_weights));
        var mask = (nuint)(uint)_mask;
        ref var known = ref MemoryMarshal.GetArrayDataReference(_known);
        var shift = _knownShift;
        foreach (var key in keys)
        {
            var bit = key >> shift;
            if ((Unsafe.Add(ref known, (nuint)(bit >> 6)) & (1UL << (int)bit)) == 0)
            {
                continue;
            }

            var slot = (nuint)key & mask;
            while (true)
            {
                var found = Unsafe.Add(ref slots, slot);
                if (found == key)
                {
                    ref var row = ref Unsafe.Add(ref rows, slot * (RowStride / 4));
                    s0 += row;
                    s1 += Unsafe.Add(ref row, 1);
                    s2 += Unsafe.Add(ref row, 2);
                    s3 += Unsafe.Add(ref row, 3);
                    s4 += Unsafe.Add(ref row, 4);
                    break;
                }

                if (found == Empty)
                {
                    break;
                }

                slot = (slot + 1) & mask;
            }
        }

        var sums = MemoryMarshal.Cast<float, Vector128<float>>(scores[..Stride]);
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
        sums[4] = s4;
        sums[5] = Vector128<float>.Zero;
    }

    /// <summary>The mean of several models' weights (a key missing from one counts as zero there) and of their scales.</summary>
    public static SequenceModel Average(IReadOnlyList<SequenceModel> models)
    {
        if (models.Count == 1)
        {
            return models[0];
        }

        var sums = new Dictionary<ulong, float[]>();
        foreach (var model in models)
        {
            foreach (var (key, weights) in model.Features())
            {
                if (!sums.TryGetValue(key, out var sum))
                {
                    sums[key] = sum = new float[Tags.Count];
                }

                for (var t = 0; t < Tags.Count; t++)
                {
                    sum[t] += weights[t] / models.Count;
                }
            }
        }

        return new SequenceModel(sums.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList(), models.Average(m => m.Scale));
    }

    public IEnumerable<(ulong Key, float[] Weights)> Features()
    {
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] != Empty)
            {
                yield return (_slots[slot], _weights.AsSpan(slot * RowStride, Tags.Count).ToArray());
            }
        }
    }
}

/// <summary>
/// The two profiles' models in one gzip file: <c>RSM1</c>, the tag names, then per profile the scale, the feature
/// count and each feature's key with its weights as half-precision floats. Halves keep the file small; the averaged
/// weights need no more precision than that to rank tags the same way.
/// </summary>
internal sealed class ScreeningModel
{
    private const int Magic = 0x324D5352; // "RSM2": the social recall bias follows the tag names
    public const string ResourceName = "Rounds.Screening.Model.screening-model.bin.gz";

    private static readonly Lazy<ScreeningModel?> Embedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<SequenceModel> _social;
    private readonly Lazy<SequenceModel> _strict;

    public ScreeningModel(SequenceModel social, SequenceModel strict)
        : this(new Lazy<SequenceModel>(social), new Lazy<SequenceModel>(strict))
    {
    }

    /// <summary>
    /// Each profile's weights are built from the file when first asked for: a run screens with one profile, and
    /// building the other's tables was a tenth of the start.
    /// </summary>
    private ScreeningModel(Lazy<SequenceModel> social, Lazy<SequenceModel> strict)
    {
        _social = social;
        _strict = strict;
    }

    public SequenceModel Social => _social.Value;

    public SequenceModel Strict => _strict.Value;

    public SequenceModel For(Profile profile) => profile == Profile.Strict ? Strict : Social;

    /// <summary>
    /// The social profile's recall bias (see <see cref="Labeller.RecallBias"/>), chosen by cross-validation when the
    /// model was trained and stored in the model file.
    /// </summary>
    public float RecallBias { get; private init; } = Labeller.RecallBias;

    /// <summary>The strict profile's; its training data holds no posts to cross-validate it on.</summary>
    public float StrictRecallBias { get; private init; } = Labeller.RecallBias;

    public float RecallBiasFor(Profile profile) => profile == Profile.Strict ? StrictRecallBias : RecallBias;

    /// <summary>The social profile's bias set, the strict one kept (what training's cross-validation chooses).</summary>
    public ScreeningModel WithSocialRecallBias(float bias) => new(_social, _strict) { RecallBias = bias, StrictRecallBias = StrictRecallBias };

    /// <summary>Both profiles' biases set: <c>rounds eval --recall-bias</c> trades precision for recall with it.</summary>
    public ScreeningModel WithRecallBias(float bias) => new(_social, _strict) { RecallBias = bias, StrictRecallBias = bias };

    /// <summary>The model shipped inside the assembly, or null in a build made before the first training.</summary>
    public static ScreeningModel? Default => Embedded.Value;

    public void Save(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(gzip);
        writer.Write(Magic);
        writer.Write(Tags.Count);
        foreach (var name in Tags.Names)
        {
            writer.Write(name);
        }

        writer.Write(RecallBias);
        foreach (var model in new[] { Social, Strict })
        {
            writer.Write(model.Scale);
            // Sorted keys make the file byte-for-byte the same for the same training run.
            var features = model.Features().OrderBy(f => f.Key).ToList();
            writer.Write(features.Count);
            foreach (var (key, weights) in features)
            {
                writer.Write(key);
                foreach (var w in weights)
                {
                    writer.Write((Half)w);
                }
            }
        }
    }

    public static ScreeningModel Load(Stream stream)
    {
        // Decompressed whole, then read in place: a reader call per weight cost more than the rest of the start.
        var bytes = Data.GzipResource.ReadAll(stream);
        using var memory = new MemoryStream(bytes, writable: false);
        using var reader = new BinaryReader(memory);
        if (reader.ReadInt32() != Magic)
        {
            throw new InvalidDataException("Not a screening model file.");
        }

        var tags = reader.ReadInt32();
        for (var t = 0; t < tags; t++)
        {
            var name = reader.ReadString();
            if (t >= Tags.Count || Tags.Names[t] != name)
            {
                throw new InvalidDataException($"The model's tag {t} is '{name}', which this version does not know; retrain with ./rounds screen-train.");
            }
        }

        if (tags != Tags.Count)
        {
            throw new InvalidDataException("The model's tag set differs from this version's; retrain with ./rounds screen-train.");
        }

        var recallBias = reader.ReadSingle();

        var models = new Lazy<SequenceModel>[2];
        for (var m = 0; m < 2; m++)
        {
            var scale = reader.ReadSingle();
            var count = reader.ReadInt32();
            var start = (int)memory.Position;
            if (count < 0 || (long)count * SequenceModel.RecordSize > bytes.Length - start)
            {
                throw new InvalidDataException("The model file ends inside its weights; retrain with ./rounds screen-train.");
            }

            models[m] = new Lazy<SequenceModel>(
                () => new SequenceModel(bytes.AsSpan(start, count * SequenceModel.RecordSize), count, scale), LazyThreadSafetyMode.ExecutionAndPublication);
            memory.Position = start + (count * SequenceModel.RecordSize);
        }

        return new ScreeningModel(models[0], models[1]) { RecallBias = recallBias };
    }

    private static ScreeningModel? LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName);
        return stream is null ? null : Load(stream);
    }
}
