using System.Globalization;
using System.Runtime.CompilerServices;

namespace Rounds.Screening.Text;

/// <summary>
/// A single forward pass that splits text into words, numbers and symbols with their UTF-16 offsets. Every detector
/// works on these tokens, so every finding starts and ends on a token boundary and never splits a surrogate pair.
/// </summary>
internal sealed class TokenizedText : IDisposable
{
    // Buffers are reused per thread (ScratchBuffers): allocating them per call would put long posts on the
    // large-object heap, and the full collections that follow make long inputs cost more than their length.
    private Token[] _tokens;
    private int[] _hashes;
    private ulong[]? _masks;
    private ulong[]? _phraseStarts;
    private Data.WordFacts[]? _facts;

    // The answers of the name and word lists kept for this thread, taken once per text: a text is screened on one
    // thread, and a thread-local read for every word looked up was a call into the runtime each time.
    private Data.NameData.RecentWords? _recentWords;

    // Counting is asked for by the linear-cost checks only: one counter bumped on every token read was a chain of
    // dependent increments through memory running the length of each screening.
    private readonly bool _counting;

    public TokenizedText(string text, bool countReads = false)
    {
        Text = text;
        _counting = countReads;
        Scratch = Scratch.OfThisThread;
        _tokens = ScratchBuffers<Token>.Rent(Scratch, text.Length + 1);
        Count = Tokenize(text, _tokens);
        _hashes = ScratchBuffers<int>.Rent(Scratch, Count + 1);
        for (var i = 0; i < Count; i++)
        {
            _hashes[i] = SpanTable<bool>.Hash(text.AsSpan(_tokens[i].Start, _tokens[i].Length));
        }
    }

    public string Text { get; }

    /// <summary>The buffers of the thread that made the text, which the text and its screening rent from.</summary>
    public Scratch Scratch { get; }

    public int Count { get; }

    /// <summary>
    /// Token reads so far, when the text was made to count them (zero otherwise): a deterministic measure of the
    /// work a screening did, which tests use to show that cost grows linearly with input without relying on a clock.
    /// </summary>
    public long Reads { get; private set; }

    public Token this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            Tally(1);
            return _tokens[index];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tally(int reads)
    {
        if (_counting)
        {
            Reads += reads;
        }
    }

