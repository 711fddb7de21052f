using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Requests;

/// <summary>Writing a request: a new one (saved as a draft or submitted at once), or changes to one's own draft.</summary>
public sealed class DraftRequest(RoundsDbContext db, RequestQueries queries, MoveRequest move, IAuditLog audit, ICurrentActor actor, TimeProvider clock)
{
    /// <summary>Saves a new request as a draft, or submits it at once when <paramref name="submit"/> is set.</summary>
    public async Task<Outcome<AccountRequest>> CreateAsync(OrgContext org, RequestInput input, bool submit, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return Outcome.Refused("Only contributors and above can request an account.");
        }

        var now = clock.GetUtcNow();
        var request = new AccountRequest { OrganizationId = org.Id, RequesterId = org.UserId, Status = RequestStatus.Draft, CreatedAt = now, UpdatedAt = now };
        var applied = await ApplyAsync(org, request, input, cancellationToken);
        if (!applied.Succeeded)
        {
            return applied;
        }

        // Submitting an incomplete request saves nothing: the form keeps what was typed and says, field by
        // field, what is missing; a draft saved behind the person's back would look submitted to them.
        if (submit && Incomplete(request) is { } incomplete)
        {
            return incomplete;
        }

        db.Add(request);
        db.Add(new RequestEvent { OrganizationId = org.Id, RequestId = request.Id, At = now, ActorName = actor.Name, From = RequestStatus.Draft, To = RequestStatus.Draft, Note = "Draft saved." });
        audit.Record(org.Id, "account_request.created", "AccountRequest", request.Id.ToString(), after: RequestText.Snapshot(request));
        await db.SaveChangesAsync(cancellationToken);
        if (submit)
        {
            var submitted = await move.TransitionAsync(org, request.Id, RequestStatus.Submitted, null, cancellationToken);
            if (!submitted.Succeeded)
            {
                // The draft is kept, so nothing typed is lost; the refusal says what is missing.
                return new Outcome<AccountRequest>(submitted, request);
            }
        }

        return new Outcome<AccountRequest>(Outcome.Success, request);
    }

    /// <summary>Field errors for everything a submitted request must have, or null when it is complete.</summary>
    public static Outcome? Incomplete(AccountRequest request)
    {
        var missing = RequestText.Missing(request);
        return missing.Count == 0
            ? null
            : new Outcome(OutcomeKind.Invalid, missing.ToDictionary(m => m.Field, m => new[] { $"Fill in {m.Label} before submitting." }),
                "Complete the request before submitting it: " + string.Join(", ", missing.Select(m => m.Label)) + ".");
    }

    /// <param name="submitting">When the changes are saved to submit at once: an incomplete request is then refused whole, and the draft stays as it was.</param>
    public async Task<Outcome> UpdateAsync(OrgContext org, Guid id, RequestInput input, bool submitting = false, CancellationToken cancellationToken = default)
    {
        var request = await queries.FindAsync(org, id, cancellationToken);
        if (request is null)
        {
            return Outcome.NotFound;
        }

        if (request.RequesterId != org.UserId)
        {
            return Outcome.Refused("Only the person who made the request can edit it.");
        }

        if (request.Status != RequestStatus.Draft)
        {
            return Outcome.Refused("Only a draft can be edited; a submitted request is in the communications team's hands.");
        }

        var before = RequestText.Snapshot(request);
        var applied = await ApplyAsync(org, request, input, cancellationToken);
        if (!applied.Succeeded)
        {
            db.ChangeTracker.Clear();
            return applied;
        }

        if (submitting && Incomplete(request) is { } incomplete)
        {
            db.ChangeTracker.Clear();
            return incomplete;
        }

        request.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, "account_request.updated", "AccountRequest", request.Id.ToString(), before, RequestText.Snapshot(request));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private async Task<Outcome> ApplyAsync(OrgContext org, AccountRequest request, RequestInput input, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(input.Platform))
        {
            if (!AccountNames.TryParse<Platform>(input.Platform, out var platform))
            {
                return Outcome.Invalid("Platform", "Choose a platform: " + AccountNames.Choices<Platform>() + ".");
            }

            request.Platform = platform;
        }

        if (!string.IsNullOrWhiteSpace(input.Kind))
        {
            if (!AccountNames.TryParse<AccountKind>(input.Kind, out var kind) || kind == AccountKind.Enterprise)
            {
                return Outcome.Invalid("Kind", "Choose department, program, individual professional or branded role; enterprise accounts are the communications team's own.");
            }

            request.Kind = kind;
        }

        if (input.OwnerFte is < 0 or > 5)
        {
            return Outcome.Invalid("OwnerFte", "Give the time in full-time equivalents, between 0 and 5 (e.g. 0.2).");
        }

        if (input.PostsPerWeek is < 0 or > 100)
        {
            return Outcome.Invalid("PostsPerWeek", "Give posts per week between 0 and 100.");
        }

        if (input.ResponseHours is < 0 or > 720)
        {
            return Outcome.Invalid("ResponseHours", "Give the response time in hours, up to 720.");
        }

        foreach (var (field, email, set) in new (string, string?, Action<string?>)[] { ("OwnerEmail", input.OwnerEmail, id => request.OwnerId = id), ("BackupEmail", input.BackupEmail, id => request.BackupId = id) })
        {
            if (string.IsNullOrWhiteSpace(email))
            {
                set(null);
                continue;
            }

            var normalized = email.Trim().ToUpperInvariant();
            var userId = await (from u in db.People()
                                join m in db.OrganizationMembers on u.Id equals m.UserId
                                where m.OrganizationId == org.Id && u.NormalizedEmail == normalized
                                select u.Id).FirstOrDefaultAsync(cancellationToken);
            if (userId is null)
            {
                return Outcome.Invalid(field, $"{email.Trim()} is not a member of {org.Organization.Name}.");
            }

            set(userId);
        }

        if (request.OwnerId is not null && request.OwnerId == request.BackupId)
        {
            return Outcome.Invalid("BackupEmail", "The backup must be someone other than the owner.");
        }

        if (!string.IsNullOrWhiteSpace(input.ProposedHandle) && Handles.Problem(request.Platform, input.ProposedHandle) is { } handleProblem)
        {
            return Outcome.Invalid("ProposedHandle", handleProblem);
        }

        request.ProposedHandle = RequestText.Clip(Handles.Fold(input.ProposedHandle), Handles.MaxLength);
        request.Department = RequestText.Clip(input.Department, 200);
        request.Justification = RequestText.Clip(input.Justification, 4000);
        request.Goals = RequestText.Clip(input.Goals, 4000);
        request.Audience = RequestText.Clip(input.Audience, 4000);
        request.PatientBenefit = RequestText.Clip(input.PatientBenefit, 4000);
        request.ContentPlan = RequestText.Clip(input.ContentPlan, 4000);
        request.OwnerFte = input.OwnerFte;
        request.PostsPerWeek = input.PostsPerWeek;
        request.ResponseHours = input.ResponseHours;
        return Outcome.Success;
    }
}
