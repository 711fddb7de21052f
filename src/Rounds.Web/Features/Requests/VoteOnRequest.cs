using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Requests;

/// <summary>A committee member's vote on a request in committee review.</summary>
public sealed class VoteOnRequest(RoundsDbContext db, RequestQueries queries, IAccountDirectory accounts, IAuditLog audit, TimeProvider clock)
{
    /// <summary>A committee member's vote and comment; voting again replaces the earlier vote.</summary>
    public async Task<Outcome> VoteAsync(OrgContext org, Guid id, bool approve, string? comment, CancellationToken cancellationToken = default)
    {
        var request = await queries.FindAsync(org, id, cancellationToken);
        if (request is null)
        {
            return Outcome.NotFound;
        }

        if (!(await accounts.CommitteeAsync(org.Id, cancellationToken)).Contains(org.UserId))
        {
            return Outcome.Refused("Only members of the account committee vote on requests.");
        }

        if (request.Status != RequestStatus.CommitteeReview)
        {
            return Outcome.Refused("Votes are cast while the request is in committee review.");
        }

        var vote = await db.Set<RequestVote>().FirstOrDefaultAsync(v => v.RequestId == id && v.UserId == org.UserId, cancellationToken);
        if (vote is null)
        {
            vote = new RequestVote { OrganizationId = org.Id, RequestId = id, UserId = org.UserId };
            db.Add(vote);
        }

        vote.Approve = approve;
        vote.Comment = (comment ?? "").Trim();
        vote.At = clock.GetUtcNow();
        audit.Record(org.Id, "account_request.voted", "AccountRequest", request.Id.ToString(), after: new { approve, vote.Comment });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
