using Rounds.Screening.Detection;
using Rounds.Screening.Rules;

namespace Rounds.Screening.Learning;

/// <summary>A post or note with its gold PHI spans (UTF-16 offsets, end exclusive) for one profile.</summary>
internal sealed record TrainingExample(Post Post, IReadOnlyList<(string Type, int Start, int End)> Spans);

/// <summary>
/// Averaged perceptron training of a <see cref="SequenceModel"/>: greedy left-to-right decoding with the previous
/// tags as features, the same decoding the screener runs. Deterministic: the example order of every epoch comes
/// from the seed, and nothing runs in parallel except feature extraction, whose results keep their order.
/// </summary>
internal sealed class Trainer
{
    private readonly Dictionary<ulong, int> _rows = new();
    private readonly int _tags = Tags.Count;
    private float[] _weights = new float[1 << 16];
    private double[] _totals = new double[1 << 16];
    private int[] _stamps = new int[1 << 16];
    private int _time;

    /// <summary>One example's static features, flattened: token t owns keys [Offsets[t], Offsets[t + 1]).</summary>
    private sealed record Encoded(ulong[] Keys, int[] Offsets, ulong[] Shapes, byte[] Gold, bool[] Skippable);

    public static SequenceModel Train(IReadOnlyList<TrainingExample> examples, Profile profile, int epochs, int seed, TextWriter? log = null)
    {
        var encoded = new Encoded[examples.Count];
        Parallel.For(0, examples.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => encoded[i] = Encode(examples[i], profile));

        // Keys seen once are noise that only make the model bigger; the rest are kept.
        var seen = new Dictionary<ulong, int>();
        foreach (var e in encoded)
        {
            foreach (var key in e.Keys)
            {
                seen[key] = seen.GetValueOrDefault(key) + 1;
            }
        }

        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = DropRare(encoded[i], seen);
        }

        var trainer = new Trainer();
        var order = Enumerable.Range(0, encoded.Length).ToArray();
        var random = new Random(seed);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            var errors = 0;
            var tokens = 0;
            foreach (var index in order)
            {
                errors += trainer.Learn(encoded[index]);
                tokens += encoded[index].Gold.Length;
            }

