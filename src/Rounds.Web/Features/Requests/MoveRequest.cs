using System.Net;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.Requests;

/// <summary>
/// Moves a request from one step to the next. Every move goes through <see cref="RequestLifecycle"/>, is written
/// to the history and the audit log, and is announced to the people it concerns; an approval starts the
/// account's trial through the registry.
/// </summary>
public sealed class MoveRequest(RoundsDbContext db, RequestQueries queries, IAccountDirectory accounts, IAuditLog audit, ICurrentActor actor, INotifier notifier, IMailer mailer, TimeProvider clock, ILogger<MoveRequest> logger)
{
    /// <summary>Moves a request to <paramref name="to"/> when the state machine allows it for this person now.</summary>
    public async Task<Outcome> TransitionAsync(OrgContext org, Guid id, RequestStatus to, string? note, CancellationToken cancellationToken = default)
    {
        var request = await queries.FindAsync(org, id, cancellationToken);
        if (request is null)
        {
            return Outcome.NotFound;
        }

        note = note?.Trim() ?? "";
        var committee = await accounts.CommitteeAsync(org.Id, cancellationToken);
        var facts = new RequestFacts(
            IsRequester: request.RequesterId == org.UserId,
            IsCommitteeMember: committee.Contains(org.UserId),
            MissingFields: RequestText.MissingFields(request),
            UnmetRequirements: to == RequestStatus.CommitteeReview ? await queries.UnmetRequirementsAsync(request, cancellationToken) : [],
            QuorumMet: to == RequestStatus.Approved && await QuorumMetAsync(org.Id, request.Id, committee, cancellationToken),
            HasNote: note.Length > 0);
        var refusal = RequestLifecycle.Refusal(request.Status, to, org.Role, facts);
        if (refusal is not null)
        {
            return Outcome.Refused(refusal);
        }

        var from = request.Status;
        var before = RequestText.Snapshot(request);
        var now = clock.GetUtcNow();
        request.Status = to;
        request.UpdatedAt = now;
        if (to == RequestStatus.Submitted)
        {
            request.SubmittedAt = now;
        }

        if (from == RequestStatus.Consult && note.Length > 0)
        {
            request.ConsultNotes = (request.ConsultNotes + "\n" + note).Trim();
        }

        if (to is RequestStatus.Approved or RequestStatus.Declined or RequestStatus.Redirected)
        {
            request.DecisionReasons = note;
        }

        if (to == RequestStatus.Approved)
        {
            var account = await StartTrialAsync(org, request, cancellationToken);
            if (!account.Succeeded)
            {
                db.ChangeTracker.Clear();
                return account.Status;
            }
        }

        db.Add(new RequestEvent { OrganizationId = org.Id, RequestId = request.Id, At = now, ActorName = actor.Name, From = from, To = to, Note = note });
        audit.Record(org.Id, "account_request." + RequestLifecycle.Key(to), "AccountRequest", request.Id.ToString(), before, RequestText.Snapshot(request));

        var link = $"/o/{org.Organization.Slug}/requests/{request.Id}";
        var title = $"Account request {RequestText.Describe(request)}: {RequestLifecycle.Label(to)}.";
        var told = new List<string> { request.RequesterId };
        if (request.OwnerId is not null)
        {
            told.Add(request.OwnerId);
        }

        // The backup runs the account when the owner is away, so they follow its request from the start too.
        if (request.BackupId is not null)
        {
            told.Add(request.BackupId);
        }

        // Whoever acts next hears about it: the communications team for its steps, the committee for its review.
        told.AddRange(to switch
        {
            RequestStatus.Submitted or RequestStatus.Withdrawn => await notifier.MembersAtLeastAsync(org.Id, Role.AccountManager, cancellationToken),
            RequestStatus.CommitteeReview => committee,
            _ => [],
        });
        await notifier.NotifyAsync(org.Id, told.Where(u => u != org.UserId), $"request:{request.Id}:{RequestLifecycle.Key(to)}", title, link, cancellationToken);
        if (to is RequestStatus.Approved or RequestStatus.Declined or RequestStatus.Redirected)
        {
            await QueueDecisionNoticeAsync(org, request, to, note, link, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);

        return Outcome.Success;
    }

    private async Task<bool> QuorumMetAsync(Guid organizationId, Guid requestId, IReadOnlyList<string> committee, CancellationToken cancellationToken)
    {
        var approving = await db.Set<RequestVote>().Where(v => v.RequestId == requestId && v.Approve).Select(v => v.UserId).ToListAsync(cancellationToken);
        var members = approving.Intersect(committee).Count();
        return members >= await RequestQueries.ApprovalsNeededAsync(accounts, organizationId, committee, cancellationToken);
    }

    /// <summary>An approved request puts the account in the registry in trial, or brings back a retired or rogue one.</summary>
    private async Task<Outcome<AccountCard>> StartTrialAsync(OrgContext org, AccountRequest request, CancellationToken cancellationToken)
    {
        var emails = await db.People().Where(u => u.Id == request.OwnerId || u.Id == request.BackupId).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var outcome = await accounts.StartTrialAsync(
            org,
            new StartTrial(
                request.Id,
                request.Platform,
                request.ProposedHandle,
                request.Kind,
                request.Department,
                emails.FirstOrDefault(e => e.Id == request.OwnerId)?.Email,
                emails.FirstOrDefault(e => e.Id == request.BackupId)?.Email),
            cancellationToken);
        if (outcome.Value is { } account)
        {
            request.AccountId = account.Id;
        }

        return outcome;
    }

    /// <summary>The requester's mail about the decision, sent once the decision is committed.</summary>
    private async Task QueueDecisionNoticeAsync(OrgContext org, AccountRequest request, RequestStatus decision, string reasons, string link, CancellationToken cancellationToken)
    {
        var email = await db.People().Where(u => u.Id == request.RequesterId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return;
        }

        var (subject, lead) = decision switch
        {
            RequestStatus.Approved => ("approved", "The committee approved your account request. The account starts with a three-month trial."),
            RequestStatus.Declined => ("declined", "The committee declined your account request."),
            _ => ("redirected", "After the consult, your content will go to the organization's main channels instead of a new account."),
        };
        var html = $"<p>{lead}</p><p><strong>Reasons:</strong> {WebUtility.HtmlEncode(reasons)}</p><p><a href=\"{WebUtility.HtmlEncode(notifier.Absolute(link))}\">See the request</a></p>";
        if (decision == RequestStatus.Redirected)
        {
            html += $"<p><a href=\"{WebUtility.HtmlEncode(notifier.Absolute($"/o/{org.Organization.Slug}/submissions/new"))}\">Offer your content to the main channels</a></p>";
        }

        var mail = new OutgoingMail(email, $"Decision on your account request {RequestText.Describe(request)}: {subject}", html);
        db.AfterCommit(async token =>
        {
            try
            {
                await mailer.SendAsync(mail, token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The decision stands and is in the notification centre; a lost mail must not undo it.
                logger.LogWarning(exception, "Could not email the decision on request {Request}.", request.Id);
            }
        });
    }
}
