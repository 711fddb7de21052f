namespace Rounds.Screening.Data;

/// <summary>
/// What the name and word lists say about one word: its given-name and surname counts and whether it is a place,
/// a common word or a common given name. Detectors and the labeller ask these about the same token many times, so
/// the tokenized text looks them up together once per token (<see cref="Text.TokenizedText.Facts"/>).
/// </summary>
internal readonly struct WordFacts
{
    private const byte Known = 1;
    private const byte Place = 2;
    private const byte Common = 4;
    private const byte StrongFirst = 8;

    private readonly byte _flags;

    public WordFacts(int firstNameCount, int surnameCount, bool place, bool common, bool strongFirstName)
    {
        FirstNameCount = firstNameCount;
        SurnameCount = surnameCount;
        _flags = (byte)(Known | (place ? Place : 0) | (common ? Common : 0) | (strongFirstName ? StrongFirst : 0));
    }

    public int FirstNameCount { get; }

    public int SurnameCount { get; }

    /// <summary>False for the default value, which a token's cache entry holds until it is first looked up.</summary>
    public bool IsKnown => (_flags & Known) != 0;

    public bool IsPlace => (_flags & Place) != 0;

    public bool IsCommon => (_flags & Common) != 0;

    /// <summary>In <see cref="NameData.StrongFirstNames"/>.</summary>
    public bool IsStrongFirstName => (_flags & StrongFirst) != 0;
}
