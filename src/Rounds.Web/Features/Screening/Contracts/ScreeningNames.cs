using Rounds.Screening;

namespace Rounds.Web.Features.Screening.Contracts;

public static class ScreeningNames
{
    /// <summary>The stored and API spelling of a verdict back to the verdict; anything else is a stored value gone bad.</summary>
    public static Verdict ParseVerdict(string value) => value switch
    {
        "pass" => Verdict.Pass,
        "review" => Verdict.Review,
        "block" => Verdict.Block,
        _ => throw new FormatException($"'{value}' is not a verdict."),
    };

    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Review => "review",
        Verdict.Block => "block",
    };

    public static string Of(Category category) => category switch
    {
        Category.Phi => "phi",
        Category.Policy => "policy",
    };

    public static string Of(Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
    };

    public static string Of(AccountKind kind) => kind switch
    {
        AccountKind.Enterprise => "enterprise",
        AccountKind.Department => "department",
        AccountKind.Program => "program",
        AccountKind.Personal => "personal",
        AccountKind.Branded => "branded",
    };

    /// <summary>Absent means the organization's main account, the most common case.</summary>
    public static bool TryParseKind(string? value, out AccountKind kind)
    {
        kind = AccountKind.Enterprise;
        return string.IsNullOrWhiteSpace(value) || value.All(char.IsAsciiLetter) && Enum.TryParse(value, ignoreCase: true, out kind);
    }

    public static bool TryParseProfile(string? value, out Profile profile)
    {
        profile = Profile.Social;
        return string.IsNullOrWhiteSpace(value) || value.All(char.IsAsciiLetter) && Enum.TryParse(value, ignoreCase: true, out profile);
    }
}
