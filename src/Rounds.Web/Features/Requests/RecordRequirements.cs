using Rounds.Web.Data;

namespace Rounds.Web.Features.Requests;

/// <summary>The communications team's record that the owner and backup accepted the policy and have a seat.</summary>
public sealed class RecordRequirements(RoundsDbContext db, RequestQueries queries, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome> RecordAsync(OrgContext org, Guid id, RequirementsInput input, CancellationToken cancellationToken = default)
    {
        var request = await queries.FindAsync(org, id, cancellationToken);
        if (request is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Role.AccountManager))
        {
            return Outcome.Refused("Only the communications team records the requirements.");
        }

        if (request.Status != RequestStatus.Requirements)
        {
            return Outcome.Refused("Requirements are recorded while the request is at the requirements step.");
        }

        var before = new { request.OwnerAcceptedPolicy, request.BackupAcceptedPolicy, request.OwnerHasSeat, request.BackupHasSeat };
        request.OwnerAcceptedPolicy = input.OwnerAcceptedPolicy;
        request.BackupAcceptedPolicy = input.BackupAcceptedPolicy;
        request.OwnerHasSeat = input.OwnerHasSeat;
        request.BackupHasSeat = input.BackupHasSeat;
        request.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, "account_request.requirements", "AccountRequest", request.Id.ToString(), before, input);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
