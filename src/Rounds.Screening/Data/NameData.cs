using System.IO.Compression;
using System.Reflection;
using Rounds.Screening.Text;

namespace Rounds.Screening.Data;

/// <summary>
/// The Census and SSA name lists, the Census Gazetteer places and the common-word list, loaded once per process
/// on first use. Screening code asks for <see cref="Shared"/>; the load takes a few tens of milliseconds of CPU.
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

    /// <summary>
    /// Reads the lists afresh; <see cref="Shared"/> does this once. The three files load in parallel, and each goes
    /// from its decompressed bytes straight into its table: no string per line, so `rounds screen` starts without
    /// allocating (and collecting) 300,000 short-lived strings.
    /// </summary>
    internal static NameData Load()
    {
        var firstTask = Task.Run(() => LoadCounts("first-names.txt.gz", StrongFirstNameCount));
        var surTask = Task.Run(() => LoadCounts("surnames.txt.gz", int.MaxValue));
        var placesTask = Task.Run(LoadPlaces);
        var (first, strong) = firstTask.GetAwaiter().GetResult();
        var (sur, _) = surTask.GetAwaiter().GetResult();
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

        return new NameData(first, sur, places, longest, new WordSet(common)) { StrongFirstNames = new WordSet(strong) };
    }

    /// <summary>A list of tab-separated word and count lines, and the words whose count reaches <paramref name="strong"/>.</summary>
    private static (WordCounts Counts, List<string> Strong) LoadCounts(string resource, int strong)
    {
        byte[] utf8;
        using (var stream = Open(resource))
        {
            utf8 = GzipResource.ReadAll(stream);
        }

        var counts = new WordCounts(utf8.AsSpan().Count((byte)'\n') + 1, utf8.Length);
        var strongWords = new List<string>();
        var word = new char[64];
        foreach (var range in utf8.AsSpan().Split((byte)'\n'))
        {
            var line = utf8.AsSpan(range).TrimEnd((byte)'\r');
            var tab = line.IndexOf((byte)'\t');
            if (tab <= 0 || !int.TryParse(line[(tab + 1)..], out var count))
            {
                continue;
            }

            var name = Decode(line[..tab], ref word);
            counts.Stage(name, count);
            if (count >= strong)
            {
                strongWords.Add(name.ToString());
            }
        }

        counts.Seal();
        return (counts, strongWords);
    }

    private static (WordSet Places, int Longest) LoadPlaces()
    {
        byte[] utf8;
        using (var stream = Open("us-places.txt.gz"))
        {
            utf8 = GzipResource.ReadAll(stream);
        }

        var places = new WordSet(utf8.AsSpan().Count((byte)'\n') + 1, utf8.Length);
        var longest = 1;
        var name = new char[64];
        foreach (var range in utf8.AsSpan().Split((byte)'\n'))
        {
            var line = utf8.AsSpan(range).TrimEnd((byte)'\r');
            var tab = line.IndexOf((byte)'\t');
            var chars = Decode(tab < 0 ? line : line[..tab], ref name);
            if (IsPlainPlaceName(chars, out var words))
            {
                places.Stage(chars);
            }
            else
            {
                var key = PlaceKey(chars.ToString(), out words);
                if (key.Length == 0)
                {
                    continue;
                }

                places.Stage(key);
            }

            longest = Math.Max(longest, words);
        }

        places.Seal();
        return (places, longest);
    }

    /// <summary>
    /// True when a name is ASCII letters in words joined by single spaces, which is already its
    /// <see cref="PlaceKey"/> (most of the Gazetteer): those skip the tokenizer.
    /// </summary>
    internal static bool IsPlainPlaceName(ReadOnlySpan<char> name, out int words)
    {
        words = name.IsEmpty ? 0 : 1;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == ' ' && i > 0 && i < name.Length - 1 && name[i - 1] != ' ')
            {
                words++;
            }
            else if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return words > 0;
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8, ref char[] buffer)
    {
        if (buffer.Length < utf8.Length)
        {
            buffer = new char[utf8.Length];
        }

        return buffer.AsSpan(0, System.Text.Encoding.UTF8.GetChars(utf8, buffer));
    }

    /// <summary>Births above which a given name is common enough to be read as a name even in lower case.</summary>
    public const int StrongFirstNameCount = 20_000;

    /// <summary>Given names with at least <see cref="StrongFirstNameCount"/> births: a small set with a fast pre-check.</summary>
    public WordSet StrongFirstNames { get; private init; } = WordSet.Of();

    [ThreadStatic]
    private static RecentWords? _recent;

    /// <summary>
    /// Every list's answer for one word, with a hash computed earlier (the tokenizer's). Asking the lists costs
    /// five probes, two of them random reads in tables of megabytes; the words of posts repeat (Zipf), so the
    /// answers for recent words are kept per thread in a table of under 1 MB, allocated when a thread first screens.
    /// </summary>
    public WordFacts FactsOf(ReadOnlySpan<char> word, int hash) => RecentOfThisThread().FactsOf(word, hash);

    /// <summary>
    /// This thread's table of recent answers, for a caller that asks about every word of a text on one thread: it
    /// keeps the table and spares each word the thread-local read, a call into the runtime on every look-up.
    /// </summary>
    internal RecentWords RecentOfThisThread()
    {
        var recent = _recent;
        if (recent?.Lists != this)
        {
            _recent = recent = new RecentWords(this);
        }

        return recent;
    }

    private WordFacts AskEveryList(ReadOnlySpan<char> word, int hash) => new(
        FirstNames.Get(word, hash), Surnames.Get(word, hash), Places.Contains(word, hash), CommonWords.Contains(word, hash),
        StrongFirstNames.Contains(word, hash));

    /// <summary>
    /// A table of the last words looked up, each entry holding the word's exact characters: a hit needs the very
    /// same word, so it answers what the lists would, whatever their case rules. 16,384 entries in sets of two
    /// (under 1 MB): with one entry per set, a few thousand words a post stream repeats missed one time in five.
    /// </summary>
    internal sealed class RecentWords(NameData lists)
    {
        private const int EntryBits = 14;
        private const int LongestWord = 16;

        private readonly int[] _lengths = new int[1 << EntryBits];
        private readonly char[] _words = new char[(1 << EntryBits) * LongestWord];
        private readonly WordFacts[] _facts = new WordFacts[1 << EntryBits];

        public NameData Lists { get; } = lists;

        public WordFacts FactsOf(ReadOnlySpan<char> word, int hash)
        {
            // An empty entry has length zero, so the empty word is never kept.
            if (word.IsEmpty || word.Length > LongestWord)
            {
                return Lists.AskEveryList(word, hash);
            }

            // Two ways per set, so that two frequent words sharing a set do not evict each other on every post. The
            // tokenizer's hash is FNV, whose low bits mix poorly; a multiply spreads its high bits over the sets.
            var first = (int)(((uint)hash * 0x9E3779B1u) >> (33 - EntryBits)) << 1;
            for (var entry = first; entry <= first + 1; entry++)
            {
                if (_lengths[entry] == word.Length && word.SequenceEqual(_words.AsSpan(entry * LongestWord, word.Length)))
                {
                    return _facts[entry];
                }
            }

            // The newer word takes the first way and the older moves to the second, which drops the oldest.
            _words.AsSpan(first * LongestWord, _lengths[first]).CopyTo(_words.AsSpan((first + 1) * LongestWord));
            _lengths[first + 1] = _lengths[first];
            _facts[first + 1] = _facts[first];
            var facts = Lists.AskEveryList(word, hash);
            word.CopyTo(_words.AsSpan(first * LongestWord));
            _lengths[first] = word.Length;
            _facts[first] = facts;
            return facts;
        }
    }

    // The per-token questions go through the text's cache of facts, which holds the shared lists' answers; lists
    // read afresh (a test's own copy) answer for themselves.

    /// <summary>Given-name count of a token.</summary>
    public int FirstNameCount(TokenizedText text, int index) => Facts(text, index).FirstNameCount;

    public int SurnameCount(TokenizedText text, int index) => Facts(text, index).SurnameCount;

    public bool IsCommon(TokenizedText text, int index) => Facts(text, index).IsCommon;

    /// <summary>True when the token alone is a place name.</summary>
    public bool IsPlace(TokenizedText text, int index) => Facts(text, index).IsPlace;

    public bool IsStrongFirstName(TokenizedText text, int index) => Facts(text, index).IsStrongFirstName;

    private WordFacts Facts(TokenizedText text, int index) =>
        SharedData.IsValueCreated && ReferenceEquals(this, SharedData.Value) ? text.Facts(index) : AskEveryList(text.Span(index), text.Hash(index));

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

    internal static Stream Open(string resource) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream("Rounds.Screening.Data." + resource)
        ?? throw new InvalidOperationException($"The screening data resource {resource} is missing from the assembly.");
}
