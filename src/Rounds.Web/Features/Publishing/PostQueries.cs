using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;
using Verdict = Rounds.Screening.Verdict;

namespace Rounds.Web.Features.Publishing;

public sealed record CopyView(PostTarget Target, AccountCard Account, IReadOnlyList<DeliveryAttempt> Attempts);

public sealed record PostView(
    Post Post,
    IReadOnlyList<CopyView> Copies,
    IReadOnlyList<PostReview> Reviews,
    IReadOnlyList<PostRevision> Revisions,
    ReviewState? Review,
    IReadOnlyList<MediaItem> Images);

/// <summary>
/// What narrows the list of posts. <paramref name="From"/> and <paramref name="Before"/> bound the day a post goes
/// out (or was written, for one without a time); <paramref name="Text"/> is found anywhere in any copy.
/// </summary>
public sealed record PostFilter(
    PostStatus? Status = null, bool Mine = false, Guid? AccountId = null, string? AuthorId = null,
    DateTimeOffset? From = null, DateTimeOffset? Before = null, string? Text = null)
{
    public const int MaxTextLength = 200;
}

/// <summary>
/// What a row of a list shows of a post, read as these columns alone: a list reads up to a hundred posts a request,
/// and reading whole posts (every column, and two new GUIDs drawn by each post's constructor only for EF Core to
/// overwrite them) was the largest part of the review queue's cost at a million posts.
/// </summary>
public sealed record PostRow
{
    public Guid Id { get; init; }

    public PostStatus Status { get; init; }

    public string Text { get; init; } = "";

    public DateTimeOffset? ScheduledAt { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string AuthorName { get; init; } = "";

    public Verdict Verdict { get; init; }

    /// <summary>A reviewer let the post through despite a blocking verdict.</summary>
    public bool Overridden { get; init; }
}

public sealed record PostSummary(PostRow Post, IReadOnlyList<string> Accounts);

/// <summary>One page of a list; <see cref="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record PostList(IReadOnlyList<PostSummary> Items, string? Next)
{
    public static readonly PostList Empty = new([], null);
}

/// <summary>Reading posts: lists, the reviewer's queue, one post with its history.</summary>
public sealed class PostQueries(RoundsDbContext db, ReviewPost review, ApprovalSteps steps)
{
    private static readonly System.Linq.Expressions.Expression<Func<Post, PostRow>> Row = p => new PostRow
    {
        Id = p.Id, Status = p.Status, Text = p.Text, ScheduledAt = p.ScheduledAt, SubmittedAt = p.SubmittedAt, UpdatedAt = p.UpdatedAt,
        AuthorName = p.AuthorName, Verdict = p.Verdict, Overridden = p.OverrideReason != "",
    };

    /// <summary>
    /// Contributors and above see the organization's posts: the team plans the calendar together and every post is
    /// meant to become public. Members and journalists see none.
    /// </summary>
    public static bool CanSee(OrgContext org, Post post) => post.OrganizationId == org.Id && org.IsAtLeast(Role.Contributor);

    /// <summary>Rows per page of the posts list; the first page of a small organization shows everything, as before paging.</summary>
    public const int ListPageSize = 100;

    /// <summary>
    /// Rows per page of the posts list on the posts page, under the queue: the page shows both lists, and its cost
    /// (reading and writing out each row) follows the rows, so it shows half the API's page.
    /// </summary>
    public const int PagePageSize = 50;

    /// <summary>Rows per page of the review queue.</summary>
    public const int QueuePageSize = 50;

    /// <summary>
    /// The organization's posts, the latest change first, one page at a time: keyset pagination on
    /// (<see cref="Post.UpdatedAt"/>, <see cref="Post.Id"/>) walks the (organization, updated) index, so a page
    /// costs the same at a thousand posts and at a million. <paramref name="after"/> is a <see cref="PostList.Next"/>.
    /// </summary>
    public Task<PostList> ListAsync(OrgContext org, PostStatus? status, bool mine, PostCursor? after = null, CancellationToken cancellationToken = default) =>
        ListAsync(org, new PostFilter(status, mine), after, cancellationToken);

    /// <summary>The same list narrowed by <paramref name="filter"/>; every part of it is optional.</summary>
    public Task<PostList> ListAsync(OrgContext org, PostFilter filter, PostCursor? after = null, CancellationToken cancellationToken = default) =>
        ListAsync(org, filter, after, ListPageSize, cancellationToken);

    /// <summary>The same list, <paramref name="size"/> rows a page.</summary>
    public async Task<PostList> ListAsync(OrgContext org, PostFilter filter, PostCursor? after, int size, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return PostList.Empty;
        }

        var query = db.Set<Post>().AsNoTracking().Where(p => p.OrganizationId == org.Id);
        if (filter.Status is { } s)
        {
            query = query.Where(p => p.Status == s);
        }

