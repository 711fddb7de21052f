namespace Rounds.Web.Features.Organizations.Contracts;

/// <summary>
/// Email domains whose DNS an organization has proven it controls (decision 20), for areas that extend something
/// to everyone on an organization's domain without knowing how a domain is claimed or proven.
/// </summary>
public interface IProvenDomains
{
    /// <summary>The organizations holding <paramref name="domain"/> as proven; lower case, without the at sign.</summary>
    Task<IReadOnlyList<Guid>> OrganizationsProvingAsync(string domain, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ProvenDomainsAsync(Guid organizationId, CancellationToken cancellationToken = default);
}