    /// <summary>Hands the buffers back for reuse; the instance must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_tokens.Length > 0)
        {
            ScratchBuffers<Token>.Return(Scratch, _tokens);
            ScratchBuffers<int>.Return(Scratch, _hashes);
            if (_masks is not null)
            {
                ScratchBuffers<ulong>.Return(Scratch, _masks);
                _masks = null;
            }

            if (_phraseStarts is not null)
            {
                ScratchBuffers<ulong>.Return(Scratch, _phraseStarts);
                _phraseStarts = null;
            }

            if (_facts is not null)
            {
                ScratchBuffers<Data.WordFacts>.Return(Scratch, _facts);
                _facts = null;
            }

            _tokens = [];
            _hashes = [];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<char> Span(int index)
    {
        Tally(1);
        return Text.AsSpan(_tokens[index].Start, _tokens[index].Length);
    }

    public ReadOnlySpan<char> Span(int first, int last)
    {
        Tally(last - first + 1);
        return Text.AsSpan(_tokens[first].Start, _tokens[last].End - _tokens[first].Start);
    }

    public bool Is(int index, string word) =>
        (uint)index < (uint)Count && Span(index).Equals(word, StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSymbol(int index, char c)
    {
        Tally(1);
        return (uint)index < (uint)Count && _tokens[index].Kind == TokenKind.Symbol && Text[_tokens[index].Start] == c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsIn(int index, WordSet set)
    {
        if ((uint)index >= (uint)Count || !_tokens[index].IsWordLike)
        {
            return false;
        }

        if (set.Bit < 0)
        {
            return set.Contains(Span(index), _hashes[index]);
        }

        Tally(1);
        _masks ??= Masks();
        return (_masks[index] & (1UL << set.Bit)) != 0;
    }

    /// <summary>Every token's membership in the lexicon's sets, computed once on first use.</summary>
    private ulong[] Masks()
    {
        var vocabulary = Detection.Lexicon.Vocabulary;
        var masks = ScratchBuffers<ulong>.Rent(Scratch, Count + 1);
        for (var i = 0; i < Count; i++)
        {
            masks[i] = _tokens[i].IsWordLike ? vocabulary.MaskOf(Text.AsSpan(_tokens[i].Start, _tokens[i].Length), _hashes[i]) : 0;
        }

        return masks;
    }

    /// <summary>
    /// Every token's lexicon mask, zero for a symbol: the labeller reads a window of seven around each scored token,
    /// and one span for the post spares it the per-read check that the masks were computed.
    /// </summary>
    public ReadOnlySpan<ulong> LexiconMasks
    {
        get
        {
            Tally(1);
            _masks ??= Masks();
            return _masks.AsSpan(0, Count);
        }
    }

    /// <summary>The token's membership in every lexicon set as one bit mask (the sequence labeller's cue-word evidence).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(int index)
    {
        Tally(1);
        _masks ??= Masks();
        return _masks[index];
    }

    /// <summary>
    /// Which fixed phrase sets may start a phrase at the token (see <see cref="PhraseStartTable"/>), computed for
    /// every token on first use; outside the text every bit is set, so that the set's own look-up decides as before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PhraseStarts(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            return ulong.MaxValue;
        }

        _phraseStarts ??= PhraseStartMasks();
        return _phraseStarts[index];
    }

    private ulong[] PhraseStartMasks()
    {
        var masks = ScratchBuffers<ulong>.Rent(Scratch, Count + 1);
        for (var i = 0; i < Count; i++)
        {
            masks[i] = PhraseStartTable.MaskOf(Text.AsSpan(_tokens[i].Start, _tokens[i].Length), _hashes[i]);
        }

        return masks;
    }

    /// <summary>
    /// What the name and word lists say about the token, looked up in all of them the first time any is asked:
    /// the detectors and the labeller ask about the same token many times, and each list look-up is a random
    /// memory access.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Data.WordFacts Facts(int index)
    {
        Tally(1);

        // The answer already kept is the common case, inlined into the callers; the look-up is not.
        var kept = _facts;
        return kept is not null && kept[index].IsKnown ? kept[index] : LookUpFacts(index);
    }

    private Data.WordFacts LookUpFacts(int index)
    {
        if (_facts is null)
        {
            // A reused buffer still holds another post's facts; cleared, every entry reads as not looked up.
            _facts = ScratchBuffers<Data.WordFacts>.Rent(Scratch, Count + 1);
            Array.Clear(_facts, 0, Count + 1);
        }

        ref var facts = ref _facts[index];
        if (!facts.IsKnown)
        {
            _recentWords ??= Data.NameData.Shared.RecentOfThisThread();
            facts = _recentWords.FactsOf(Text.AsSpan(_tokens[index].Start, _tokens[index].Length), _hashes[index]);
        }

        return facts;
    }

    /// <summary>
    /// The value of a run of ASCII digits, as <see cref="int.Parse(ReadOnlySpan{char}, System.IFormatProvider?)"/>
    /// gives it for the short numbers the detectors read (a <see cref="TokenKind.Number"/> token is ASCII digits only).
    /// <c>int.Parse</c> without a culture reads the thread's culture, a thread-local read on every call.
    /// </summary>
    public static int DigitValue(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty || digits.Length > 9)
        {
            throw new FormatException($"Not a short run of digits: '{digits}'.");
        }

        var value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new FormatException($"Not a short run of digits: '{digits}'.");
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    /// <summary>The token's case-insensitive hash, computed once here for every list look-up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Hash(int index) => _hashes[index];

    /// <summary>True when the two tokens touch, with no space or other character between them.</summary>
    public bool Adjacent(int left, int right)
    {
        Tally(1);
        return _tokens[left].End == _tokens[right].Start;
    }

    public bool SameLine(int left, int right)
    {
        Tally(Math.Max(0, right - left));
        for (var i = left + 1; i <= right; i++)
        {
            if (_tokens[i].Has(TokenFlags.NewlineBefore))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSentenceEnd(int index)
    {
        if (_tokens[index].Kind != TokenKind.Symbol)
        {
            return false;
        }

        var c = Text[_tokens[index].Start];
        return c is '.' or '!' or '?' or '…' or ';' or '\n';
    }

    private static int Tokenize(string text, Token[] tokens)
    {
        var count = 0;
        var i = 0;
        var pendingFlags = TokenFlags.SentenceStart;
        var lastWasBoundary = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsSpace(c))
            {
                pendingFlags |= TokenFlags.SpaceBefore;
                if (c is '\n' or '\r' or '\u2028' or '\u2029')
                {
                    pendingFlags |= TokenFlags.NewlineBefore | TokenFlags.SentenceStart;
                }

                i++;
                continue;
            }

            var start = i;
            if (IsWordChar(c) && !IsMark(c))
            {
                var letters = false;
                var digits = false;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (char.IsAsciiDigit(d))
                    {
                        digits = true;
                        i++;
                    }
                    else if (char.IsAsciiLetter(d) || (d >= 128 && (char.IsLetter(d) || (IsMark(d) && i > start))))
                    {
                        letters = true;
                        i++;
                    }
                    else if (IsApostrophe(d) && letters && !digits && i + 1 < text.Length && char.IsLetter(text[i + 1])
                        && !IsPossessiveAt(text, i))
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                var flags = pendingFlags;
                if (IsPossessiveAt(text, i) && letters)
                {
                    flags |= TokenFlags.Possessive;
                }

                var kind = letters ? (digits ? TokenKind.Alnum : TokenKind.Word) : TokenKind.Number;
                if (letters)
                {
                    flags |= CaseFlags(text.AsSpan(start, i - start));
                }

                if (start > 0 && text[start - 1] == '#')
                {
                    flags |= TokenFlags.Hashtag;
                }
                else if (start > 0 && text[start - 1] == '@')
                {
                    flags |= TokenFlags.Handle;
                }

                if (lastWasBoundary)
                {
                    flags |= TokenFlags.SentenceStart;
                }

                tokens[count++] = new Token(start, i, kind, flags);
                if ((flags & TokenFlags.Possessive) != 0)
                {
                    i += 2;
                }

                pendingFlags = TokenFlags.None;
                lastWasBoundary = false;
                continue;
            }

            i += char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;

            // Variation selectors and joiners belong to the emoji before them.
            while (i < text.Length && IsEmojiTail(text[i]))
            {
                i++;
            }

            tokens[count++] = new Token(start, i, TokenKind.Symbol, pendingFlags);
            pendingFlags = TokenFlags.None;
            if (c is '.' or '!' or '?' or '…' or ';' or ':' || IsEmoji(text, start))
            {
                lastWasBoundary = true;
            }
            else if (c is not ('"' or '\'' or '“' or '”' or '‘' or '’' or '(' or ')' or '*' or '-' or '–' or '—'))
            {
                lastWasBoundary = false;
            }
        }

        return count;
    }

    private static TokenFlags CaseFlags(ReadOnlySpan<char> word)
    {
        var flags = TokenFlags.None;
        if (word.Length > 0 && char.IsUpper(word[0]))
        {
            flags |= TokenFlags.Capitalized;
            var allUpper = true;
            foreach (var ch in word)
            {
                if (char.IsLower(ch))
                {
                    allUpper = false;
                    break;
                }
            }

            if (allUpper && word.Length > 1)
            {
                flags |= TokenFlags.AllUpper;
            }
        }

        return flags;
    }

    private static bool IsPossessiveAt(string text, int i) =>
        i + 1 < text.Length && IsApostrophe(text[i]) && (text[i + 1] is 's' or 'S')
        && (i + 2 >= text.Length || !char.IsLetterOrDigit(text[i + 2]));

    private static bool IsApostrophe(char c) => c is '\'' or '’';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSpace(char c) =>
        c < 128 ? c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' : char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u2060' or '\uFEFF';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWordChar(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) : char.IsLetter(c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsMark(char c)
    {
        if (c < 0x300)
        {
            return false;
        }

        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark;
    }

    private static bool IsEmojiTail(char c) => c is '\uFE0F' or '\uFE0E' or '\u200D' || IsMark(c);

    private static bool IsEmoji(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c))
        {
            return true;
        }

        var category = char.GetUnicodeCategory(c);
        return category == UnicodeCategory.OtherSymbol;
    }
}