        if (filter.Mine)
        {
            query = query.Where(p => p.AuthorId == org.UserId);
        }

        if (filter.AuthorId is { Length: > 0 } author)
        {
            query = query.Where(p => p.AuthorId == author);
        }

        if (filter.AccountId is { } account)
        {
            query = query.Where(p => db.Set<PostTarget>().Any(t => t.PostId == p.Id && t.AccountId == account));
        }

        // A post's day is the day it goes out, or for one without a time the day it was written.
        if (filter.From is { } from)
        {
            query = query.Where(p => (p.ScheduledAt ?? p.CreatedAt) >= from);
        }

        if (filter.Before is { } before)
        {
            query = query.Where(p => (p.ScheduledAt ?? p.CreatedAt) < before);
        }

        // Lower-cased on both sides so both databases match without regard to case, accents and other scripts too
        // (see SqliteUnicodeLower); words in any account's copy count.
        if (filter.Text is { Length: > 0 } text)
        {
            var needle = text.ToLowerInvariant();
            query = query.Where(p => p.Text.ToLower().Contains(needle)
                || db.Set<PostTarget>().Any(t => t.PostId == p.Id && t.Text != null && t.Text.ToLower().Contains(needle)));
        }

        if (after is { } cursor)
        {
            var at = cursor.At;
            var id = cursor.Id;
            query = query.Where(p => p.UpdatedAt < at || (p.UpdatedAt == at && p.Id.CompareTo(id) < 0));
        }

