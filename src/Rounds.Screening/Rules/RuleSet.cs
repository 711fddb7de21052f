using System.Text.Json.Serialization;

namespace Rounds.Screening.Rules;

/// <summary>
/// Per-rule switches for one organisation. <see cref="Terms"/> adds trigger phrases to a policy rule, accepted
/// disclaimer wordings to <c>policy.disclaimer</c>, or local place names to <c>phi.location</c>.
/// </summary>
public sealed record RuleSettings(bool Enabled = true, Severity? Severity = null, IReadOnlyList<string>? Terms = null);

/// <summary>
/// The organisation's own details and people. In the social profile a match is not a finding: a staff name, the
/// hospital's phone, address or website. Matching ignores case, and phones compare by their digits.
/// </summary>
public sealed record AllowList(
    IReadOnlyList<string>? Names = null,
    IReadOnlyList<string>? Phones = null,
    IReadOnlyList<string>? Emails = null,
    IReadOnlyList<string>? Urls = null,
    IReadOnlyList<string>? Addresses = null)
{
    public static AllowList Empty { get; } = new();
}

/// <summary>Names and handles the organisation goes by, so a personal bio that mentions them names the employer.</summary>
public sealed record OrganizationInfo(IReadOnlyList<string>? Names = null, IReadOnlyList<string>? Handles = null)
{
    public static OrganizationInfo Empty { get; } = new();
}

public sealed record RuleSetError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Either a valid rule set or the list of everything wrong with the JSON, each naming its JSON path.</summary>
public sealed record RuleSetParseResult(RuleSet? RuleSet, IReadOnlyList<RuleSetError> Errors)
{
    public bool IsValid => RuleSet is not null;
}

/// <summary>
/// An organisation's screening configuration. It is data: the web host stores it as JSON per organisation
/// (<see cref="ToJson"/>, <see cref="Parse"/>, or System.Text.Json directly). Rules not mentioned keep their
/// defaults, so <see cref="Default"/> is simply the empty rule set.
/// </summary>
[JsonConverter(typeof(RuleSetJsonConverter))]
public sealed class RuleSet
{
    public RuleSet(
        IReadOnlyDictionary<string, RuleSettings>? rules = null,
        AllowList? allow = null,
        OrganizationInfo? organization = null)
    {
        var copy = new Dictionary<string, RuleSettings>(StringComparer.Ordinal);
        foreach (var (id, settings) in rules ?? new Dictionary<string, RuleSettings>())
        {
            if (RuleCatalog.Find(id) is null)
            {
                throw new ArgumentException($"Unknown rule '{id}'.", nameof(rules));
            }

            copy[id] = settings;
        }

        Rules = copy;
        Allow = allow ?? AllowList.Empty;
        Organization = organization ?? OrganizationInfo.Empty;
    }

    /// <summary>
    /// Entries in all lists together (allow-lists, organization names and handles, every rule's terms). A large
    /// health system's staff who appear in posts run to a few thousand names; far larger lists made every check
    /// slow (200,000 names took 1.4 s a post), so a rule set is capped and the cost of the largest one is measured
    /// (<c>bench/Rounds.Screening.Benchmarks</c>, <c>LargestRuleSet</c>).
    /// </summary>
    public const int MaxEntries = 5_000;

    /// <summary>Characters in one entry: a full name, a street address or a web address prefix fits with room to spare.</summary>
    public const int MaxEntryLength = 200;

    public static RuleSet Default { get; } = new();

    public IReadOnlyDictionary<string, RuleSettings> Rules { get; }

    public AllowList Allow { get; }

    public OrganizationInfo Organization { get; }

    public bool IsEnabled(string ruleId) => !Rules.TryGetValue(ruleId, out var s) || s.Enabled;

    public Severity SeverityOf(string ruleId) =>
        Rules.TryGetValue(ruleId, out var s) && s.Severity is { } severity ? severity : RuleCatalog.Get(ruleId).DefaultSeverity;

    public IReadOnlyList<string> TermsOf(string ruleId) =>
        Rules.TryGetValue(ruleId, out var s) && s.Terms is { } terms ? terms : [];

    public static RuleSetParseResult Parse(string json) => RuleSetJson.Parse(json);

    public string ToJson() => RuleSetJson.Write(this);
}
