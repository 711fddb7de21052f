using System.Numerics;
using System.Runtime.CompilerServices;
using Rounds.Screening.Detection;
using Rounds.Screening.Text;

namespace Rounds.Screening.Learning;

/// <summary>
/// Turns each token of a screened post into hashed feature keys for the sequence labeller. The features are what the
/// rule detectors already know: the word and its neighbours, word shape and casing, name and place list membership
/// with their frequencies, the lexicon's cue-word sets around the token, hashtag and @handle position, the account
/// kind and bio, the rule detectors' own candidates and the social profile's judgement of them.
/// </summary>
internal sealed class FeatureExtractor
{
    /// <summary>Upper bound of keys per token; the lexicon windows are the only variable part.</summary>
    public const int MaxFeatures = 128;

    // Candidate evidence per token: the candidate's tag, and bits for start-of-span, tie, local cue and "kept".
    private readonly byte[] _candidateTag;
    private readonly byte[] _candidateInfo;
    private readonly ScreeningContext _ctx;
    private readonly ulong _post;
    private readonly ulong[] _shapes;

    public FeatureExtractor(ScreeningContext ctx, IReadOnlyList<PhiCandidate> kept)
    {
        _ctx = ctx;
        var count = ctx.Text.Count;

        // Per-thread buffers, cleared here and handed back by Release: fresh arrays per post were a tenth of what
        // the garbage collector had to clear and collect while screening.
        _candidateTag = ScratchBuffers<byte>.RentCleared(ctx.Text.Scratch, count + 1);
        _candidateInfo = ScratchBuffers<byte>.RentCleared(ctx.Text.Scratch, count + 1);
        _shapes = ScratchBuffers<ulong>.RentCleared(ctx.Text.Scratch, count + 1);
        foreach (var candidate in ctx.Candidates)
        {
            Mark(candidate, kept: false);
        }

        foreach (var candidate in kept)
        {
            Mark(candidate, kept: true);
        }

        // Post-level evidence: how much the post is about a patient's care, stated consent, the account kind.
        _post = (ulong)(uint)Math.Clamp(ctx.PatientScore, 0, 6) | ((ulong)(uint)Math.Clamp(ctx.ClinicalScore, 0, 4) << 4)
                | ((ctx.Consent ? 1UL : 0UL) << 8) | ((ulong)(uint)ctx.Post.Kind << 9);
    }

    public int Count => _ctx.Text.Count;

    /// <summary>The buffers of the thread screening the post.</summary>
    public Scratch Scratch => _ctx.Text.Scratch;

    /// <summary>Hands the per-post buffers back for the next post; the extractor must not be used afterwards.</summary>
    public void Release()
    {
        ScratchBuffers<byte>.Return(_ctx.Text.Scratch, _candidateTag);
        ScratchBuffers<byte>.Return(_ctx.Text.Scratch, _candidateInfo);
        ScratchBuffers<ulong>.Return(_ctx.Text.Scratch, _shapes);
    }

    private void Mark(PhiCandidate candidate, bool kept)
    {
        if (!Tags.IsKnown(candidate.Type))
        {
            return;
        }

        var tag = (byte)Tags.Of(candidate.Type);
        for (var i = candidate.First; i <= candidate.Last; i++)
        {
            _candidateTag[i] = tag;
            var info = (byte)(((int)candidate.Tie << 1) | (candidate.LocalCue ? 8 : 0) | (kept ? 16 : 0) | (i == candidate.First ? 1 : 0));
            _candidateInfo[i] = kept ? info : (byte)(_candidateInfo[i] | info);
        }
    }

    /// <summary>The shape of a token, used by the caller for the features that pair it with the previous tag.</summary>
    public ulong ShapeOf(int index)
    {
        if (index < 0 || index >= Count)
        {
            return 0xFFFF;
        }

        // Every shape has a non-zero length part, so zero marks "not computed yet".
        var shape = _shapes[index];
        return shape != 0 ? shape : _shapes[index] = Shape(_ctx.Text, index);
    }

