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

    /// <summary>The most approvers an organization may ask for; a committee is a handful of people.</summary>
    public const int MaxMinimumApprovers = 9;

    /// <summary>Saves the policy; a null <paramref name="minimumApprovers"/> keeps the one in force.</summary>
    public async Task<Outcome> SaveAsync(OrgContext org, int dormancyDays, string? quorum, string? committee, int? minimumApprovers = null, CancellationToken cancellationToken = default)
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

        if (minimumApprovers is < 1 or > MaxMinimumApprovers)
        {
            return Outcome.Invalid("MinimumApprovers", $"Choose between 1 and {MaxMinimumApprovers} approvers.");
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

        // A named committee smaller than the approvals it needs could never approve anything.
        var policy = await db.Set<AccountPolicy>().FirstOrDefaultAsync(p => p.OrganizationId == org.Id, cancellationToken);
        // A save that leaves the number alone must still not shrink the committee below it.
        var needed = minimumApprovers ?? policy?.MinimumApprovers ?? 1;
        if (emails.Count > 0 && emails.Count < needed)
        {
            return Outcome.Invalid("MinimumApprovers", $"The committee names {emails.Count} {(emails.Count == 1 ? "person" : "people")}; it cannot give {needed} approvals. Name more members or ask for fewer.");
        }

        var before = policy is null ? null : new { policy.DormancyDays, Quorum = AccountNames.Key(policy.Quorum), policy.Committee, policy.MinimumApprovers };
        if (policy is null)
        {
            policy = new AccountPolicy { OrganizationId = org.Id };
            db.Add(policy);
        }

        policy.DormancyDays = dormancyDays;
        policy.Quorum = parsedQuorum;
        policy.Committee = string.Join(", ", emails);
        policy.MinimumApprovers = minimumApprovers ?? policy.MinimumApprovers;
        audit.Record(org.Id, "account_policy.updated", "AccountPolicy", org.Id.ToString(), before, new { policy.DormancyDays, Quorum = AccountNames.Key(policy.Quorum), policy.Committee, policy.MinimumApprovers });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
