using System.IO.Compression;
using System.Reflection;
using Rounds.Screening.Text;

namespace Rounds.Screening.Data;

/// <summary>
/// The Census and SSA name lists, the Census Gazetteer places and the common-word list, loaded once per process
/// on first use. Screening code asks for <see cref="Shared"/>; the load takes a few hundred milliseconds.
/// </summary>
internal sealed class NameData
{
    private static readonly Lazy<NameData> SharedData = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private NameData(WordCounts firstNames, WordCounts surnames, WordSet places, int longestPlace, WordSet commonWords)
    {
        FirstNames = firstNames;
        Surnames = surnames;
        Places = places;
        LongestPlace = longestPlace;
        CommonWords = commonWords;
    }

    public static NameData Shared => SharedData.Value;

    /// <summary>Given name to the number of US births 1920–2019 (SSA).</summary>
    public WordCounts FirstNames { get; }

    /// <summary>Surname to the number of people in the 2010 Census.</summary>
    public WordCounts Surnames { get; }

    /// <summary>Place names, words joined by one space with punctuation dropped (<c>St Louis</c>).</summary>
    public WordSet Places { get; }

    /// <summary>The most words any place name has, which bounds the place look-up window.</summary>
    public int LongestPlace { get; }

    public WordSet CommonWords { get; }

    /// <summary>Reads the lists afresh; <see cref="Shared"/> does this once. The three files load in parallel.</summary>
    internal static NameData Load()
    {
        var firstTask = Task.Run(() => ReadCounts("first-names.txt.gz"));
        var surTask = Task.Run(() => ReadCounts("surnames.txt.gz"));
        var placesTask = Task.Run(ReadPlaces);
        var first = firstTask.GetAwaiter().GetResult();
        var sur = surTask.GetAwaiter().GetResult();
        var (places, longest) = placesTask.GetAwaiter().GetResult();

        var common = new List<string>(2_000);
        using (var reader = new StreamReader(Open("common-words.txt")))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith('#'))
                {
                    continue;
                }

                common.AddRange(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        var strongFirst = new WordSet(first.Where(f => f.Item2 >= StrongFirstNameCount).Select(f => f.Item1));
        return new NameData(new WordCounts(first), new WordCounts(sur), new WordSet(places), longest, new WordSet(common)) { StrongFirstNames = strongFirst };
    }

    /// <summary>Births above which a given name is common enough to be read as a name even in lower case.</summary>
    public const int StrongFirstNameCount = 20_000;

    /// <summary>Given names with at least <see cref="StrongFirstNameCount"/> births: a small set with a fast pre-check.</summary>
    public WordSet StrongFirstNames { get; private init; } = WordSet.Of();

    /// <summary>Given-name count of a token, using the token's precomputed hash.</summary>
    public int FirstNameCount(TokenizedText text, int index) => FirstNames.Get(text.Span(index), text.Hash(index));

    public int SurnameCount(TokenizedText text, int index) => Surnames.Get(text.Span(index), text.Hash(index));

    public bool IsCommon(TokenizedText text, int index) => CommonWords.Contains(text.Span(index), text.Hash(index));

    private static (List<string> Places, int Longest) ReadPlaces()
    {
        var places = new List<string>(50_000);
        var longest = 1;
        foreach (var line in ReadLines("us-places.txt.gz"))
        {
            var tab = line.IndexOf('\t');
            var key = PlaceKey(tab < 0 ? line : line[..tab], out var words);
            if (key.Length > 0)
            {
                places.Add(key);
                longest = Math.Max(longest, words);
            }
        }

        return (places, longest);
    }

    /// <summary>Normalises a place name the way tokens are joined when text is looked up.</summary>
    public static string PlaceKey(string name, out int words)
    {
        using var tokens = new TokenizedText(name);
        var parts = new List<string>(4);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsWordLike)
            {
                parts.Add(tokens.Span(i).ToString());
            }
        }

        words = parts.Count;
        return string.Join(' ', parts);
    }

    /// <summary>The raw lists, for the training-data generator, which samples names and towns from them.</summary>
    internal static List<(string Word, int Count)> ReadFirstNames() => ReadCounts("first-names.txt.gz");

    internal static List<(string Word, int Count)> ReadSurnames() => ReadCounts("surnames.txt.gz");

    internal static IEnumerable<string> ReadPlaceLines() => ReadLines("us-places.txt.gz");

    private static List<(string, int)> ReadCounts(string resource)
    {
        var counts = new List<(string, int)>(170_000);
        foreach (var line in ReadLines(resource))
        {
            var tab = line.IndexOf('\t');
            if (tab > 0 && int.TryParse(line.AsSpan(tab + 1), out var count))
            {
                counts.Add((line[..tab], count));
            }
        }

        return counts;
    }

    private static IEnumerable<string> ReadLines(string resource)
    {
        using var gzip = new GZipStream(Open(resource), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static Stream Open(string resource) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream("Rounds.Screening.Data." + resource)
        ?? throw new InvalidOperationException($"The screening data resource {resource} is missing from the assembly.");
}