    /// <summary>
    /// True when the token is not scored while the previous tag is "outside": a symbol (spans never start with one),
    /// or a lower-case common word that no detector candidate covers, that is in no cue-word set (a "photo", a month)
    /// and that is not a common given name. Most tokens of a
    /// post are such, and skipping them is what keeps the model's cost per megabyte small. Training skips the same
    /// tokens, so the model never relies on scoring them; a lower-case surname after a given name is still scored,
    /// because the previous tag is then a name.
    /// </summary>
    public bool Skippable(int i)
    {
        var text = _ctx.Text;
        var token = text[i];
        if (_candidateTag[i] != 0)
        {
            return false;
        }

        if (token.Kind == TokenKind.Symbol)
        {
            return true;
        }

        return token.Kind == TokenKind.Word && (token.Flags & (TokenFlags.Capitalized | TokenFlags.Hashtag | TokenFlags.Handle)) == 0
               && text.Mask(i) == 0 && text.Facts(i) is { IsCommon: true, IsStrongFirstName: false };
    }

    /// <summary>Writes the token's static feature keys (everything except the previous tag) and returns how many.</summary>
    public int Extract(int i, Span<ulong> keys)
    {
        var text = _ctx.Text;
        var n = 0;
        var token = text[i];
        keys[n++] = BiasKey;
        keys[n++] = Key(2, Word(text, i));
        keys[n++] = Key(3, Word(text, i - 1));
        keys[n++] = Key(4, Word(text, i + 1));
        var candidate = _candidateTag[i];
        var info = _candidateInfo[i];
        var evidence = candidate == 0 ? 0UL : candidate | ((ulong)info << 8);
        keys[n++] = EvidenceKey(candidate, info);
        keys[n++] = Key(6, evidence | (_post << 16));
        keys[n++] = Key(7, (ulong)candidate | ((ulong)(info & 16) << 4) | ((_post & 0xF) << 12) | ((ulong)(uint)_ctx.Post.Kind << 20));
        var shape = ShapeOf(i);
        keys[n++] = Key(8, shape);
        if (!token.IsWordLike)
        {
            // Symbols carry little on their own; their neighbours and the candidate they sit in decide.
            keys[n++] = Key(9, ShapeOf(i - 1) | (ShapeOf(i + 1) << 32));
            keys[n++] = Key(10, (ulong)candidate | ((ulong)_candidateTag[Math.Max(0, i - 1)] << 8) | ((ulong)_candidateTag[Math.Min(Count - 1, i + 1)] << 16));
            return n;
        }

        keys[n++] = Key(11, Word(text, i - 2));
        keys[n++] = Key(12, Word(text, i + 2));
        keys[n++] = Key(13, ShapeOf(i - 1));
        keys[n++] = Key(14, ShapeOf(i + 1));
        keys[n++] = Key(15, ShapeOf(i - 1) ^ (shape << 20) ^ (ShapeOf(i + 1) << 40));
        keys[n++] = Key(16, Suffix(text, i));
        keys[n++] = KindKey(token.Flags, token.Kind);
        keys[n++] = Key(18, (ulong)token.Flags | (_post << 20));

        if (token.Kind == TokenKind.Word)
        {
            var facts = text.Facts(i);
            var first = Bucket(facts.FirstNameCount);
            var sur = Bucket(facts.SurnameCount);
            var common = facts.IsCommon ? 1UL : 0UL;
            var place = facts.IsPlace ? 1UL : 0UL;
            var capital = token.Has(TokenFlags.Capitalized) ? 1UL : 0UL;
            var start = token.Has(TokenFlags.SentenceStart) ? 1UL : 0UL;
            keys[n++] = FirstNameKeys[first];
            keys[n++] = SurnameKeys[sur];
            keys[n++] = NameListKey(first | (sur << 4) | (common << 8) | (place << 9) | (capital << 10) | (start << 11));
            keys[n++] = Key(22, first | (sur << 4) | (common << 8) | (capital << 10) | (_post << 12));
            keys[n++] = PlaceKey(place | (capital << 1) | (common << 2) | ((ulong)_candidateTag[Math.Max(0, i - 1)] << 3));
            if (capital == 1 && !_ctx.Strict && _ctx.InBio(text.Span(i)))
            {
                keys[n++] = Key(24, 1);
            }

            if (_ctx.Rules.AllowedNameWords.Count > 0 && _ctx.Rules.AllowedNameWords.Contains(text.Span(i)))
            {
                keys[n++] = Key(25, 1);
            }
        }
        else if (token.Kind == TokenKind.Number)
        {
            keys[n++] = Key(26, NumberFeature(text.Span(i)));

            // "a 100-year-old building": whose age it is shows in the noun after the age phrase, beyond the window.
            var noun = NounAfterAge(text, i);
            if (noun >= 0)
            {
                keys[n++] = Key(29, Word(text, noun));
                keys[n++] = Key(30, text.Mask(noun));
            }
        }

        // Cue words around the token: every lexicon set the neighbours belong to, by relative position. A symbol's
        // mask is zero, so it adds no key.
        var masks = text.LexiconMasks;
        for (int k = Math.Max(0, i - 3), last = Math.Min(Count - 1, i + 3); k <= last; k++)
        {
            var mask = masks[k];
            while (mask != 0 && n < MaxFeatures - 8)
            {
                var bit = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                keys[n++] = CueKeys[((k - i + 3) << 6) | bit];
            }
        }

        keys[n++] = StaffKeys[StaffEvidence(i, masks)];

        // A contact detail or address after "Questions? Call" or "Referrals:" in a post with little patient evidence
        // is the organisation's own; beside a patient's story it may not be.
        if (candidate != 0 && ContactCueDistance(i) is var cue and not 0)
        {
            keys[n++] = Key(33, (ulong)candidate | ((ulong)Math.Min(cue, (byte)4) << 8) | ((_post & 0xF) << 12));
        }

        // The role word before a name ("physiologists Dana Pruitt", "PT Lisa Choi"): its ending generalises to roles
        // no list holds. A name joined by "and" or a comma to an earlier one shares that one's role word.
        if (token.Has(TokenFlags.Capitalized))
        {
            var role = RoleWordBefore(i);
            if (role >= 0)
            {
                keys[n++] = Key(31, Suffix(text, role));
                keys[n++] = Key(32, Word(text, role));
            }
        }

        return n;
    }

