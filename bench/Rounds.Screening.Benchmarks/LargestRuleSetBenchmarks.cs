using System.Globalization;
using BenchmarkDotNet.Attributes;
using Rounds.Screening.Rules;

namespace Rounds.Screening.Benchmarks;

/// <summary>
/// The cost of the largest rule set an organization may save (<see cref="RuleSet.MaxEntries"/> entries of
/// <see cref="RuleSet.MaxEntryLength"/> characters): one check of a 3,000-character post in the social profile,
/// where the allow-lists apply, and compiling the set, which happens once each time the rules change.
/// <c>dotnet run -c Release --project bench/Rounds.Screening.Benchmarks -- --filter '*LargestRuleSet*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LargestRuleSetBenchmarks
{
    private Screener _default = null!;
    private Screener _largest = null!;
    private string _json = "";
    private Post _long = null!;

    /// <summary>Where the entries go: all names (hashed words), or spread over every list, URLs and addresses being scanned one by one.</summary>
    [Params("names", "every list")]
    public string Lists { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _json = LargestJson(Lists);
        var parsed = RuleSet.Parse(_json);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException("The largest rule set must be valid: " + string.Join("; ", parsed.Errors));
        }

        _largest = new Screener(parsed.RuleSet!);
        _default = new Screener();
        _long = new Post(Corpus.LongPostText);
        _largest.Screen(_long, Profile.Social);
        _default.Screen(_long, Profile.Social);
    }

    [Benchmark(Baseline = true, Description = "check, default rules")]
    public int CheckDefault() => _default.Screen(_long, Profile.Social).Findings.Count;

    [Benchmark(Description = "check, largest rule set")]
    public int CheckLargest() => _largest.Screen(_long, Profile.Social).Findings.Count;

    [Benchmark(Description = "parse and compile the largest rule set")]
    public Screener Compile() => new(RuleSet.Parse(_json).RuleSet!);

    /// <summary>Entries of the longest length allowed, each distinct, so no hash or prefix shortcut makes them cheaper than real ones.</summary>
    internal static string LargestJson(string lists)
    {
        string Pad(string text) => text.PadRight(RuleSet.MaxEntryLength, 'x')[..RuleSet.MaxEntryLength];
        string Name(int i) => Pad($"Dana{i.ToString(CultureInfo.InvariantCulture)} Okafor{i.ToString(CultureInfo.InvariantCulture)} ");
        var names = new List<string>();
        var phones = new List<string>();
        var emails = new List<string>();
        var urls = new List<string>();
        var addresses = new List<string>();
        for (var i = 0; i < RuleSet.MaxEntries; i++)
        {
            if (lists == "names")
            {
                names.Add(Name(i));
                continue;
            }

            var number = i.ToString(CultureInfo.InvariantCulture);
            ((i % 5) switch { 0 => names, 1 => phones, 2 => emails, 3 => urls, _ => addresses }).Add((i % 5) switch
            {
                0 => Name(i),
                1 => $"+1 617 555 {number.PadLeft(4, '0')}",
                2 => Pad($"staff{number}@northfield{number}.example"),
                3 => Pad($"https://northfield{number}.example/clinics/"),
                _ => Pad($"{number} Elm Street, Springfield "),
            });
        }

        static string Array(IEnumerable<string> items) => "[" + string.Join(',', items.Select(i => System.Text.Json.JsonSerializer.Serialize(i))) + "]";
        return "{\"version\":1,\"allow\":{\"names\":" + Array(names) + ",\"phones\":" + Array(phones) + ",\"emails\":" + Array(emails)
            + ",\"urls\":" + Array(urls) + ",\"addresses\":" + Array(addresses) + "}}";
    }
}