            log?.WriteLine($"  {profile.ToString().ToLowerInvariant()} epoch {epoch + 1}: {errors} token errors of {tokens}");
        }

        return trainer.Finish(encoded);
    }

    /// <summary>Runs the rule detectors on the example, as screening does, and records every token's features and gold tag.</summary>
    private static Encoded Encode(TrainingExample example, Profile profile)
    {
        using var ctx = new ScreeningContext(example.Post, profile, CompiledRuleSet.Default);
        Screener.RunDetectors(ctx);
        var kept = ProfileFilter.Apply(ctx);
        var features = new FeatureExtractor(ctx, kept);
        var count = ctx.Text.Count;
        var keys = new List<ulong>(count * 24);
        var offsets = new int[count + 1];
        var shapes = new ulong[count];
        var gold = new byte[count];
        var skippable = new bool[count];
        Span<ulong> buffer = stackalloc ulong[FeatureExtractor.MaxFeatures];
        for (var i = 0; i < count; i++)
        {
            offsets[i] = keys.Count;
            var n = features.Extract(i, buffer);
            for (var k = 0; k < n; k++)
            {
                keys.Add(buffer[k]);
            }

            shapes[i] = features.ShapeOf(i);
            skippable[i] = features.Skippable(i);
            var token = ctx.Text[i];
            foreach (var (type, start, end) in example.Spans)
            {
                if (token.Start < end && start < token.End)
                {
                    gold[i] = (byte)Tags.Of(type);
                }
            }
        }

        offsets[count] = keys.Count;
        return new Encoded([.. keys], offsets, shapes, gold, skippable);
    }

    private static Encoded DropRare(Encoded example, Dictionary<ulong, int> seen)
    {
        var keys = new List<ulong>(example.Keys.Length);
        var offsets = new int[example.Offsets.Length];
        for (var i = 0; i < example.Gold.Length; i++)
        {
            offsets[i] = keys.Count;
            for (var k = example.Offsets[i]; k < example.Offsets[i + 1]; k++)
            {
                if (seen[example.Keys[k]] > 1)
                {
                    keys.Add(example.Keys[k]);
                }
            }
        }

        offsets[^1] = keys.Count;
        return example with { Keys = [.. keys], Offsets = offsets };
    }

    private int Learn(Encoded example)
    {
        Span<ulong> keys = stackalloc ulong[FeatureExtractor.MaxFeatures + 4];
        Span<float> scores = stackalloc float[_tags];
        int previous = Tags.Outside, beforePrevious = Tags.Outside;
        var errors = 0;
        for (var i = 0; i < example.Gold.Length; i++)
        {
            if (previous == Tags.Outside && example.Skippable[i])
            {
                // Screening never scores this token (see FeatureExtractor.Skippable), so training does not either.
                errors += example.Gold[i] != Tags.Outside ? 1 : 0;
                beforePrevious = previous;
                continue;
            }

            var n = Gather(example, i, keys);
            n = Labeller.AddHistory(keys, n, example.Shapes[i], previous, beforePrevious);
            scores.Clear();
            for (var k = 0; k < n; k++)
            {
                if (_rows.TryGetValue(keys[k], out var row))
                {
                    for (var t = 0; t < _tags; t++)
                    {
                        scores[t] += _weights[row * _tags + t];
                    }
                }
            }

            var predicted = 0;
            for (var t = 1; t < _tags; t++)
            {
                if (scores[t] > scores[predicted])
                {
                    predicted = t;
                }
            }

            var gold = example.Gold[i];
            _time++;
            if (predicted != gold)
            {
                errors++;
                for (var k = 0; k < n; k++)
                {
                    var row = RowOf(keys[k]);
                    Update(row * _tags + gold, 1f);
                    Update(row * _tags + predicted, -1f);
                }
            }

            beforePrevious = previous;
            previous = predicted;
        }

        return errors;
    }

    private static int Gather(Encoded example, int i, Span<ulong> keys)
    {
        var span = example.Keys.AsSpan(example.Offsets[i], example.Offsets[i + 1] - example.Offsets[i]);
        span.CopyTo(keys);
        return span.Length;
    }

    private int RowOf(ulong key)
    {
        if (_rows.TryGetValue(key, out var row))
        {
            return row;
        }

        row = _rows.Count;
        _rows[key] = row;
        var needed = (row + 1) * _tags;
        if (needed > _weights.Length)
        {
            var size = _weights.Length * 2;
            Array.Resize(ref _weights, size);
            Array.Resize(ref _totals, size);
            Array.Resize(ref _stamps, size);
        }

        return row;
    }

    /// <summary>Lazy averaging: each weight's running total is brought up to date only when the weight changes.</summary>
    private void Update(int index, float delta)
    {
        _totals[index] += (double)(_time - _stamps[index]) * _weights[index];
        _stamps[index] = _time;
        _weights[index] += delta;
    }

    private SequenceModel Finish(Encoded[] examples)
    {
        var features = new List<(ulong, float[])>(_rows.Count);
        foreach (var (key, row) in _rows.OrderBy(r => r.Value))
        {
            var averaged = new float[_tags];
            var any = false;
            for (var t = 0; t < _tags; t++)
            {
                var index = row * _tags + t;
                var total = _totals[index] + (double)(_time - _stamps[index]) * _weights[index];
                averaged[t] = (float)(total / Math.Max(1, _time));
                any |= Math.Abs(averaged[t]) >= 1e-3f;
            }

            // Weights this small never change a decision; dropping them keeps the embedded file small.
            if (any)
            {
                features.Add((key, averaged));
            }
        }

        var model = new SequenceModel(features, 1f);
        return new SequenceModel(features, TypicalMargin(model, examples));
    }

    /// <summary>The median margin of the PHI tokens the model gets right: the unit in which confidence is expressed.</summary>
    private float TypicalMargin(SequenceModel model, Encoded[] examples)
    {
        var margins = new List<float>();
        Span<ulong> keys = stackalloc ulong[FeatureExtractor.MaxFeatures + 4];
        Span<float> scores = stackalloc float[model.Stride];
        foreach (var example in examples)
        {
            for (var i = 0; i < example.Gold.Length; i++)
            {
                var gold = example.Gold[i];
                if (gold == Tags.Outside)
                {
                    continue;
                }

                var n = Gather(example, i, keys);
                var previous = i > 0 ? example.Gold[i - 1] : Tags.Outside;
                var beforePrevious = i > 1 ? example.Gold[i - 2] : Tags.Outside;
                n = Labeller.AddHistory(keys, n, example.Shapes[i], previous, beforePrevious);
                model.Score(keys[..n], scores);
                var margin = scores[gold] - scores[Tags.Outside];
                if (margin > 0)
                {
                    margins.Add(margin);
                }
            }
        }

        margins.Sort();
        return margins.Count == 0 ? 1f : Math.Max(1e-3f, margins[margins.Count / 2]);
    }
}
