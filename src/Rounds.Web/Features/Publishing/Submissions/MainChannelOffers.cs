using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Screening;
using Rounds.Web.Features.Shared;
using ScreenedPost = Rounds.Screening.Post;

namespace Rounds.Web.Features.Publishing.Submissions;

public sealed record OfferInput(string? Text, string? Department, string? Note);

/// <summary>
/// The funnel to the main channels: a department offers content instead of running an account of its own; the
/// communications team adopts it (it becomes a draft for the enterprise accounts, written by the reviewer, and
/// goes through review like any post) or declines it with a reason. The submitter hears either way.
/// </summary>
public sealed class MainChannelOffers(RoundsDbContext db, IAuditLog audit, INotifier notifier, IOrganizationScreener screening, RevisionHistory history, TimeProvider clock)
{
    public const Role OfferRole = Role.Contributor;

    public const Role DecideRole = Role.Reviewer;

    /// <summary>Reviewers see what waits, oldest first, then what was decided lately; everyone else sees their own offers, newest first.</summary>
    public async Task<List<MainChannelSubmission>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var all = db.Set<MainChannelSubmission>().Where(s => s.OrganizationId == org.Id);
        if (!org.IsAtLeast(DecideRole))
        {
            return await all.Where(s => s.SubmitterId == org.UserId).OrderByDescending(s => s.SubmittedAt).Take(200).ToListAsync(cancellationToken);
        }

