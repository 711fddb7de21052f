namespace Rounds.Screening.Text;

internal enum TokenKind : byte
{
    Word,
    Number,
    /// <summary>Letters and digits run together, e.g. <c>CKD4471</c> or <c>10am</c>.</summary>
    Alnum,
    /// <summary>One punctuation mark, symbol or emoji (a surrogate pair stays whole).</summary>
    Symbol,
}

[Flags]
internal enum TokenFlags : ushort
{
    None = 0,
    SpaceBefore = 1,
    NewlineBefore = 2,
    Capitalized = 4,
    AllUpper = 8,
    /// <summary>The word was followed by <c>'s</c>, which is not part of the token.</summary>
    Possessive = 16,
    /// <summary>Capitalisation says nothing here: start of text, sentence, line, or after an emoji.</summary>
    SentenceStart = 32,
    Hashtag = 64,
    Handle = 128,
}

internal readonly record struct Token(int Start, int End, TokenKind Kind, TokenFlags Flags)
{
    public int Length => End - Start;

    public bool Has(TokenFlags flag) => (Flags & flag) != 0;

    public bool IsWordLike => Kind != TokenKind.Symbol;
}
