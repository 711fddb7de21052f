using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Ends a post once every copy has ended, and tells its author. The post moves with a conditional update, so
/// when several instances finish copies of one post at once, one of them ends it and notifies.
/// </summary>
public sealed class PostOutcomes(RoundsDbContext db, IAccountDirectory accounts, INotifier notifier, IAuditLog audit, TimeProvider clock)
{
    public async Task CompleteIfFinishedAsync(Guid postId, CancellationToken cancellationToken = default)
    {
        var copies = await db.Set<PostTarget>().AsNoTracking().Where(t => t.PostId == postId)
            .Select(t => new { t.AccountId, t.Status, t.LastError }).ToListAsync(cancellationToken);
        if (copies.Count == 0 || copies.Any(c => c.Status is DeliveryStatus.Waiting or DeliveryStatus.Sending or DeliveryStatus.WithOwner))
        {
            return;
        }

        var status = copies.All(c => c.Status == DeliveryStatus.Published) ? PostStatus.Published
            : copies.All(c => c.Status == DeliveryStatus.Missed) ? PostStatus.Missed
            : PostStatus.Failed;
        var post = await db.Set<Post>().AsNoTracking().FirstAsync(p => p.Id == postId, cancellationToken);
        var lines = new List<string>();
        foreach (var copy in copies)
        {
            var label = (await accounts.FindAsync(post.OrganizationId, copy.AccountId, cancellationToken))?.Label ?? "an account";
            lines.Add(copy.Status == DeliveryStatus.Published ? $"out on {label}" : $"not on {label}: {copy.LastError}");
        }

        var title = status switch
        {
            PostStatus.Published => $"Your post is published ({string.Join("; ", lines)}).",
            PostStatus.Missed => $"Your post was due at {When(post.ScheduledAt)} while Rounds was not running, and came back too late to publish it. Reschedule it if it is still wanted.",
            _ => $"Your post was not published everywhere ({string.Join("; ", lines)}).",
        };
        await EndAsync(post, PostStatus.Approved, status, title, null, cancellationToken);
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

        var key = PostLifecycle.Describe(to).Replace(' ', '-');
        audit.Record(post.OrganizationId, $"post.{key}", "Post", post.Id.ToString(), new { Status = PostLifecycle.Describe(from) }, new { Status = PostLifecycle.Describe(to) });
        var slug = await db.Organizations.Where(o => o.Id == post.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        await notifier.NotifyAsync(post.OrganizationId, [post.AuthorId], $"post-{key}:{post.Id}", Shorten(title), $"/o/{slug}/posts/{post.Id}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    public static string When(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "its time";

    /// <summary>Notification titles hold 500 characters; a network's error message can be long.</summary>
    private static string Shorten(string title) => title.Length <= 500 ? title : title[..497] + "...";
}