        var waiting = await all.Where(s => s.Status == SubmissionStatus.Offered).OrderBy(s => s.SubmittedAt).ToListAsync(cancellationToken);
        var decided = await all.Where(s => s.Status != SubmissionStatus.Offered).OrderByDescending(s => s.DecidedAt).Take(50).ToListAsync(cancellationToken);
        return [.. waiting, .. decided];
    }

    public async Task<MainChannelSubmission?> GetAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var submission = await db.Set<MainChannelSubmission>().FirstOrDefaultAsync(s => s.Id == id && s.OrganizationId == org.Id, cancellationToken);
        return submission is not null && (org.IsAtLeast(DecideRole) || submission.SubmitterId == org.UserId) ? submission : null;
    }

    public async Task<Outcome<MainChannelSubmission>> OfferAsync(OrgContext org, OfferInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(OfferRole))
        {
            return Outcome.Refused("Contributors and above offer content to the main channels.");
        }

        var text = (input.Text ?? "").Trim();
        if (text.Length is 0 or > 10_000)
        {
            return Outcome.Invalid("Text", "Write the content you offer (at most 10,000 characters).");
        }

        var department = (input.Department ?? "").Trim();
        if (department.Length is 0 or > 200)
        {
            return Outcome.Invalid("Department", "Name your department (at most 200 characters).");
        }

        var note = (input.Note ?? "").Trim();
        if (note.Length > 2000)
        {
            return Outcome.Invalid("Note", "Keep the note to 2,000 characters.");
        }

        var submission = new MainChannelSubmission
        {
            OrganizationId = org.Id,
            SubmitterId = org.UserId,
            SubmitterName = await PeopleNames.OfAsync(db, org.UserId, cancellationToken),
            Department = department,
            Text = text,
            Note = note,
            Status = SubmissionStatus.Offered,
            SubmittedAt = clock.GetUtcNow(),
        };
        db.Add(submission);
        audit.Record(org.Id, "submission.offered", "MainChannelSubmission", submission.Id.ToString(), after: Snapshot(submission));
        var reviewers = await notifier.MembersAtLeastAsync(org.Id, DecideRole, cancellationToken);
        await notifier.NotifyAsync(org.Id, reviewers.Where(u => u != org.UserId), $"submission:{submission.Id}:offered",
            $"{submission.SubmitterName} ({department}) offers content to the main channels: \"{Excerpt.Of(await history.QuoteAsync(org.Id, null, text, cancellationToken), 60)}\"", Link(org, submission), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<MainChannelSubmission>(Outcome.Success, submission);
    }

    /// <summary>
    /// Turns the offer into a draft for every active enterprise account, authored by the reviewer who adopts it.
    /// The offer is claimed with a conditional update inside the transaction, so two reviewers adopting at
    /// once make one post, not two.
    /// </summary>
    public async Task<Outcome<Post>> AdoptAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var (submission, refusal) = await WaitingAsync(org, id, "adopt content for the main channels", cancellationToken);
        if (submission is null)
        {
            return refusal!;
        }

        // Every running main account: a copy Rounds cannot publish itself goes to the account's owners to post by hand.
        var accounts = (await db.AccountCards()
            .Where(a => a.OrganizationId == org.Id && a.Kind == AccountKind.Enterprise && a.Status == AccountStatus.Active)
            .ToListAsync(cancellationToken)).Where(PostRules.CanReceivePosts).ToList();
        if (accounts.Count == 0)
        {
            return Outcome.Refused("The organization has no active enterprise account; add its main accounts to the registry first.");
        }

        var now = clock.GetUtcNow();
        var reviewerName = await PeopleNames.OfAsync(db, org.UserId, cancellationToken);
        var verdict = (await screening.ScreenAsync(org.Id, new ScreenedPost(submission.Text), Rounds.Screening.Profile.Social, cancellationToken)).Verdict;
        var post = new Post
        {
            OrganizationId = org.Id,
            AuthorId = org.UserId,
            AuthorName = reviewerName,
            Text = submission.Text,
            Status = PostStatus.Draft,
            Verdict = verdict,
            SubmissionId = submission.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Set<MainChannelSubmission>()
            .Where(s => s.Id == id && s.Status == SubmissionStatus.Offered)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, SubmissionStatus.Adopted)
                .SetProperty(x => x.DecidedBy, reviewerName)
                .SetProperty(x => x.DecidedAt, now)
                .SetProperty(x => x.AdoptedPostId, post.Id), cancellationToken);
        if (claimed == 0)
        {
            return Outcome.Refused("Another reviewer decided on this offer a moment ago.");
        }

        db.Add(post);
        db.AddRange(accounts.Select(account => new PostTarget
        {
            OrganizationId = org.Id,
            PostId = post.Id,
            AccountId = account.Id,
            Verdict = verdict,
            Status = DeliveryStatus.Waiting,
            IdempotencyKey = Delivery.DeliveryKeys.NewFor(account.Platform),
        }));
        await history.AddAsync(post, new Dictionary<Guid, string>(), org.UserId, reviewerName, null, cancellationToken);
        var before = Snapshot(submission);
        submission.Status = SubmissionStatus.Adopted;
        submission.DecidedBy = reviewerName;
        submission.DecidedAt = now;
        submission.AdoptedPostId = post.Id;
        audit.Record(org.Id, "submission.adopted", "MainChannelSubmission", submission.Id.ToString(), before, Snapshot(submission));
        await notifier.NotifyAsync(org.Id, [submission.SubmitterId], $"submission:{submission.Id}:decided",
            $"Your content for the main channels was adopted by {reviewerName}: \"{Excerpt.Of(await history.QuoteAsync(org.Id, post.Id, submission.Text, cancellationToken), 60)}\"", Link(org, submission), cancellationToken);

        // The row was already updated above: the tracked copy takes its new values as saved ones, so it is not written twice.
        var entry = db.Entry(submission);
        entry.OriginalValues.SetValues(entry.CurrentValues);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<Post>(Outcome.Success, post);
    }

    public async Task<Outcome> DeclineAsync(OrgContext org, Guid id, string? reason, CancellationToken cancellationToken = default)
    {
        var (submission, refusal) = await WaitingAsync(org, id, "decline content offered to the main channels", cancellationToken);
        if (submission is null)
        {
            return refusal!;
        }

        reason = (reason ?? "").Trim();
        if (reason.Length is 0 or > 2000)
        {
            return Outcome.Invalid("Reason", "Tell the submitter why (at most 2,000 characters).");
        }

        var decidedBy = await PeopleNames.OfAsync(db, org.UserId, cancellationToken);
        var now = clock.GetUtcNow();

        // Only an offer still waiting may be declined, even if another reviewer acted since it was read.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var declined = await db.Set<MainChannelSubmission>()
            .Where(s => s.Id == id && s.Status == SubmissionStatus.Offered)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, SubmissionStatus.Declined)
                .SetProperty(x => x.DecidedBy, decidedBy)
                .SetProperty(x => x.DecidedAt, now)
                .SetProperty(x => x.Reason, reason), cancellationToken);
        if (declined == 0)
        {
            return Outcome.Refused("Another reviewer decided on this offer a moment ago.");
        }

        var before = Snapshot(submission);
        submission.Status = SubmissionStatus.Declined;
        submission.DecidedBy = decidedBy;
        submission.DecidedAt = now;
        submission.Reason = reason;
        audit.Record(org.Id, "submission.declined", "MainChannelSubmission", submission.Id.ToString(), before, Snapshot(submission));
        await notifier.NotifyAsync(org.Id, [submission.SubmitterId], $"submission:{submission.Id}:decided",
            $"Your content for the main channels was declined by {decidedBy}: {await history.QuoteAsync(org.Id, null, reason, cancellationToken)}", Link(org, submission), cancellationToken);

        // The row was already updated above: the tracked copy takes its new values as saved ones, so it is not written twice.
        var entry = db.Entry(submission);
        entry.OriginalValues.SetValues(entry.CurrentValues);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Success;
    }

    public static string Describe(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Offered => "offered",
        SubmissionStatus.Adopted => "adopted",
        SubmissionStatus.Declined => "declined",
    };

    /// <summary>The offer a reviewer is about to decide on, or why they cannot.</summary>
    private async Task<(MainChannelSubmission? Submission, Outcome? Refusal)> WaitingAsync(OrgContext org, Guid id, string action, CancellationToken cancellationToken)
    {
        var submission = await GetAsync(org, id, cancellationToken);
        if (submission is null)
        {
            return (null, Outcome.NotFound);
        }

        if (!org.IsAtLeast(DecideRole))
        {
            return (null, Outcome.Refused($"Only reviewers and admins {action}."));
        }

        return submission.Status == SubmissionStatus.Offered
            ? (submission, null)
            : (null, Outcome.Refused($"This offer was already {Describe(submission.Status)}."));
    }

    private static string Link(OrgContext org, MainChannelSubmission submission) => $"/o/{org.Organization.Slug}/submissions#submission-{submission.Id:N}";

    private static object Snapshot(MainChannelSubmission s) =>
        new { s.Department, s.Text, s.Note, Status = Describe(s.Status), s.DecidedBy, s.Reason, s.AdoptedPostId };
}
