namespace Rounds.Web.Features.Organizations;

/// <summary>An email domain whose verified addresses join the organization as members.</summary>
public sealed class OrganizationDomain : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Domain { get; set; } = "";
}
