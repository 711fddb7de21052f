using System.Net;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Shared.Mail;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Requests;

/// <summary>The request form's fields; owner and backup are members' email addresses.</summary>
public class RequestInput
{
    public string? Platform { get; set; }

    public string? ProposedHandle { get; set; }

    public string? Kind { get; set; }

    public string? Department { get; set; }

    public string? Justification { get; set; }

    public string? Goals { get; set; }

    public string? Audience { get; set; }

    public string? PatientBenefit { get; set; }

    public string? OwnerEmail { get; set; }

    public string? BackupEmail { get; set; }

    public decimal OwnerFte { get; set; }

    public string? ContentPlan { get; set; }

    public int PostsPerWeek { get; set; }

    public int ResponseHours { get; set; }
}

public sealed record RequirementsInput(bool OwnerAcceptedPolicy, bool BackupAcceptedPolicy, bool OwnerHasSeat, bool BackupHasSeat);

public sealed record PersonRef(string Id, string Name, string Email);

public sealed record RequestView(
    AccountRequest Request,
    PersonRef Requester,
    PersonRef? Owner,
    PersonRef? Backup,
    IReadOnlyList<RequestEvent> History,
    IReadOnlyList<(RequestVote Vote, string Name)> Votes,
    IReadOnlyList<string> UnmetRequirements,
    IReadOnlyList<string> Committee,
    Quorum Quorum);