    // The keys of the templates with few values, hashed once: the same keys as Key gives, without its multiplies
    // for each token.
    private static readonly ulong BiasKey = Key(1, 0);
    private static readonly ulong[] FirstNameKeys = Keys(19, 9, v => v);
    private static readonly ulong[] SurnameKeys = Keys(20, 9, v => v);
    private static readonly ulong[] CueKeys = Keys(27, 7 * 64, v => (v & 63) | (((v >> 6) + 5) << 8));
    private static readonly ulong[] StaffKeys = Keys(28, 64, v => v);

    // The name-list evidence: two counts' buckets (at most 8, four bits each) and four yes-or-no facts.
    private static readonly ulong[] NameListKeys = Keys(21, 1 << 12, v => v);

    // Place, capital and common, and the previous token's candidate tag (five bits: fewer than 32 tags).
    private static readonly ulong[] PlaceKeys = Keys(23, 1 << 8, v => v);

    // A candidate's tag (five bits) and its information byte (five bits used) in ten bits, spread back to the template's value.
    private static readonly ulong[] EvidenceKeys = Keys(5, 1 << 10, v => (v & 31) | ((v >> 5) << 8));

    // Every combination of the token flags, for each token kind.
    private static readonly int FlagValues = (int)Enum.GetValues<TokenFlags>().Aggregate((a, b) => a | b) + 1;
    private static readonly ulong[] KindKeys = Keys(17, FlagValues * 4, v => (v % (ulong)FlagValues) | ((v / (ulong)FlagValues) << 16));

    /// <summary>The key of a token's detector evidence (template 5): none, or its candidate's tag and information.</summary>
    internal static ulong EvidenceKey(byte candidate, byte info) => EvidenceKeys[candidate == 0 ? 0 : candidate | (info << 5)];

