using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing;

public sealed record CopyView(PostTarget Target, AccountCard Account, IReadOnlyList<DeliveryAttempt> Attempts);

public sealed record PostView(
    Post Post,
    IReadOnlyList<CopyView> Copies,
    IReadOnlyList<PostReview> Reviews,
    IReadOnlyList<PostRevision> Revisions,
    ReviewState? Review,
    IReadOnlyList<MediaItem> Images);

public sealed record PostSummary(Post Post, IReadOnlyList<string> Accounts);

/// <summary>Reading posts: lists, the reviewer's queue, one post with its history.</summary>
public sealed class PostQueries(RoundsDbContext db, ReviewPost review)
{
    /// <summary>
    /// Contributors and above see the organization's posts: the team plans the calendar together and every post is
    /// meant to become public. Members and journalists see none.
    /// </summary>
    public static bool CanSee(OrgContext org, Post post) => post.OrganizationId == org.Id && org.IsAtLeast(Role.Contributor);

    public async Task<IReadOnlyList<PostSummary>> ListAsync(OrgContext org, PostStatus? status, bool mine, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return [];
        }

        var query = db.Set<Post>().Where(p => p.OrganizationId == org.Id);
        if (status is { } s)
        {
            query = query.Where(p => p.Status == s);
        }

        if (mine)
        {
            query = query.Where(p => p.AuthorId == org.UserId);
        }

        var posts = await query.OrderByDescending(p => p.UpdatedAt).Take(500).ToListAsync(cancellationToken);
        return await SummariesAsync(posts, cancellationToken);
    }

    /// <summary>Posts waiting on a step the person may act on, the one due first on top.</summary>
    public async Task<IReadOnlyList<PostSummary>> QueueAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return [];
        }

        var waiting = await db.Set<Post>().Where(p => p.OrganizationId == org.Id && p.Status == PostStatus.InReview && p.AuthorId != org.UserId)
            .ToListAsync(cancellationToken);
        var mine = new List<Post>();
        foreach (var post in waiting)
        {
            var state = await review.StateAsync(post, cancellationToken);
            if (state.MayApprove(org.UserId) && !state.ApprovedBy.Contains(org.UserId))
            {
                mine.Add(post);
            }
        }

        // A post without a time goes out as soon as it is approved, so it is the most urgent of all.
        var ordered = mine.OrderBy(p => p.ScheduledAt ?? DateTimeOffset.MinValue).ThenBy(p => p.SubmittedAt).ToList();
        return await SummariesAsync(ordered, cancellationToken);
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

    /// <summary>Accounts the composer offers: live accounts on networks Rounds publishes to.</summary>
    public async Task<IReadOnlyList<AccountCard>> PostableAccountsAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var accounts = await db.AccountCards().Where(a => a.OrganizationId == org.Id).AsNoTracking().ToListAsync(cancellationToken);
        return accounts.Where(PostRules.CanReceivePosts).OrderBy(a => a.Kind).ThenBy(a => a.Platform).ThenBy(a => a.Handle).ToList();
    }

    private async Task<IReadOnlyList<PostSummary>> SummariesAsync(List<Post> posts, CancellationToken cancellationToken)
    {
        var ids = posts.Select(p => p.Id).ToList();
        var handles = await (from t in db.Set<PostTarget>()
                             join a in db.AccountCards() on t.AccountId equals a.Id
                             where ids.Contains(t.PostId)
                             select new { t.PostId, a.Handle, a.Platform }).ToListAsync(cancellationToken);
        return posts.Select(p => new PostSummary(p, handles.Where(h => h.PostId == p.Id)
            .Select(h => $"{h.Handle} ({AccountNames.Label(h.Platform)})").ToList())).ToList();
    }
}
