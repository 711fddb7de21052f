namespace Rounds.Web.Features.Organizations;

public sealed class Organization
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>URL name, e.g. <c>northfield</c>; unique and lower case.</summary>
    public string Slug { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Admins and reviewers must use two-factor sign-in before they can act for the organization.</summary>
    public bool RequireTwoFactorForStaff { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public List<OrganizationDomain> Domains { get; set; } = [];
}

/// <summary>An email domain whose verified addresses join the organization as members.</summary>
public sealed class OrganizationDomain
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Domain { get; set; } = "";
}
