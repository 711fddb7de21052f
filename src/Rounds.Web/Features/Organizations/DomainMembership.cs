using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations.Contracts;

namespace Rounds.Web.Features.Organizations;

/// <summary>
/// Keeps automatic memberships in line with a person's verified address: a confirmed address on a domain the
/// organization has proven it controls makes them a member; changing it away removes the memberships the domain gave.
/// OrganizationMembers granted by hand or by invitation are never touched here. A place a course grant gave becomes
/// the domain's while the address is on it, and goes back to the grant's when it leaves (<see cref="IMembershipGrounds"/>).
/// </summary>
public sealed class DomainMembership(RoundsDbContext db, IAuditLog audit, IEnumerable<IMembershipGrounds> grounds) : IEmailAddressListener
{
    public static string? DomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 ? null : email![(at + 1)..].Trim().ToLowerInvariant();
    }

    /// <summary>The source another area keeps the person's place under once the domain no longer gives it; null for none.</summary>
    public async Task<MemberSource?> KeptAsync(Guid organizationId, string userId, CancellationToken cancellationToken = default)
    {
        foreach (var ground in grounds)
        {
            if (await ground.KeepsAsync(organizationId, userId, cancellationToken) is { } source)
            {
                return source;
            }
        }

        return null;
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
            // A place the person also holds on other grounds (a course given to them) stays, on those grounds.
            if (await KeptAsync(membership.OrganizationId, user.Id, cancellationToken) is { } kept)
            {
                membership.Source = kept;
                audit.Record(membership.OrganizationId, "membership.domain_left", "OrganizationMember", membership.Id.ToString(),
                    before: new { user.Id, source = MemberSource.Domain.ToString() }, after: new { user.Id, source = kept.ToString() });
                continue;
            }

            db.OrganizationMembers.Remove(membership);
            audit.Record(membership.OrganizationId, "membership.domain_removed", "OrganizationMember", membership.Id.ToString(),
                before: new { user.Id, membership.Role, reason = "address no longer on the organization's domain" });
        }

        // A person who joined only to take a course given to them becomes a member by the domain, with everything
        // the organization gives its people, while their address is on it; the grants stay on record.
        foreach (var membership in current.Where(m => m.Source == MemberSource.CourseGrant && matching.Contains(m.OrganizationId)))
        {
            membership.Source = MemberSource.Domain;
            audit.Record(membership.OrganizationId, "membership.domain_joined", "OrganizationMember", membership.Id.ToString(),
                before: new { user.Id, source = MemberSource.CourseGrant.ToString() }, after: new { user.Id, user.Email, source = MemberSource.Domain.ToString() });
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
