namespace Rounds.Screening;

/// <summary>The kind of account a post is published from; several policy rules depend on it.</summary>
public enum AccountKind
{
    Enterprise,
    Department,
    Program,
    Personal,
    Branded,
}

/// <summary>
/// <see cref="Social"/> asks what a public post may not reveal; <see cref="Strict"/> is de-identification grade
/// for free text such as clinical notes, where every name, specific date and small place counts.
/// </summary>
public enum Profile
{
    Social,
    Strict,
}

public enum Verdict
{
    Pass,
    Review,
    Block,
}

public enum Category
{
    Phi,
    Policy,
}

/// <summary>
/// <see cref="High"/> blocks the post, <see cref="Medium"/> sends it to review, <see cref="Low"/> is advice that
/// leaves the verdict alone.
/// </summary>
public enum Severity
{
    Low,
    Medium,
    High,
}

/// <summary>A post to screen. <paramref name="Bio"/> is the account's profile text, when there is one.</summary>
public sealed record Post(string Text, AccountKind Kind = AccountKind.Enterprise, string? Bio = null);

/// <summary>
/// One screening result. <see cref="Start"/> and <see cref="End"/> are UTF-16 offsets into the post text, end
/// exclusive; both are null for a finding about the whole post or about the account bio.
/// </summary>
public sealed record Finding(
    Category Category,
    string Type,
    int? Start,
    int? End,
    Severity Severity,
    string Rule,
    string Message,
    string Suggestion);

public sealed record ScreeningResult(Verdict Verdict, IReadOnlyList<Finding> Findings);