        var posts = await query.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Id).Take(size + 1).Select(Row).ToListAsync(cancellationToken);
        var next = posts.Count > size ? new PostCursor(posts[size - 1].UpdatedAt, posts[size - 1].Id).ToString() : null;
        return new PostList(await SummariesAsync(posts.Take(size).ToList(), cancellationToken), next);
    }

    /// <summary>
    /// Posts waiting on a step the person may approve, the one due first on top, a page at a time. The
    /// organization's workflows are read once per request (<see cref="ApprovalSteps.LoadAsync"/>) and the rules
    /// of <see cref="ReviewState.MayApprove"/> go to the database with them: in review, someone else's, not written
    /// by this person at this revision, a copy on an account whose current step this person approves, not yet
    /// approved by them at this step, nor at another step unless every account allows that. These are the same
    /// rules, so the rows read in queue order are the queue and nothing is checked again in memory (a test holds
    /// the two to agreeing over every case of the rules); a page is one command for its posts and one for their
    /// accounts, whatever the posts around it hold.
    /// Posts without a time come first: they go out as soon as they are approved. The order is walked in two runs
    /// (unscheduled, then scheduled) because the databases sort nulls differently; the (organization, status,
    /// scheduled, submitted, id) index gives each run in its order, and a page that starts in the first run reads
    /// the start of the second in the same command.
    /// </summary>
    public Task<PostList> QueueAsync(OrgContext org, QueueCursor? after = null, CancellationToken cancellationToken = default) =>
        QueueAsync(org, after, null, cancellationToken);

    /// <summary>The same, with the organization's members already read (<see cref="ApprovalSteps.MembersAsync"/>).</summary>
    public async Task<PostList> QueueAsync(OrgContext org, QueueCursor? after, IReadOnlyList<WorkflowMember>? members, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return PostList.Empty;
        }

        var workflows = members is null ? await steps.LoadAsync(org.Id, cancellationToken) : await steps.LoadAsync(org.Id, members, cancellationToken);
        var userId = org.UserId;
        var approves = workflows.ApprovedBy(userId);
        var byDefault = workflows.ApprovesDefaultStep(userId);
        if (!byDefault && approves.All(accounts => accounts.Count == 0))
        {
            return PostList.Empty;
        }

        // Fixed names per position so the query's shape does not change with the workflows, and each list one
        // parameter (EF.Parameter): as several parameters, or none for an empty list, the SQL would depend on the
        // lists' lengths and be generated again on every view of the queue.
        var (at0, at1, at2, at3, at4) = (approves[0], approves[1], approves[2], approves[3], approves[4]);
        var configured = workflows.Configured.ToList();
        var organizationId = org.Id;
        var targets = db.Set<PostTarget>();
        var reviews = db.Set<PostReview>();
        var revisions = db.Set<PostRevision>();
        var settings = db.Set<ApprovalSettings>();
        var inReview = db.Set<Post>().AsNoTracking().Where(p => p.OrganizationId == organizationId && p.Status == PostStatus.InReview && p.AuthorId != userId);
        // When the person approves nothing beyond the first step (one-step workflows, the common case) the command
        // leaves the later steps out: PostgreSQL plans a command whose lists may be empty for every run, because only
        // a plan for the values at hand can drop the empty branches, while this shorter form keeps one plan. Which
        // form applies depends on the workflows, not on the lists' lengths, so each is written once.
        var firstStepOnly = approves.Skip(1).All(accounts => accounts.Count == 0);
        var onAStep = (firstStepOnly, byDefault) switch
        {
            (true, true) => inReview.Where(p => p.CurrentStep == 0
                && targets.Any(t => t.PostId == p.Id && (EF.Parameter(at0).Contains(t.AccountId) || !EF.Parameter(configured).Contains(t.AccountId)))),
            (true, false) => inReview.Where(p => p.CurrentStep == 0 && targets.Any(t => t.PostId == p.Id && EF.Parameter(at0).Contains(t.AccountId))),
            _ => inReview.Where(p => targets.Any(t => t.PostId == p.Id && (
                (p.CurrentStep == 0 && (EF.Parameter(at0).Contains(t.AccountId) || (byDefault && !EF.Parameter(configured).Contains(t.AccountId))))
                || (p.CurrentStep == 1 && EF.Parameter(at1).Contains(t.AccountId))
                || (p.CurrentStep == 2 && EF.Parameter(at2).Contains(t.AccountId))
                || (p.CurrentStep == 3 && EF.Parameter(at3).Contains(t.AccountId))
                || (p.CurrentStep == 4 && EF.Parameter(at4).Contains(t.AccountId))))),
        };
        var waiting = onAStep.Where(p => !revisions.Any(r => r.PostId == p.Id && r.Revision == p.Revision && r.EditorId == userId)
            && !reviews.Any(r => r.PostId == p.Id && r.Revision == p.Revision && r.Step == p.CurrentStep && r.ReviewerId == userId && r.Decision == ReviewDecision.Approve)
            // Having approved another step is allowed only when every account of the post allows it; asked only of
            // the few posts this person approved at another step.
            && (!reviews.Any(r => r.PostId == p.Id && r.Revision == p.Revision && r.Step != p.CurrentStep && r.ReviewerId == userId && r.Decision == ReviewDecision.Approve)
                || !targets.Any(t => t.PostId == p.Id
                    && !settings.Any(s => s.AccountId == t.AccountId && s.OrganizationId == organizationId && s.OneApproverManySteps))));

        // A page and one more row, which tells whether a next page exists.
        var wanted = QueuePageSize + 1;
        var scheduledRun = Scheduled(waiting, after is { Scheduled: true } ? after : QueueCursor.ScheduledStart).Take(wanted).Select(Row);
        var read = await (after is { Scheduled: true } ? scheduledRun : Unscheduled(waiting, after).Take(wanted).Select(Row).Concat(scheduledRun))
            .ToListAsync(cancellationToken);
        // A UNION ALL promises no order of its own: the runs are put back in queue order here.
        var found = read.OrderBy(r => r.ScheduledAt is not null).ThenBy(r => r.ScheduledAt).ThenBy(r => r.SubmittedAt).ThenBy(r => r.Id)
            .Take(wanted).ToList();
        var next = found.Count > QueuePageSize ? QueueCursor.Of(found[QueuePageSize - 1]).ToString() : null;
        return new PostList(await SummariesAsync(found.Take(QueuePageSize).ToList(), cancellationToken), next);
    }

    /// <summary>The unscheduled run in queue order, after <paramref name="position"/> when it lies in this run.</summary>
    private static IQueryable<Post> Unscheduled(IQueryable<Post> waiting, QueueCursor? position)
    {
        var unscheduled = waiting.Where(p => p.ScheduledAt == null);
        if (position is { } p0)
        {
            var submitted = p0.SubmittedAt;
            var id = p0.Id;
            unscheduled = unscheduled.Where(p => p.SubmittedAt > submitted || (p.SubmittedAt == submitted && p.Id.CompareTo(id) > 0));
        }

        return unscheduled.OrderBy(p => p.SubmittedAt).ThenBy(p => p.Id);
    }

    /// <summary>The scheduled run in queue order, after <paramref name="position"/> (from its start for <see cref="QueueCursor.ScheduledStart"/>).</summary>
    private static IQueryable<Post> Scheduled(IQueryable<Post> waiting, QueueCursor position)
    {
        var scheduled = waiting.Where(p => p.ScheduledAt != null);
        if (position.ScheduledAt is { } at)
        {
            var submitted = position.SubmittedAt;
            var id = position.Id;
            scheduled = scheduled.Where(p => p.ScheduledAt > at
                || (p.ScheduledAt == at && (p.SubmittedAt > submitted || (p.SubmittedAt == submitted && p.Id.CompareTo(id) > 0))));
        }

        return scheduled.OrderBy(p => p.ScheduledAt).ThenBy(p => p.SubmittedAt).ThenBy(p => p.Id);
    }

    public async Task<PostView?> GetAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<Post>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == org.Id, cancellationToken);
        if (post is null || !CanSee(org, post))
        {
            return null;
        }

        var copies = await (from t in db.Set<PostTarget>()
                            join a in db.AccountCards() on t.AccountId equals a.Id
                            where t.PostId == id
                            select new { t, a }).AsNoTracking().ToListAsync(cancellationToken);
        var targetIds = copies.Select(c => c.t.Id).ToList();
        var attempts = await db.Set<DeliveryAttempt>().Where(a => targetIds.Contains(a.TargetId)).AsNoTracking().ToListAsync(cancellationToken);
        var reviews = await db.Set<PostReview>().Where(r => r.PostId == id).AsNoTracking().ToListAsync(cancellationToken);
        var revisions = await db.Set<PostRevision>().Where(r => r.PostId == id).AsNoTracking().ToListAsync(cancellationToken);
        return new PostView(
            post,
            copies.OrderBy(c => c.a.Platform).ThenBy(c => c.a.Handle)
                .Select(c => new CopyView(c.t, c.a, attempts.Where(a => a.TargetId == c.t.Id).OrderBy(a => a.StartedAt).ToList())).ToList(),
            reviews.OrderBy(r => r.At).ToList(),
            revisions.OrderBy(r => r.Revision).ToList(),
            post.Status == PostStatus.InReview ? await review.StateAsync(post, cancellationToken) : null,
            await db.Set<MediaItem>().Where(m => m.PostId == id && m.OrganizationId == org.Id).OrderBy(m => m.UploadedAt).AsNoTracking().ToListAsync(cancellationToken));
    }

    /// <summary>The organization's accounts for the posts filter, retired ones too (old posts went to them), bounded as <see cref="AccountChoices"/> says.</summary>
    public Task<AccountChoices> AccountChoicesAsync(OrgContext org, string? find, Guid? chosen, CancellationToken cancellationToken = default) =>
        AccountChoices.ReadAsync(db, org, find, chosen, withRetired: true, cancellationToken);

    /// <summary>The members who may write posts, by name, for the posts filter, from <see cref="ApprovalSteps.MembersAsync"/>.</summary>
    public static IReadOnlyList<(string Id, string Name)> AuthorChoices(IReadOnlyList<WorkflowMember> members) =>
        members.Where(m => m.Role >= Role.Contributor)
            .Select(m => (m.Id, m.DisplayName is { Length: > 0 } name ? name : m.Email ?? m.Id))
            .OrderBy(p => p.Item2, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Accounts the composer offers: live accounts on networks Rounds publishes to.</summary>
    public async Task<IReadOnlyList<AccountCard>> PostableAccountsAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var accounts = await db.AccountCards().Where(a => a.OrganizationId == org.Id).AsNoTracking().ToListAsync(cancellationToken);
        return accounts.Where(PostRules.CanReceivePosts).OrderBy(a => a.Kind).ThenBy(a => a.Platform).ThenBy(a => a.Handle).ToList();
    }

    /// <summary>
    /// The rows with their accounts, read for the whole page by a second command: the page's copies joined to
    /// their accounts, listed by network, then handle, as the post's own page lists them. An account no longer
    /// there is left out, as the join leaves it.
    /// <para>
    /// Each row once carried its accounts, aggregated by a subquery of the row's own statement. PostgreSQL planned
    /// that subquery's join as a read of the organization's whole accounts table per row, matching every account
    /// against the row's copies: 2.4 ms of its time for the list's 51 rows at 171 accounts (0.2 ms with a key
    /// lookup per copy), and the review-queue page ran two such statements. It read the accounts by key only once the table spread over more pages than its
    /// rows need, so the plan depended on the table's history. One command for the page reads the accounts once.
    /// </para>
    /// </summary>
    private async Task<List<PostSummary>> SummariesAsync(List<PostRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        // The ids as one parameter, so the SQL does not change with the number of rows (see the calendar's copies).
        var ids = rows.Select(r => r.Id).ToList();
        var copies = await (from t in db.Set<PostTarget>()
                            join a in db.AccountCards() on t.AccountId equals a.Id
                            where EF.Parameter(ids).Contains(t.PostId)
                            select new { t.PostId, a.Platform, a.Handle }).ToListAsync(cancellationToken);
        var byPost = copies.ToLookup(c => c.PostId);
        return rows.Select(r => new PostSummary(r, byPost[r.Id]
            .OrderBy(a => a.Platform).ThenBy(a => a.Handle, StringComparer.Ordinal)
            .Select(a => $"{a.Handle} ({AccountNames.Label(a.Platform)})").ToList())).ToList();
    }
}
