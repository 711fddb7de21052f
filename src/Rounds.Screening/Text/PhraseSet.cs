using System.Runtime.CompilerServices;

namespace Rounds.Screening.Text;

/// <summary>
/// Multi-word phrases keyed by their first token, matched token by token (case-insensitive). A lookup costs one
/// hash probe plus the few phrases sharing that first word, so matching stays linear in the text.
/// </summary>
internal sealed class PhraseSet
{
    private readonly SpanTable<List<(string[] Words, int Weight, int Tag)>> _byFirst;

    public PhraseSet(IEnumerable<(string Phrase, int Weight)> phrases)
        : this(phrases.Select(p => (p.Phrase, p.Weight, 0)))
    {
    }

    /// <summary>The phrases as given, so sets can be merged.</summary>
    public List<(string Phrase, int Weight)> Entries { get; } = [];

    /// <summary>Phrases from several lists in one set, each tagged with its list, so one probe per token serves all.</summary>
    public PhraseSet(IEnumerable<(string Phrase, int Weight, int Tag)> phrases)
    {
        var byFirst = new Dictionary<string, List<(string[], int, int)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (phrase, weight, tag) in phrases)
        {
            Entries.Add((phrase, weight));
            var words = Split(phrase);
            if (words.Length == 0)
            {
                continue;
            }

            if (!byFirst.TryGetValue(words[0], out var list))
            {
                list = [];
                byFirst[words[0]] = list;
            }

            list.Add((words, weight, tag));
        }

        _byFirst = new SpanTable<List<(string[], int, int)>>(byFirst.Count);
        foreach (var (first, list) in byFirst)
        {
            // Longest first, so "no side effects" wins over "no".
            list.Sort((a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
            _byFirst.TryAdd(first, list);
        }

        _prefilter = new Prefilter(byFirst.Keys);
        FirstWords = [.. byFirst.Keys];
    }

    private readonly Prefilter _prefilter;

    /// <summary>This set's bit in the masks of <see cref="PhraseStartTable"/>, or -1 for a set not among them (a rule set's own).</summary>
    private int _bit = -1;

    /// <summary>The words the phrases start with, for building <see cref="PhraseStartTable"/>.</summary>
    internal string[] FirstWords { get; }

    internal int Bit => _bit;

    internal void AssignBit(int bit) => _bit = bit;

    /// <summary>
    /// False where no phrase of the set starts at the token: for the fixed sets one bit of the token's mask, read
    /// once per token for all of them (<see cref="TokenizedText.PhraseStarts"/>), instead of a look-up per set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayStartAt(TokenizedText text, int index) => _bit < 0 || (text.PhraseStarts(index) & (1UL << _bit)) != 0;

    /// <summary>Splits a phrase the way the tokenizer would: words, numbers and single symbols.</summary>
    public static string[] Split(string phrase)
    {
        using var tokens = new TokenizedText(phrase);
        var words = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            words[i] = tokens.Span(i).ToString();
        }

        return words;
    }

    /// <summary>Length in tokens and weight of the longest phrase starting at <paramref name="index"/>, or (0, 0).</summary>
    public (int Length, int Weight) Match(TokenizedText text, int index) => MayStartAt(text, index) ? MatchAt(text, index) : (0, 0);

    private (int Length, int Weight) MatchAt(TokenizedText text, int index)
    {
        var first = text.Span(index);
        if (!_prefilter.MayContain(first) || !_byFirst.TryGetValue(first, text.Hash(index), out var candidates))
        {
            return (0, 0);
        }

        foreach (var (words, weight, _) in candidates)
        {
            if (Matches(text, index, words))
            {
                return (words.Length, weight);
            }
        }

        return (0, 0);
    }

    /// <summary>
    /// The longest match starting at <paramref name="index"/> for each tag; lengths stay 0 where none matches.
    /// Returns whether any tag matched. <paramref name="lengths"/> and <paramref name="weights"/> must hold zeros:
    /// only a matched tag's entries are written, so the caller clears them after a match, not before every token.
    /// </summary>
    public bool MatchByTag(TokenizedText text, int index, Span<int> lengths, Span<int> weights)
    {
        if (!MayStartAt(text, index))
        {
            return false;
        }

        var first = text.Span(index);
        if (!_prefilter.MayContain(first) || !_byFirst.TryGetValue(first, text.Hash(index), out var candidates))
        {
            return false;
        }

        var any = false;
        foreach (var (words, weight, tag) in candidates)
        {
            if (lengths[tag] == 0 && Matches(text, index, words))
            {
                lengths[tag] = words.Length;
                weights[tag] = weight;
                any = true;
            }
        }

        return any;
    }

    private static bool Matches(TokenizedText text, int index, string[] words)
    {
        if (index + words.Length > text.Count)
        {
            return false;
        }

        for (var k = 1; k < words.Length; k++)
        {
            if (!text.Span(index + k).Equals(words[k], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The fixed phrase sets' first words in one table: one probe per token says which of them may start a phrase
/// there, as a bit mask, so that the several sets asked about every token (patient cues, consent, the policy
/// detector's phrases) cost a bit test each where no phrase starts, which is nearly everywhere. A few word sets
/// asked about every token (the profanity words and insults) have bits after the phrase sets'.
/// </summary>
internal static class PhraseStartTable
{
    internal static readonly PhraseSet[] Sets =
    [
        Detection.Lexicon.PatientCues, Detection.Lexicon.ConsentPhrases, Detection.Lexicon.StaffIntroductions,
        Detection.Lexicon.StateNames, Detection.Lexicon.Countries, Detection.NameDetector.PatientNameCues,
        Detection.NumberDetector.Labels, Policy.PolicyDetector.WeighedPhrases, Policy.PolicyDetector.KindWords,
    ];

    /// <summary>Word sets with a bit of their own, <see cref="WordBit"/>; the sets keep their own look-up, which the bit only spares.</summary>
    internal static readonly WordSet[] WordSets = [Policy.PolicyDetector.ProfaneWords, Policy.PolicyDetector.Insults];

    private static readonly Vocabulary Table = Build();

    /// <summary>The bit of <see cref="WordSets"/>[<paramref name="index"/>]: set exactly where the token is one of its words.</summary>
    public static int WordBit(int index) => Sets.Length + index;

    /// <summary>
    /// Builds the table, and with it gives the fixed sets their bits, if that has not happened yet: a set asks the
    /// masks only once it has a bit, so something other than a set must ask first. Screening does, per post.
    /// </summary>
    public static void EnsureBuilt() => GC.KeepAlive(Table);

    /// <summary>Which of the fixed sets have a phrase starting with the word (by its <see cref="SpanTable{TValue}.Hash"/>).</summary>
    public static ulong MaskOf(ReadOnlySpan<char> word, int hash) => Table.MaskOf(word, hash);

    private static Vocabulary Build()
    {
        // Copies of the word sets: a set given a bit by a vocabulary would answer from the lexicon's masks instead.
        var table = new Vocabulary([.. Sets.Select(set => new WordSet(set.FirstWords)), .. WordSets.Select(set => new WordSet(set.Words))]);

        // Bits are given out once the table answers for them: until then every set takes its own look-up.
        for (var bit = 0; bit < Sets.Length; bit++)
        {
            Sets[bit].AssignBit(bit);
        }

        return table;
    }
}
