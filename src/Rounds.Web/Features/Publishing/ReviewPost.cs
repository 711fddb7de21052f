using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// Where a post in review stands: the step it waits on, who may act now, and what each account's step still needs.
/// <see cref="Authors"/> are the post's author and whoever wrote the current revision; <see cref="ApprovedOtherSteps"/>
/// are the people who approved another step of this revision and so may not approve this one.
/// </summary>
public sealed record ReviewState(
    int Step, int StepCount, IReadOnlyList<ResolvedStep> Open, IReadOnlySet<string> ApprovedBy, IReadOnlySet<string> Authors, IReadOnlySet<string> ApprovedOtherSteps)
{
    public bool MayAct(string userId) => !Authors.Contains(userId) && Open.Any(s => s.ApproverIds.Contains(userId));

    public bool MayApprove(string userId) => MayAct(userId) && !ApprovedOtherSteps.Contains(userId);

    /// <summary>The approvers of the open step who may still approve it.</summary>
    public IEnumerable<string> Eligible(ResolvedStep step) => step.ApproverIds.Where(id => !Authors.Contains(id) && !ApprovedOtherSteps.Contains(id));

    public IEnumerable<string> WaitingOn() => Open.SelectMany(Eligible).Where(id => !ApprovedBy.Contains(id)).Distinct();
}

/// <summary>
/// Submission and review: the author submits, approvers of the current step approve, request changes or reject.
/// Nobody approves their own post, and whoever wrote the current revision counts as its author; by default a
/// person approves at most one step of a revision; approvals belong to one revision, so an edit resets them; a
/// blocked post goes to review only after a reviewer, not one of its authors, overrode the verdict with a written reason.
/// </summary>
public sealed class ReviewPost(RoundsDbContext db, ApprovalSteps steps, IAuditLog audit, INotifier notifier, RevisionHistory history, IEmbargoedLinks embargoes, TimeProvider clock)
{
    public const int MinimumReasonLength = 10;

    public async Task<Outcome> SubmitAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var post = await FindAsync(org, id, cancellationToken);
        if (post is null)
        {
            return Outcome.NotFound;
        }

        if (post.AuthorId != org.UserId)
        {
            return Outcome.Refused("Only the author can submit this post for review.");
        }

        if (!PostLifecycle.CanSubmit(post.Status))
        {
            return Outcome.Refused($"A {PostLifecycle.Describe(post.Status)} post cannot be submitted.");
        }

        if (post.Verdict == Rounds.Screening.Verdict.Block && post.OverrideReason.Length == 0)
        {
            return Outcome.Refused("Screening blocked this post: remove what the findings point at, or ask a reviewer to override the verdict with a reason.");
        }

        if (post.ScheduledAt is { } at && at <= clock.GetUtcNow())
        {
            return Outcome.Refused("The scheduled time has passed; choose a new time first.");
        }

        if (await ImagelessInstagramAsync(post, cancellationToken) is { } instagram)
        {
            return Outcome.Refused($"Instagram posts need at least one image: add an image, or take {instagram} off the post.");
        }

        var facts = await FactsAsync(post, cancellationToken);
        var resolved = facts.Steps;
        if (resolved.FirstOrDefault(s => !s.ApproverIds.Any(a => !facts.Authors.Contains(a))) is { } empty)
        {
            var account = await db.AccountCards().Where(a => a.Id == empty.AccountId).Select(a => a.Handle).FirstAsync(cancellationToken);
            return Outcome.Refused($"Nobody but you can approve step \"{empty.Name}\" for {account}; ask an admin to change its approvers.");
        }

