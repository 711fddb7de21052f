using Rounds.Screening.Rules;
using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>A PHI span found by a detector, in token indexes (inclusive), before the profile's filters run.</summary>
internal readonly record struct PhiCandidate(int First, int Last, string Type, string Why, Tie Tie)
{
    /// <summary>The words around the span tie it to a patient or relative (<c>her cell</c>, <c>Mr.</c>).</summary>
    public bool LocalCue { get; init; }

    /// <summary>How sure the sequence labeller is (0–1); rule findings are 1. Below one half the finding goes to review.</summary>
    public float Confidence { get; init; } = 1f;

    /// <summary>For a name in the social profile: why it was read as a patient's rather than staff's.</summary>
    public string? Reason { get; init; }
}

/// <summary>What the social profile needs before it reports a candidate.</summary>
internal enum Tie
{
    /// <summary>Identifies a person whoever posts it: SSN, MRN, plate, device serial.</summary>
    Always,
    /// <summary>May be the organisation's own contact detail: phone, email, URL, address.</summary>
    Contact,
    /// <summary>May be a public event's date.</summary>
    Date,
    /// <summary>Only PHI when the post is about a patient: names, towns, ages, room numbers.</summary>
    Patient,
}

/// <summary>Everything the detectors of one screening call share: the tokens, the rules and what was found so far.</summary>
internal sealed class ScreeningContext : IDisposable
{
    private bool[] _claimed;
    private TokenizedText? _bio;
    private bool? _writesInCapitals;

    /// <param name="countReads">Whether the text counts its token reads (<see cref="TokenizedText.Reads"/>), for the linear-cost checks.</param>
    public ScreeningContext(Post post, Profile profile, CompiledRuleSet rules, bool countReads = false)
    {
        Post = post;
        Profile = profile;
        Rules = rules;
        PhraseStartTable.EnsureBuilt();
        Text = new TokenizedText(post.Text ?? string.Empty, countReads);
        _claimed = ScratchBuffers<bool>.RentCleared(Text.Scratch, Text.Count + 1);
        Candidates = Text.Scratch.SpareCandidates ?? new(16);
        Text.Scratch.SpareCandidates = null;
    }

    public Post Post { get; }

    public void Dispose()
    {
        Text.Dispose();
        _bio?.Dispose();
        if (_claimed.Length > 0)
        {
            ScratchBuffers<bool>.Return(Text.Scratch, _claimed);
            _claimed = [];

            // A list grown by one huge post is not kept.
            if (Candidates.Capacity <= 1024)
            {
                Candidates.Clear();
                Text.Scratch.SpareCandidates = Candidates;
            }
        }
    }

    public Profile Profile { get; }

    public bool Strict => Profile == Profile.Strict;

    public CompiledRuleSet Rules { get; }

    public TokenizedText Text { get; }

    /// <summary>The bio, tokenized on first use: most calls never look at it.</summary>
    public TokenizedText? Bio => _bio ??= string.IsNullOrWhiteSpace(Post.Bio) ? null : new TokenizedText(Post.Bio);

    /// <summary>What the detectors found; emptied when the context is disposed, so it must not be kept beyond that.</summary>
    public List<PhiCandidate> Candidates { get; }

    /// <summary>
    /// Whether the writer opens sentences and lines with capitals (at least half of them). Where they do, a name or
    /// place written all in lower case is a common word; where they do not (texting style, all lower case), case
    /// says nothing.
    /// </summary>
    public bool WritesInCapitals => _writesInCapitals ??= CapitalizesSentences(Text);

    private static bool CapitalizesSentences(TokenizedText text)
    {
        var starts = 0;
        var capitalized = 0;
        for (var i = 0; i < text.Count; i++)
        {
            var token = text[i];
            if (token.Kind == TokenKind.Word && token.Has(TokenFlags.SentenceStart) && !token.Has(TokenFlags.Hashtag | TokenFlags.Handle))
            {
                starts++;
                capitalized += token.Has(TokenFlags.Capitalized) || token.Has(TokenFlags.AllUpper) ? 1 : 0;
            }
        }

        return starts > 0 && capitalized * 2 >= starts;
    }

    /// <summary>How strongly the post is about one patient's care; see <see cref="PatientContext"/>.</summary>
    public int PatientScore { get; set; }

    /// <summary>The part of <see cref="PatientScore"/> that comes from care words rather than the word "patient".</summary>
    public int ClinicalScore { get; set; }

    public bool Consent { get; set; }

    public bool IsClaimed(int first, int last)
    {
        for (var i = first; i <= last; i++)
        {
            if (_claimed[i])
            {
                return true;
            }
        }

        return false;
    }

    public bool IsClaimed(int index) => _claimed[index];

    public void Add(PhiCandidate candidate)
    {
        Candidates.Add(candidate);
        for (var i = candidate.First; i <= candidate.Last; i++)
        {
            _claimed[i] = true;
        }
    }

    /// <summary>True when the word occurs in the account bio, which describes the organisation, not a patient.</summary>
    public bool InBio(ReadOnlySpan<char> word)
    {
        // Only the bio's first words are compared: bios are short, and the cap keeps a huge one from costing per token.
        var bio = Bio;
        for (var i = 0; bio is not null && i < Math.Min(bio.Count, 128); i++)
        {
            if (bio[i].IsWordLike && bio.Span(i).Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
