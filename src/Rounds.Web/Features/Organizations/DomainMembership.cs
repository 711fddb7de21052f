using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;

namespace Rounds.Web.Features.Organizations;

/// <summary>
/// Keeps automatic memberships in line with a person's verified address: a confirmed address on a domain the
/// organization has proven it controls makes them a member; changing it away removes the memberships the domain gave.
/// OrganizationMembers granted by hand or by invitation are never touched here.
/// </summary>
public sealed class DomainMembership(RoundsDbContext db, IAuditLog audit) : IEmailAddressListener
{
    public static string? DomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 ? null : email![(at + 1)..].Trim().ToLowerInvariant();
    }

    public Task AddressConfirmedAsync(PersonCard person, CancellationToken cancellationToken = default) => SyncAsync(person, cancellationToken);

    public async Task SyncAsync(PersonCard user, CancellationToken cancellationToken = default)
    {
        var domain = user.EmailConfirmed ? DomainOf(user.Email) : null;
        var matching = domain is null
            ? []
            : await db.OrganizationDomains.Where(d => d.Domain == domain && d.VerifiedAt != null).Select(d => d.OrganizationId).Distinct().ToListAsync(cancellationToken);

        var current = await db.OrganizationMembers.Where(m => m.UserId == user.Id).ToListAsync(cancellationToken);

        foreach (var membership in current.Where(m => m.Source == MemberSource.Domain && !matching.Contains(m.OrganizationId)))
        {
            db.OrganizationMembers.Remove(membership);
            audit.Record(membership.OrganizationId, "membership.domain_removed", "OrganizationMember", membership.Id.ToString(),
                before: new { user.Id, membership.Role, reason = "address no longer on the organization's domain" });
        }

        foreach (var organizationId in matching.Where(id => current.All(m => m.OrganizationId != id)))
        {
            var membership = new OrganizationMember { OrganizationId = organizationId, UserId = user.Id, Role = Role.Member, Source = MemberSource.Domain };
            db.OrganizationMembers.Add(membership);
            audit.Record(organizationId, "membership.domain_joined", "OrganizationMember", membership.Id.ToString(),
                after: new { user.Id, user.Email, Role = Roles.Key(Role.Member) });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
