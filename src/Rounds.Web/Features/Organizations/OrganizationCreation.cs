namespace Rounds.Web.Features.Organizations;

/// <summary>
/// Who may create organizations on this instance (<c>Organizations:Creation</c>): <c>anyone</c> signed in, or
/// <c>operators</c> only (<c>Rounds:Operators</c>). Operators only unless set, except in Development, where a
/// developer tries things out. See docs/decisions/0016-instance-operators-dev-mailbox-and-who-creates-organizations.md.
/// </summary>
public sealed record OrganizationCreation(bool OperatorsOnly)
{
    public const string Setting = "Organizations:Creation";

    public static OrganizationCreation From(IConfiguration configuration, IHostEnvironment environment) =>
        configuration[Setting]?.Trim().ToLowerInvariant() switch
        {
            "anyone" => new(OperatorsOnly: false),
            "operators" => new(OperatorsOnly: true),
            null or "" => new(OperatorsOnly: !environment.IsDevelopment()),
            var other => throw new InvalidOperationException($"{Setting} is '{other}'; use 'anyone' or 'operators'."),
        };
}
