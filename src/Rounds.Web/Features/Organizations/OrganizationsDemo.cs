using Rounds.Web.Data;

namespace Rounds.Web.Features.Organizations;

/// <summary>Northfield's own email domain, so that its people join by their address.</summary>
internal sealed class OrganizationsDemo(RoundsDbContext db) : IDemoData
{
    public int Order => 0;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        db.OrganizationDomains.Add(new OrganizationDomain { OrganizationId = world.OrganizationId, Domain = "northfield.example" });
        await db.SaveChangesAsync(cancellationToken);
    }
}