        var before = PostLifecycle.Describe(post.Status);
        post.Status = PostStatus.InReview;
        post.CurrentStep = 0;
        post.SubmittedAt = clock.GetUtcNow();
        post.UpdatedAt = post.SubmittedAt.Value;
        post.ConcurrencyStamp = Guid.NewGuid();
        audit.Record(org.Id, "post.submitted", "Post", post.Id.ToString(), new { Status = before }, new { Status = "in review", post.Revision });
        var state = State(post, facts, []);
        await notifier.NotifyAsync(org.Id, state.WaitingOn(), WaitingKey(post.Id, post.Revision, 0), $"A post by {post.AuthorName} waits for your review", Link(org, post), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    public Task<Outcome> ApproveAsync(OrgContext org, Guid id, string? note, CancellationToken cancellationToken = default) =>
        DecideAsync(org, id, ReviewDecision.Approve, note, cancellationToken);

    public Task<Outcome> RequestChangesAsync(OrgContext org, Guid id, string? note, CancellationToken cancellationToken = default) =>
        DecideAsync(org, id, ReviewDecision.RequestChanges, note, cancellationToken);

    public Task<Outcome> RejectAsync(OrgContext org, Guid id, string? note, CancellationToken cancellationToken = default) =>
        DecideAsync(org, id, ReviewDecision.Reject, note, cancellationToken);

    /// <summary>Lets a blocked post go to review; the reason stays with the post and in the audit log.</summary>
    public async Task<Outcome> OverrideAsync(OrgContext org, Guid id, string? reason, CancellationToken cancellationToken = default)
    {
        var post = await FindAsync(org, id, cancellationToken);
        if (post is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Refused("Only reviewers and admins can override a screening verdict.");
        }

        if (post.AuthorId == org.UserId)
        {
            return Outcome.Refused("Nobody overrides the screening of their own post; ask another reviewer.");
        }

        if ((await FactsAsync(post, cancellationToken)).Authors.Contains(org.UserId))
        {
            return Outcome.Refused("You wrote the current revision of this post, so you are one of its authors: ask another reviewer to judge the findings.");
        }

        if (post.Verdict != Rounds.Screening.Verdict.Block)
        {
            return Outcome.Refused("Only a blocked post needs an override.");
        }

        if (PostLifecycle.IsFinal(post.Status))
        {
            return Outcome.Refused($"The post is {PostLifecycle.Describe(post.Status)}.");
        }

        reason = reason?.Trim() ?? "";
        if (reason.Length < MinimumReasonLength)
        {
            return Outcome.Invalid("reason", $"Write why the post may go out despite the findings (at least {MinimumReasonLength} characters).");
        }

        var name = await PeopleNames.OfAsync(db, org.UserId, cancellationToken);
        post.OverrideReason = reason;
        post.OverriddenBy = name;
        post.ConcurrencyStamp = Guid.NewGuid();
        audit.Record(org.Id, "post.screening_overridden", "Post", post.Id.ToString(), new { Verdict = ScreeningNames.Of(post.Verdict) }, new { Reason = await history.QuoteAsync(org.Id, post.Id, reason, cancellationToken), post.Revision });
        await notifier.NotifyAsync(org.Id, [post.AuthorId], $"post:{post.Id}:r{post.Revision}:override", $"{name} allowed your blocked post to go to review", Link(org, post), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>
    /// A post that links to a press release still under embargo must not go out before the lift: approving it is
    /// refused unless it is scheduled for the lift or later.
    /// </summary>
    private async Task<Outcome?> EmbargoRefusalAsync(Post post, CancellationToken cancellationToken)
    {
        var copies = await db.Set<PostTarget>().Where(t => t.PostId == post.Id && t.Text != null).Select(t => t.Text!).ToListAsync(cancellationToken);
        var links = await embargoes.FindAsync(post.OrganizationId, string.Join("\n", copies.Prepend(post.Text)), cancellationToken);
        var blocking = links.Where(l => post.ScheduledAt is not { } at || at < l.LiftAt).OrderByDescending(l => l.LiftAt).FirstOrDefault();
        return blocking is null
            ? null
            : Outcome.Refused($"The post links to a press release under embargo until {blocking.LiftDescribed}; schedule the post for then or later, or remove the link.");
    }

    public async Task<ReviewState> StateAsync(Post post, CancellationToken cancellationToken = default)
    {
        var facts = await FactsAsync(post, cancellationToken);
        var reviews = await db.Set<PostReview>().Where(r => r.PostId == post.Id && r.Revision == post.Revision).ToListAsync(cancellationToken);
        return State(post, facts, reviews);
    }

    private async Task<Outcome> DecideAsync(OrgContext org, Guid id, ReviewDecision decision, string? note, CancellationToken cancellationToken)
    {
        var post = await FindAsync(org, id, cancellationToken);
        if (post is null)
        {
            return Outcome.NotFound;
        }

        if (post.AuthorId == org.UserId)
        {
            return Outcome.Refused("Nobody reviews their own post; another approver has to.");
        }

        if (!PostLifecycle.IsReviewable(post.Status))
        {
            return Outcome.Refused($"The post is {PostLifecycle.Describe(post.Status)}, not in review.");
        }

        note = note?.Trim() ?? "";
        if (decision != ReviewDecision.Approve && note.Length == 0)
        {
            return Outcome.Invalid("note", decision == ReviewDecision.Reject
                ? "Say why the post is rejected."
                : "Say what should change.");
        }

        if (note.Length > 2000)
        {
            return Outcome.Invalid("note", "Keep the note under 2,000 characters.");
        }

        var facts = await FactsAsync(post, cancellationToken);
        var reviews = await db.Set<PostReview>().Where(r => r.PostId == post.Id && r.Revision == post.Revision).ToListAsync(cancellationToken);
        var state = State(post, facts, reviews);
        if (facts.Authors.Contains(org.UserId))
        {
            return Outcome.Refused("You wrote the current revision of this post, so you are one of its authors; another approver has to review it.");
        }

        if (!state.MayAct(org.UserId))
        {
            return Outcome.Refused($"You are not an approver of the step this post waits on ({string.Join(", ", state.Open.Select(s => s.Name).Distinct())}).");
        }

        if (decision == ReviewDecision.Approve)
        {
            if (post.Verdict == Rounds.Screening.Verdict.Block && post.OverrideReason.Length == 0)
            {
                return Outcome.Refused("Screening blocked this post; override the verdict with a reason before approving it.");
            }

            if (post.ScheduledAt is { } at && at <= clock.GetUtcNow())
            {
                return Outcome.Refused("The scheduled time has passed, so the post can no longer be approved for it; ask the author to choose a new time.");
            }

            if (await EmbargoRefusalAsync(post, cancellationToken) is { } embargoed)
            {
                return embargoed;
            }

            if (state.ApprovedBy.Contains(org.UserId))
            {
                return Outcome.Refused("You have already approved this step.");
            }

            if (state.ApprovedOtherSteps.Contains(org.UserId))
            {
                return Outcome.Refused("You approved an earlier step of this revision; another approver has to approve this one.");
            }
        }

        var name = await PeopleNames.OfAsync(db, org.UserId, cancellationToken);
        var review = new PostReview
        {
            OrganizationId = org.Id, PostId = post.Id, Revision = post.Revision, Step = post.CurrentStep,
            ReviewerId = org.UserId, ReviewerName = name, Decision = decision, Note = note, At = clock.GetUtcNow(),
        };
        db.Add(review);
        reviews.Add(review);
        post.UpdatedAt = review.At;
        post.ConcurrencyStamp = Guid.NewGuid();

        // The note stays readable on the post while it is being fixed; mail and the audit log keep it for good.
        var quotedNote = await history.QuoteAsync(org.Id, post.Id, note, cancellationToken);
        switch (decision)
        {
            case ReviewDecision.RequestChanges:
                post.Status = PostStatus.ChangesRequested;
                await notifier.NotifyAsync(org.Id, [post.AuthorId], $"post:{post.Id}:r{post.Revision}:changes", $"{name} asked for changes to your post: {quotedNote}", Link(org, post), cancellationToken);
                break;
            case ReviewDecision.Reject:
                post.Status = PostStatus.Rejected;
                await notifier.NotifyAsync(org.Id, [post.AuthorId], $"post:{post.Id}:rejected", $"{name} rejected your post: {quotedNote}", Link(org, post), cancellationToken);
                break;
            case ReviewDecision.Approve:
                await AdvanceAsync(org, post, facts, reviews, cancellationToken);
                break;
        }

        await SettleWaitingAsync(org, post, review.Step, cancellationToken);
        audit.Record(org.Id, decision switch
        {
            ReviewDecision.Approve => "post.approved_step",
            ReviewDecision.RequestChanges => "post.changes_requested",
            ReviewDecision.Reject => "post.rejected",
        }, "Post", post.Id.ToString(), null, new { Step = review.Step, post.Revision, Status = PostLifecycle.Describe(post.Status), Note = quotedNote });
        return await SaveAsync(cancellationToken);
    }

    /// <summary>The key of the "waits for your review" notice of one step of one revision.</summary>
    public static string WaitingKey(Guid postId, int revision, int? step = null) => $"post:{postId}:r{revision}:s{step}";

    /// <summary>
    /// A decision ends other people's "waits for your review" for every step it closed: all of them when the post
    /// left review, the passed steps when it moved on, and only the decider's own when the step still waits on others.
    /// </summary>
    private async Task SettleWaitingAsync(OrgContext org, Post post, int decidedStep, CancellationToken cancellationToken)
    {
        if (post.Status != PostStatus.InReview)
        {
            await notifier.SettleAsync(org.Id, WaitingKey(post.Id, post.Revision), null, cancellationToken);
            return;
        }

        for (var step = decidedStep; step < post.CurrentStep; step++)
        {
            await notifier.SettleAsync(org.Id, WaitingKey(post.Id, post.Revision, step), null, cancellationToken);
        }

        await notifier.SettleAsync(org.Id, WaitingKey(post.Id, post.Revision, decidedStep), org.UserId, cancellationToken);
    }

    /// <summary>Moves past every step whose quorum is met; the last one approves the post.</summary>
    private async Task AdvanceAsync(OrgContext org, Post post, ReviewFacts facts, List<PostReview> reviews, CancellationToken cancellationToken)
    {
        var count = facts.Steps.Max(s => s.Position) + 1;
        while (post.CurrentStep < count)
        {
            var state = State(post, facts, reviews);
            if (!state.Open.All(step => Met(step, state)))
            {
                return;
            }

            post.CurrentStep++;
            if (post.CurrentStep < count)
            {
                var next = State(post, facts, reviews);
                await notifier.NotifyAsync(org.Id, next.WaitingOn(), WaitingKey(post.Id, post.Revision, post.CurrentStep),
                    $"A post by {post.AuthorName} waits for your review", Link(org, post), cancellationToken);
            }
        }

        post.Status = PostStatus.Approved;
        post.ApprovedAt = clock.GetUtcNow();
        await notifier.NotifyAsync(org.Id, [post.AuthorId], $"post:{post.Id}:r{post.Revision}:approved",
            post.ScheduledAt is null ? "Your post was approved and goes out now" : "Your post was approved and is scheduled", Link(org, post), cancellationToken);
    }

    /// <summary>"All" means every approver who may still approve: not the authors, nor those who approved another step.</summary>
    private static bool Met(ResolvedStep step, ReviewState state)
    {
        var eligible = state.Eligible(step).ToList();
        return step.Quorum == Quorum.All
            ? eligible.Count > 0 && eligible.All(state.ApprovedBy.Contains)
            : eligible.Any(state.ApprovedBy.Contains);
    }

    private static ReviewState State(Post post, ReviewFacts facts, IEnumerable<PostReview> reviews)
    {
        var approvals = reviews.Where(r => r.Revision == post.Revision && r.Decision == ReviewDecision.Approve).ToList();
        var approvedBy = approvals.Where(r => r.Step == post.CurrentStep).Select(r => r.ReviewerId).ToHashSet();
        var otherSteps = facts.OneApproverManySteps
            ? []
            : approvals.Where(r => r.Step != post.CurrentStep).Select(r => r.ReviewerId).ToHashSet();
        var resolved = facts.Steps;
        return new ReviewState(post.CurrentStep, resolved.Count == 0 ? 0 : resolved.Max(s => s.Position) + 1, resolved.Where(s => s.Position == post.CurrentStep).ToList(),
            approvedBy, facts.Authors, otherSteps);
    }

    /// <summary>What review depends on besides the reviews: the accounts' steps, the post's authors, and whether one person may take several steps.</summary>
    private sealed record ReviewFacts(IReadOnlyList<ResolvedStep> Steps, IReadOnlySet<string> Authors, bool OneApproverManySteps);

    private async Task<ReviewFacts> FactsAsync(Post post, CancellationToken cancellationToken)
    {
        var accounts = await db.Set<PostTarget>().Where(t => t.PostId == post.Id).Select(t => t.AccountId).ToListAsync(cancellationToken);
        var resolved = await steps.ResolveAsync(post.OrganizationId, accounts, cancellationToken);
        // Whoever wrote the words (or changed the images) under review judges them no more than the first author does.
        var editor = await db.Set<PostRevision>().Where(r => r.PostId == post.Id && r.Revision == post.Revision).Select(r => r.EditorId).FirstOrDefaultAsync(cancellationToken);
        var authors = new HashSet<string>(StringComparer.Ordinal) { post.AuthorId };
        if (!string.IsNullOrEmpty(editor))
        {
            authors.Add(editor);
        }

        return new ReviewFacts(resolved, authors, await steps.OneApproverManyStepsAsync(post.OrganizationId, accounts, cancellationToken));
    }

    /// <summary>
    /// The handle of an Instagram account the post goes to when the post has no image, else null: Instagram
    /// publishes only posts with an image, whether Rounds publishes the copy or its owners post it by hand.
    /// </summary>
    private async Task<string?> ImagelessInstagramAsync(Post post, CancellationToken cancellationToken)
    {
        if (await db.Set<MediaItem>().AnyAsync(m => m.PostId == post.Id, cancellationToken))
        {
            return null;
        }

        var accounts = db.Set<PostTarget>().Where(t => t.PostId == post.Id).Select(t => t.AccountId);
        return await db.AccountCards().Where(a => a.OrganizationId == post.OrganizationId && accounts.Contains(a.Id) && a.Platform == Platform.Instagram)
            .Select(a => a.Handle).OrderBy(h => h).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<Post?> FindAsync(OrgContext org, Guid id, CancellationToken cancellationToken)
    {
        var post = await db.Set<Post>().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == org.Id, cancellationToken);
        return post is not null && PostQueries.CanSee(org, post) ? post : null;
    }

    private async Task<Outcome> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refused("Someone else acted on this post at the same moment; reload it to see where it stands.");
        }

        return Outcome.Success;
    }

    private static string Link(OrgContext org, Post post) => $"/o/{org.Organization.Slug}/posts/{post.Id}";
}