    /// <summary>The key of a token's flags with its kind (template 17).</summary>
    internal static ulong KindKey(TokenFlags flags, TokenKind kind) => KindKeys[((int)kind * FlagValues) + (int)flags];

    /// <summary>The key of the name lists' evidence (template 21), from a table of every value.</summary>
    internal static ulong NameListKey(ulong value) => NameListKeys[value];

    /// <summary>The key of the place evidence with the previous candidate (template 23), from a table of every value.</summary>
    internal static ulong PlaceKey(ulong value) => PlaceKeys[value];

    /// <summary>The keys of one template for the values <paramref name="value"/> gives for 0 to <paramref name="count"/> − 1.</summary>
    internal static ulong[] Keys(int template, int count, Func<ulong, ulong> value)
    {
        var keys = new ulong[count];
        for (var v = 0; v < count; v++)
        {
            keys[v] = Key(template, value((ulong)v));
        }

        return keys;
    }

    private static readonly ulong StaffTitleBit = 1UL << Lexicon.StaffTitles.Bit;
    private static readonly ulong HonorificBit = 1UL << Lexicon.Honorifics.Bit;
    private static readonly ulong RelativeBit = 1UL << Lexicon.Relatives.Bit;
    private static readonly ulong StaffSuffixBit = 1UL << Lexicon.StaffSuffixes.Bit;

    /// <summary>
    /// The signs that a name belongs to a member of staff or a public figure rather than a patient: a title or an
    /// introduction before it, a credential after it. Summed into one value so that they combine with each other.
    /// </summary>
    private ulong StaffEvidence(int i, ReadOnlySpan<ulong> masks)
    {
        var text = _ctx.Text;

        // The cue-word sets are bits of each token's lexicon mask (zero for a symbol), so the window is a few mask
        // reads, not three set look-ups per token.
        var before = 0UL;
        for (var k = Math.Max(0, i - 3); k < i; k++)
        {
            before |= masks[k];
        }

        var bits = (before & StaffTitleBit) != 0 ? 1UL : 0;
        bits |= (before & HonorificBit) != 0 ? 2UL : 0;
        bits |= (before & RelativeBit) != 0 ? 4UL : 0;
        for (var k = i + 1; k < Math.Min(Count, i + 4); k++)
        {
            if (text.IsSentenceEnd(k))
            {
                break;
            }

            var mask = masks[k];
            bits |= (mask & StaffSuffixBit) != 0 && text[k].Has(TokenFlags.AllUpper) ? 8UL : 0;
            bits |= (mask & StaffTitleBit) != 0 ? 16UL : 0;
        }

        var (length, _) = Lexicon.StaffIntroductions.Match(text, Math.Max(0, i - 3));
        bits |= length > 0 ? 32UL : 0;
        return bits;
    }

