using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Rounds.Screening.Benchmarks;

/// <summary>
/// One pass of the default rule set (every rule on) over <see cref="Corpus"/>, per profile, plus a single
/// 3,000-character post: the composer screens as the user types.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ScreeningBenchmarks
{
    private readonly Screener _screener = new();
    private Post _long = null!;

    [Params(Profile.Social, Profile.Strict)]
    public Profile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _long = new Post(Benchmarks.Corpus.LongPostText, AccountKind.Personal, "Nurse at Eastbrook General");

        // Load the name lists before timing starts; that is a one-off per process.
        _screener.Screen(_long, Profile);
    }

    [Benchmark(Description = "corpus")]
    public int ScreenCorpus()
    {
        var findings = 0;
        foreach (var post in Benchmarks.Corpus.Posts)
        {
            findings += _screener.Screen(post, Profile).Findings.Count;
        }

        return findings;
    }

    [Benchmark(Description = "3000-char post")]
    public int LongPost() => _screener.Screen(_long, Profile).Findings.Count;

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    /// <summary>
    /// MB/s = UTF-8 bytes screened per call / median seconds per call / 10^6. The median, not the mean, so that
    /// other processes on a shared machine do not drag the figure down.
    /// </summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => nameof(ThroughputColumn);

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "UTF-8 megabytes of post text screened per second on one thread (from the median time)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats)
            {
                return "-";
            }

            var bytes = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(LongPost)
                ? System.Text.Encoding.UTF8.GetByteCount(Benchmarks.Corpus.LongPostText)
                : Benchmarks.Corpus.Utf8Bytes;
            var seconds = stats.Median / 1e9;
            return (bytes / seconds / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
