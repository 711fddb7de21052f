using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Requests;

/// <summary>Reading requests: the list, one request with its people and history, and what still stands in its way.</summary>
public sealed class RequestQueries(RoundsDbContext db, IAccountDirectory accounts, ITrainingRecords training, ITrainingRequirements requirements, IModuleTitles moduleTitles)
{
    /// <summary>The communications team sees every request; everyone else sees their own.</summary>
    public static bool SeesAll(OrgContext org) => org.IsAtLeast(Role.AccountManager);

    /// <summary>The request, when it is in the organization and the person may see it; the use cases start here.</summary>
    public async Task<AccountRequest?> FindAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var request = await db.Set<AccountRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        return request is null || (!SeesAll(org) && request.RequesterId != org.UserId) ? null : request;
    }

    public Task<List<AccountRequest>> ListAsync(OrgContext org, RequestStatus? status = null, CancellationToken cancellationToken = default)
    {
        var query = db.Set<AccountRequest>().Where(r => r.OrganizationId == org.Id);
        if (!SeesAll(org))
        {
            query = query.Where(r => r.RequesterId == org.UserId);
        }

        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        return query.OrderByDescending(r => r.UpdatedAt).ToListAsync(cancellationToken);
    }

    public async Task<RequestView?> GetAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var request = await FindAsync(org, id, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var ids = new[] { request.RequesterId, request.OwnerId, request.BackupId }.OfType<string>().ToList();
        var people = await db.People().Where(u => ids.Contains(u.Id)).Select(u => new PersonRef(u.Id, u.DisplayName, u.Email!)).ToListAsync(cancellationToken);
        var history = await db.Set<RequestEvent>().Where(e => e.RequestId == id).OrderBy(e => e.At).ToListAsync(cancellationToken);
        var votes = await (from v in db.Set<RequestVote>()
                           join u in db.People() on v.UserId equals u.Id
                           where v.RequestId == id
                           orderby v.At
                           select new { v, u.DisplayName }).ToListAsync(cancellationToken);
        var quorum = await accounts.CommitteeQuorumAsync(org.Id, cancellationToken);
        var committee = await accounts.CommitteeAsync(org.Id, cancellationToken);
        return new RequestView(
            request,
            people.FirstOrDefault(p => p.Id == request.RequesterId) ?? new PersonRef(request.RequesterId, "(former member)", ""),
            people.FirstOrDefault(p => p.Id == request.OwnerId),
            people.FirstOrDefault(p => p.Id == request.BackupId),
            history,
            votes.Select(x => (x.v, x.DisplayName)).ToList(),
            await UnmetRequirementsAsync(request, cancellationToken),
            committee,
            quorum,
            votes.Where(x => x.v.Approve && committee.Contains(x.v.UserId)).Select(x => x.v.UserId).Distinct().Count(),
            await ApprovalsNeededAsync(accounts, org.Id, committee, cancellationToken));
    }

    /// <summary>
    /// How many distinct committee members must approve: every member when the quorum is "all", else the
    /// organization's minimum. Never fewer than one, so an empty committee approves nothing.
    /// </summary>
    public static async Task<int> ApprovalsNeededAsync(IAccountDirectory accounts, Guid organizationId, IReadOnlyList<string> committee, CancellationToken cancellationToken = default)
    {
        var minimum = Math.Max(1, await accounts.CommitteeMinimumApproversAsync(organizationId, cancellationToken));
        return await accounts.CommitteeQuorumAsync(organizationId, cancellationToken) == Quorum.All ? Math.Max(minimum, committee.Count) : minimum;
    }

    public Task<IReadOnlyList<string>> RequiredModulesAsync(AccountRequest request, CancellationToken cancellationToken = default) =>
        RequiredModules.ForAsync(requirements, request.OrganizationId, request.Kind, request.Platform, cancellationToken);

    /// <summary>The required modules by the titles people know them by, for pages and notices.</summary>
    public async Task<IReadOnlyList<string>> RequiredModuleTitlesAsync(AccountRequest request, CancellationToken cancellationToken = default)
    {
        var keys = await RequiredModulesAsync(request, cancellationToken);
        var titles = await moduleTitles.TitlesAsync(request.OrganizationId, keys, cancellationToken);
        return keys.Select(k => titles[k]).ToList();
    }

    /// <summary>What still stands between the request and the committee, in words.</summary>
    public async Task<IReadOnlyList<string>> UnmetRequirementsAsync(AccountRequest request, CancellationToken cancellationToken)
    {
        var unmet = new List<string>();
        var modules = await RequiredModules.ForAsync(requirements, request.OrganizationId, request.Kind, request.Platform, cancellationToken);
        foreach (var (who, userId, policy, seat) in new[] { ("owner", request.OwnerId, request.OwnerAcceptedPolicy, request.OwnerHasSeat), ("backup", request.BackupId, request.BackupAcceptedPolicy, request.BackupHasSeat) })
        {
            if (userId is null)
            {
                unmet.Add($"no {who} named");
                continue;
            }

            var missing = await training.MissingModulesAsync(request.OrganizationId, userId, modules, cancellationToken);
            if (missing.Count > 0)
            {
                var titles = await moduleTitles.TitlesAsync(request.OrganizationId, missing, cancellationToken);
                unmet.Add($"the {who} has not passed {string.Join(", ", missing.Select(k => titles[k]))}");
            }

            if (!policy)
            {
                unmet.Add($"the {who} has not accepted the social media policy");
            }

            if (!seat)
            {
                unmet.Add($"the {who} has no seat on the management platform");
            }
        }

        return unmet;
    }
}
