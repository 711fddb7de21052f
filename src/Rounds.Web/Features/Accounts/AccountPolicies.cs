using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>Reads and changes an organization's account policy; an organization that never set one has the defaults.</summary>
public sealed class AccountPolicies(RoundsDbContext db, IAuditLog audit)
{
    public async Task<AccountPolicy> GetAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await db.Set<AccountPolicy>().AsNoTracking().FirstOrDefaultAsync(p => p.OrganizationId == organizationId, cancellationToken)
        ?? new AccountPolicy { OrganizationId = organizationId };

    /// <summary>The committee's user ids: the configured people who are reviewers or admins, else every reviewer and admin.</summary>
    public async Task<List<string>> CommitteeAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var policy = await GetAsync(organizationId, cancellationToken);
        var emails = PeopleLists.Split(policy.Committee).Select(e => e.ToUpperInvariant()).ToList();
        return await (from m in db.OrganizationMembers
                      join u in db.People() on m.UserId equals u.Id
                      where m.OrganizationId == organizationId && m.Role >= Role.Reviewer && (emails.Count == 0 || emails.Contains(u.NormalizedEmail!))
                      orderby u.DisplayName
                      select u.Id).ToListAsync(cancellationToken);
    }

    public async Task<Outcome> SaveAsync(OrgContext org, int dormancyDays, string? quorum, string? committee, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins configure the account policy.");
        }

        if (dormancyDays is < 7 or > 365)
        {
            return Outcome.Invalid("DormancyDays", "Choose between 7 and 365 days.");
        }

        if (!AccountNames.TryParse<Quorum>(quorum, out var parsedQuorum))
        {
            return Outcome.Invalid("Quorum", "Choose any or all.");
        }

        var emails = PeopleLists.Split(committee ?? "").ToList();
        var normalized = emails.Select(e => e.ToUpperInvariant()).ToList();
        var known = await (from m in db.OrganizationMembers
                           join u in db.People() on m.UserId equals u.Id
                           where m.OrganizationId == org.Id && m.Role >= Role.Reviewer && normalized.Contains(u.NormalizedEmail!)
                           select u.NormalizedEmail).ToListAsync(cancellationToken);
        var unknown = emails.Where(e => !known.Contains(e.ToUpperInvariant())).ToList();
        if (unknown.Count > 0)
        {
            return Outcome.Invalid("Committee", "Committee members must be reviewers or admins here: " + string.Join(", ", unknown) + ".");
        }

        var policy = await db.Set<AccountPolicy>().FirstOrDefaultAsync(p => p.OrganizationId == org.Id, cancellationToken);
        var before = policy is null ? null : new { policy.DormancyDays, Quorum = AccountNames.Key(policy.Quorum), policy.Committee };
        if (policy is null)
        {
            policy = new AccountPolicy { OrganizationId = org.Id };
            db.Add(policy);
        }

        policy.DormancyDays = dormancyDays;
        policy.Quorum = parsedQuorum;
        policy.Committee = string.Join(", ", emails);
        audit.Record(org.Id, "account_policy.updated", "AccountPolicy", org.Id.ToString(), before, new { policy.DormancyDays, Quorum = AccountNames.Key(policy.Quorum), policy.Committee });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
