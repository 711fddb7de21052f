using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations.Contracts;

namespace Rounds.Web.Features.Organizations;

internal sealed class ProvenDomains(RoundsDbContext db) : IProvenDomains
{
    public async Task<IReadOnlyList<Guid>> OrganizationsProvingAsync(string domain, CancellationToken cancellationToken = default)
    {
        var normalized = domain.Trim().ToLowerInvariant();
        return await db.OrganizationDomains.IgnoreQueryFilters()
            .Where(d => d.Domain == normalized && d.VerifiedAt != null).Select(d => d.OrganizationId).Distinct().ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ProvenDomainsAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await db.OrganizationDomains.IgnoreQueryFilters()
            .Where(d => d.OrganizationId == organizationId && d.VerifiedAt != null).Select(d => d.Domain).OrderBy(d => d).ToListAsync(cancellationToken);
}
