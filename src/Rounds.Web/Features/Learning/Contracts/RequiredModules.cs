using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Learning.Contracts;

/// <summary>
/// Which training modules the owner and backup of a requested account must have passed: the organization's
/// setting for the account's kind and platform, kept by the learning area behind <see cref="ITrainingRequirements"/>.
/// </summary>
public static class RequiredModules
{
    public static Task<IReadOnlyList<string>> ForAsync(ITrainingRequirements requirements, Guid organizationId, AccountKind kind, Platform platform, CancellationToken cancellationToken = default) =>
        requirements.RequiredModulesAsync(organizationId, KindKey(kind), platform.ToString().ToLowerInvariant(), cancellationToken);

    /// <summary>The account kinds as the training settings name them.</summary>
    public static string KindKey(AccountKind kind) => kind switch
    {
        AccountKind.Enterprise => "enterprise",
        AccountKind.Department => "department",
        AccountKind.Program => "program",
        AccountKind.IndividualProfessional => "individual",
        AccountKind.BrandedRole => "branded",
    };

    public static IReadOnlyList<string> AllKeys { get; } = ["introduction", "professionalism", "x", "linkedin", "facebook-instagram", "youtube", "measuring"];
}
