using Rounds.Web.Data;

namespace Rounds.Web.Features.Organizations;

/// <summary>Northfield's own email domain, so that its people join by their address.</summary>
internal sealed class OrganizationsDemo(RoundsDbContext db, TimeProvider clock) : IDemoData
{
    public int Order => 0;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        // .example domains have no DNS to prove them with; the demo's is seeded as proven.
        db.OrganizationDomains.Add(new OrganizationDomain
        {
            OrganizationId = world.OrganizationId,
            Domain = "northfield.example",
            VerificationToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            VerifiedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