/// <summary>
/// The account request from draft to decision. Every move goes through <see cref="RequestLifecycle"/>, is
/// written to the history and the audit log, and is announced to the people it concerns.
/// </summary>
public sealed class RequestWorkflow(
    RoundsDbContext db,
    IAuditLog audit,
    ICurrentActor actor,
    INotifier notifier,
    IMailer mailer,
    ITrainingRecords training,
    ITrainingRequirements requirements,
    IAccountDirectory accounts,
    TimeProvider clock)
{
    public static bool SeesAll(OrgContext org) => org.IsAtLeast(Role.AccountManager);

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
        var request = await db.Set<AccountRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (request is null || (!SeesAll(org) && request.RequesterId != org.UserId))
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
        return new RequestView(
            request,
            people.FirstOrDefault(p => p.Id == request.RequesterId) ?? new PersonRef(request.RequesterId, "(former member)", ""),
            people.FirstOrDefault(p => p.Id == request.OwnerId),
            people.FirstOrDefault(p => p.Id == request.BackupId),
            history,
            votes.Select(x => (x.v, x.DisplayName)).ToList(),
            await UnmetRequirementsAsync(request, cancellationToken),
            await accounts.CommitteeAsync(org.Id, cancellationToken),
            quorum);
    }

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

        db.Add(request);
        db.Add(new RequestEvent { OrganizationId = org.Id, RequestId = request.Id, At = now, ActorName = actor.Name, From = RequestStatus.Draft, To = RequestStatus.Draft, Note = "Draft saved." });
        audit.Record(org.Id, "account_request.created", "AccountRequest", request.Id.ToString(), after: Snapshot(request));
        await db.SaveChangesAsync(cancellationToken);
        if (submit)
        {
            var submitted = await TransitionAsync(org, request.Id, RequestStatus.Submitted, null, cancellationToken);
            if (!submitted.Succeeded)
            {
                // The draft is kept, so nothing typed is lost; the refusal says what is missing.
                return new Outcome<AccountRequest>(submitted, request);
            }
        }

        return new Outcome<AccountRequest>(Outcome.Success, request);
    }

    public async Task<Outcome> UpdateDraftAsync(OrgContext org, Guid id, RequestInput input, CancellationToken cancellationToken = default)
    {
        var request = await db.Set<AccountRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (request is null || (!SeesAll(org) && request.RequesterId != org.UserId))
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

        var before = Snapshot(request);
        var applied = await ApplyAsync(org, request, input, cancellationToken);
        if (!applied.Succeeded)
        {
            db.ChangeTracker.Clear();
            return applied;
        }

        request.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, "account_request.updated", "AccountRequest", request.Id.ToString(), before, Snapshot(request));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Moves a request to <paramref name="to"/> when the state machine allows it for this person now.</summary>
    public async Task<Outcome> TransitionAsync(OrgContext org, Guid id, RequestStatus to, string? note, CancellationToken cancellationToken = default)
    {
        var request = await db.Set<AccountRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (request is null || (!SeesAll(org) && request.RequesterId != org.UserId))
        {
            return Outcome.NotFound;
        }

        note = note?.Trim() ?? "";
        var committee = await accounts.CommitteeAsync(org.Id, cancellationToken);
        var facts = new RequestFacts(
            IsRequester: request.RequesterId == org.UserId,
            IsCommitteeMember: committee.Contains(org.UserId),
            MissingFields: MissingFields(request),
            UnmetRequirements: to == RequestStatus.CommitteeReview ? await UnmetRequirementsAsync(request, cancellationToken) : [],
            QuorumMet: to == RequestStatus.Approved && await QuorumMetAsync(org.Id, request.Id, committee, cancellationToken),
            HasNote: note.Length > 0);
        var refusal = RequestLifecycle.Refusal(request.Status, to, org.Role, facts);
        if (refusal is not null)
        {
            return Outcome.Refused(refusal);
        }

        var from = request.Status;
        var before = Snapshot(request);
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
        audit.Record(org.Id, "account_request." + RequestLifecycle.Key(to), "AccountRequest", request.Id.ToString(), before, Snapshot(request));

        var link = $"/o/{org.Organization.Slug}/requests/{request.Id}";
        var title = $"Account request {Describe(request)}: {RequestLifecycle.Label(to)}.";
        var told = new List<string> { request.RequesterId };
        if (request.OwnerId is not null)
        {
            told.Add(request.OwnerId);
        }

        // Whoever acts next hears about it: the communications team for its steps, the committee for its review.
        told.AddRange(to switch
        {
            RequestStatus.Submitted or RequestStatus.Withdrawn => await notifier.MembersAtLeastAsync(org.Id, Role.AccountManager, cancellationToken),
            RequestStatus.CommitteeReview => committee,
            _ => [],
        });
        await notifier.NotifyAsync(org.Id, told.Where(u => u != org.UserId), $"request:{request.Id}:{RequestLifecycle.Key(to)}", title, link, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (to is RequestStatus.Approved or RequestStatus.Declined or RequestStatus.Redirected)
        {
            await SendDecisionNoticeAsync(org, request, to, note, link, cancellationToken);
        }

        return Outcome.Success;
    }

    public async Task<Outcome> RecordRequirementsAsync(OrgContext org, Guid id, RequirementsInput input, CancellationToken cancellationToken = default)
    {
        var request = await db.Set<AccountRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (request is null || (!SeesAll(org) && request.RequesterId != org.UserId))
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

    /// <summary>A committee member's vote and comment; voting again replaces the earlier vote.</summary>
    public async Task<Outcome> VoteAsync(OrgContext org, Guid id, bool approve, string? comment, CancellationToken cancellationToken = default)
    {
        var request = await db.Set<AccountRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (request is null || (!SeesAll(org) && request.RequesterId != org.UserId))
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

    public Task<IReadOnlyList<string>> RequiredModulesAsync(AccountRequest request, CancellationToken cancellationToken = default) =>
        RequiredModules.ForAsync(requirements, request.OrganizationId, request.Kind, request.Platform, cancellationToken);

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
                unmet.Add($"the {who} has not passed {string.Join(", ", missing)}");
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

    private async Task<bool> QuorumMetAsync(Guid organizationId, Guid requestId, IReadOnlyList<string> committee, CancellationToken cancellationToken)
    {
        var approving = await db.Set<RequestVote>().Where(v => v.RequestId == requestId && v.Approve).Select(v => v.UserId).ToListAsync(cancellationToken);
        var members = approving.Intersect(committee).Count();
        var quorum = await accounts.CommitteeQuorumAsync(organizationId, cancellationToken);
        return quorum == Quorum.All ? committee.Count > 0 && members == committee.Count : members > 0;
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

    private async Task SendDecisionNoticeAsync(OrgContext org, AccountRequest request, RequestStatus decision, string reasons, string link, CancellationToken cancellationToken)
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

        await mailer.SendAsync(new OutgoingMail(email, $"Decision on your account request {Describe(request)}: {subject}", html), cancellationToken);
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

        request.ProposedHandle = Clip(input.ProposedHandle, 200);
        request.Department = Clip(input.Department, 200);
        request.Justification = Clip(input.Justification, 4000);
        request.Goals = Clip(input.Goals, 4000);
        request.Audience = Clip(input.Audience, 4000);
        request.PatientBenefit = Clip(input.PatientBenefit, 4000);
        request.ContentPlan = Clip(input.ContentPlan, 4000);
        request.OwnerFte = input.OwnerFte;
        request.PostsPerWeek = input.PostsPerWeek;
        request.ResponseHours = input.ResponseHours;
        return Outcome.Success;
    }

    /// <summary>The fields a request needs before the communications team can consider it.</summary>
    public static IReadOnlyList<string> MissingFields(AccountRequest r)
    {
        var missing = new List<string>();
        void Need(bool present, string label)
        {
            if (!present)
            {
                missing.Add(label);
            }
        }

        Need(Handles.Normalize(r.Platform, r.ProposedHandle).Length > 0, "the proposed handle");
        Need(r.Department.Length > 0, "the department");
        Need(r.Justification.Length > 0, "the justification");
        Need(r.Goals.Length > 0, "the goals");
        Need(r.Audience.Length > 0, "the audience");
        Need(r.PatientBenefit.Length > 0, "how it helps patients");
        Need(r.OwnerId is not null, "the owner");
        Need(r.BackupId is not null, "the backup");
        Need(r.OwnerFte > 0, "the owner's time (FTE)");
        Need(r.ContentPlan.Length > 0, "the content plan");
        Need(r.PostsPerWeek > 0, "posts per week");
        Need(r.ResponseHours > 0, "the response-time commitment");
        return missing;
    }

    public static string Describe(AccountRequest r) =>
        $"{Handles.Display(r.Platform, r.ProposedHandle)} on {AccountNames.Label(r.Platform)}".Trim();

    private static string Clip(string? text, int max)
    {
        var value = (text ?? "").Trim();
        return value.Length > max ? value[..max] : value;
    }

    private static object Snapshot(AccountRequest r) => new
    {
        Status = RequestLifecycle.Key(r.Status),
        Platform = AccountNames.Key(r.Platform),
        r.ProposedHandle,
        Kind = AccountNames.Key(r.Kind),
        r.Department,
        r.OwnerId,
        r.BackupId,
        r.OwnerFte,
        r.PostsPerWeek,
        r.ResponseHours,
    };
}