    /// <summary>
    /// How far back, in tokens (at most 12), the nearest reader-contact cue within the same sentence or line is, or
    /// 0 for none; a question mark or colon after the cue does not end its reach. Asked only for tokens inside a
    /// detector's candidate: a pass over every token of every post cost more than the few tokens that use it.
    /// </summary>
    internal byte ContactCueDistance(int i)
    {
        var text = _ctx.Text;
        for (var k = i - 1; k >= Math.Max(0, i - 12); k--)
        {
            if (text.IsIn(k, Lexicon.ReaderContactCues))
            {
                return (byte)(i - k);
            }

            if (text.IsSentenceEnd(k) && !text.IsSymbol(k, '?') && !text.IsSymbol(k, ':'))
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>The word before the run of capitalised words (and the conjuncts before it) that contains token i.</summary>
    private int RoleWordBefore(int i)
    {
        var text = _ctx.Text;
        var k = i - 1;
        for (var guard = 0; guard < 12 && k >= 0; guard++)
        {
            var token = text[k];
            if (token.IsWordLike && token.Has(TokenFlags.Capitalized) && !text.IsIn(k, Lexicon.Honorifics) && !text.IsIn(k, Lexicon.StaffTitles))
            {
                k--;
                continue;
            }

            if (text.IsSymbol(k, '.') || text.IsSymbol(k, ',') || text.Is(k, "and") || text.IsSymbol(k, '&'))
            {
                k--;
                continue;
            }

            return token.IsWordLike ? k : -1;
        }

        return -1;
    }

    private int NounAfterAge(TokenizedText text, int i)
    {
        for (var k = i + 1; k < Math.Min(Count, i + 8); k++)
        {
            if (text[k].IsWordLike && !text.Is(k, "year") && !text.Is(k, "years") && !text.Is(k, "yr") && !text.Is(k, "old"))
            {
                return k;
            }

            if (text.IsSentenceEnd(k))
            {
                break;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Key(int template, ulong value)
    {
        // SplitMix64 finaliser: spreads template and value over all 64 bits, so the table needs no second hash.
        var z = value + ((ulong)template << 56) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private ulong Word(TokenizedText text, int index) =>
        index < 0 ? 0xFFFF_FFFF_0001UL : index >= Count ? 0xFFFF_FFFF_0002UL : (uint)text.Hash(index);

    /// <summary>
    /// The count's number of decimal digits, at most 8 (0 for none): the order of magnitude, by comparisons rather
    /// than a logarithm per word (<c>LearningTests</c> checks it against <c>1 + ⌊log10⌋</c>).
    /// </summary>
    internal static ulong Bucket(int count) => count switch
    {
        <= 0 => 0,
        < 10 => 1,
        < 100 => 2,
        < 1_000 => 3,
        < 10_000 => 4,
        < 100_000 => 5,
        < 1_000_000 => 6,
        < 10_000_000 => 7,
        _ => 8,
    };

    /// <summary>Letter case and digit pattern with repeats collapsed (<c>Xx</c>, <c>dd-dd</c>, <c>XXdd</c>), plus a length bucket.</summary>
    private static ulong Shape(TokenizedText text, int index)
    {
        var span = text.Span(index);
        ulong shape = 0;
        var last = -1;
        var classes = 0;
        foreach (var c in span)
        {
            var cls = ShapeClass(c);
            if (cls == last)
            {
                continue;
            }

            last = cls;
            if (++classes > 6)
            {
                break;
            }

            shape = (shape << 7) | (uint)cls;
        }

        var length = (ulong)Math.Min(span.Length, 12);
        return shape | (length << 48);
    }

    /// <summary>
    /// A character's class in <see cref="Shape"/>: upper case, lower case, digit, or the character itself folded.
    /// ASCII, nearly every character of a post, is decided by ranges; the Unicode category tables behind
    /// <see cref="char.IsUpper(char)"/> answer the same for it, and still decide the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ShapeClass(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterUpper(c) ? 1 : char.IsAsciiLetterLower(c) ? 2 : char.IsAsciiDigit(c) ? 3 : 4 + (c % 61);
        }

        return char.IsUpper(c) ? 1 : char.IsLower(c) ? 2 : 4 + (c % 61);
    }

    /// <summary>A character folded for <see cref="Suffix"/>: ASCII by its one case bit, the rest by the invariant culture.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static char SuffixChar(char c) =>
        c < 128 ? (char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c) : char.ToLowerInvariant(c);

    private static ulong Suffix(TokenizedText text, int index)
    {
        var span = text.Span(index);
        ulong value = 0;
        for (var k = Math.Max(0, span.Length - 3); k < span.Length; k++)
        {
            value = (value << 16) | SuffixChar(span[k]);
        }

        return value;
    }

    /// <summary>Digit count and, for short numbers, the range a value falls in (ages over 89, days, years).</summary>
    private static ulong NumberFeature(ReadOnlySpan<char> digits)
    {
        var length = (ulong)Math.Min(digits.Length, 12);
        if (digits.Length > 4)
        {
            return length;
        }

        var value = TokenizedText.DigitValue(digits);
        var range = value switch
        {
            0 => 1UL,
            <= 12 => 2UL,
            <= 31 => 3UL,
            <= 89 => 4UL,
            <= 125 => 5UL,
            < 1900 => 6UL,
            <= 2099 => 7UL,
            _ => 8UL,
        };
        return length | (range << 8);
    }
}
