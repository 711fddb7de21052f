using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Notifications.Contracts;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Ends a post once every copy has ended, and tells its author. The post moves with a conditional update, so
/// when several instances finish copies of one post at once, one of them ends it and notifies.
/// </summary>
public sealed class PostOutcomes(RoundsDbContext db, IAccountDirectory accounts, INotifier notifier, IAuditLog audit, TimeProvider clock)
{
    public Task CompleteIfFinishedAsync(Guid postId, CancellationToken cancellationToken = default) => CompleteFinishedAsync([postId], cancellationToken);

    /// <summary>
    /// Ends those of the posts whose copies have all ended, with one read per kind and, when no other instance
    /// ends any of them meanwhile, one transaction for all (the publisher ends a cycle's posts together).
    /// </summary>
    public async Task CompleteFinishedAsync(IReadOnlyCollection<Guid> postIds, CancellationToken cancellationToken = default)
    {
        var copies = (await db.Set<PostTarget>().AsNoTracking().Where(t => postIds.Contains(t.PostId))
            .Select(t => new { t.PostId, t.AccountId, t.Status, t.LastError }).ToListAsync(cancellationToken)).ToLookup(c => c.PostId);
        var ended = postIds.Distinct().Where(id => copies[id].Any() && !copies[id].Any(c => c.Status is DeliveryStatus.Waiting or DeliveryStatus.Sending or DeliveryStatus.WithOwner)).ToList();
        if (ended.Count == 0)
        {
            return;
        }

        var posts = await db.Set<Post>().AsNoTracking().Where(p => ended.Contains(p.Id)).ToListAsync(cancellationToken);
        var labels = new Dictionary<Guid, string>();
        foreach (var organization in posts.GroupBy(p => p.OrganizationId))
        {
            var accountIds = organization.SelectMany(p => copies[p.Id]).Select(c => c.AccountId).Distinct().ToList();
            foreach (var card in await accounts.FindManyAsync(organization.Key, accountIds, cancellationToken))
            {
                labels[card.Id] = card.Label;
            }
        }

        var endings = new List<Ending>();
        foreach (var post in posts)
        {
            var ofPost = copies[post.Id].ToList();
            var status = ofPost.All(c => c.Status == DeliveryStatus.Published) ? PostStatus.Published
                : ofPost.All(c => c.Status == DeliveryStatus.Missed) ? PostStatus.Missed
                : PostStatus.Failed;
            var lines = ofPost.Select(c => (c.Status == DeliveryStatus.Published ? "out on " : "not on ") + labels.GetValueOrDefault(c.AccountId, "an account")
                + (c.Status == DeliveryStatus.Published ? "" : ": " + c.LastError));
            var title = status switch
            {
                PostStatus.Published => $"Your post is published ({string.Join("; ", lines)}).",
                PostStatus.Missed => $"Your post was due at {When(post.ScheduledAt)} while Rounds was not running, and came back too late to publish it. Reschedule it if it is still wanted.",
                _ => $"Your post was not published everywhere ({string.Join("; ", lines)}).",
            };
            endings.Add(new Ending(post, status, title));
        }

        if (!await EndAllAsync(endings, cancellationToken))
        {
            // Another instance ended some of them first: each is ended (or found ended) on its own.
            foreach (var ending in endings)
            {
                await EndAsync(ending.Post, PostStatus.Approved, ending.To, ending.Title, null, cancellationToken);
            }
        }
    }

    private sealed record Ending(Post Post, PostStatus To, string Title);

    /// <summary>
    /// Moves every approved post of <paramref name="endings"/> to its final status in one statement per status,
    /// with their audit entries and notifications, or, if any of them is no longer approved, nothing.
    /// </summary>
    private async Task<bool> EndAllAsync(List<Ending> endings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stamp = Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var status in endings.GroupBy(e => e.To))
        {
            var ids = status.Select(e => e.Post.Id).ToList();
            var moved = await db.Set<Post>().Where(p => ids.Contains(p.Id) && p.Status == PostStatus.Approved)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, status.Key).SetProperty(p => p.UpdatedAt, now).SetProperty(p => p.ConcurrencyStamp, stamp), cancellationToken);
            if (moved != ids.Count)
            {
                return false;
            }
        }

        foreach (var organization in endings.GroupBy(e => e.Post.OrganizationId))
        {
            var slug = await db.Organizations.Where(o => o.Id == organization.Key).Select(o => o.Slug).FirstAsync(cancellationToken);
            var notices = new List<Notice>();
            foreach (var (post, to, title) in organization)
            {
                notices.Add(Announce(post, PostStatus.Approved, to, title, slug));
            }

            await notifier.NotifyEachAsync(organization.Key, notices, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>Records the move in the audit log and says what the author is to be told.</summary>
    private Notice Announce(Post post, PostStatus from, PostStatus to, string title, string slug)
    {
        var key = PostLifecycle.Describe(to).Replace(' ', '-');
        audit.Record(post.OrganizationId, $"post.{key}", "Post", post.Id.ToString(), new { Status = PostLifecycle.Describe(from) }, new { Status = PostLifecycle.Describe(to) });
        return new Notice(post.AuthorId, $"post-{key}:{post.Id}", Shorten(title), $"/o/{slug}/posts/{post.Id}");
    }

    /// <summary>
    /// Moves the post from <paramref name="from"/> to a final status and tells the author, once. With
    /// <paramref name="stamp"/>, only if nobody has saved the post since it was read.
    /// </summary>
    public async Task<bool> EndAsync(Post post, PostStatus from, PostStatus to, string title, Guid? stamp, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // The move, its audit entry and the notification commit together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Set<Post>().Where(p => p.Id == post.Id && p.Status == from && (stamp == null || p.ConcurrencyStamp == stamp))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, to).SetProperty(p => p.UpdatedAt, now).SetProperty(p => p.ConcurrencyStamp, Guid.NewGuid()), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        if (to == PostStatus.Expired)
        {
            await db.Set<PostTarget>().Where(t => t.PostId == post.Id && t.Status == DeliveryStatus.Waiting)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Expired).SetProperty(t => t.LastError, "Not approved by its scheduled time."), cancellationToken);
        }

        if (from == PostStatus.InReview)
        {
            await notifier.SettleAsync(post.OrganizationId, ReviewPost.WaitingKey(post.Id, post.Revision), null, cancellationToken);
        }

        var slug = await db.Organizations.Where(o => o.Id == post.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        var notice = Announce(post, from, to, title, slug);
        await notifier.NotifyEachAsync(post.OrganizationId, [notice], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    public static string When(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "its time";

    /// <summary>Notification titles hold 500 characters; a network's error message can be long.</summary>
    private static string Shorten(string title) => title.Length <= 500 ? title : title[..497] + "...";
}
