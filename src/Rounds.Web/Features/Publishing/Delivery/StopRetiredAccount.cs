using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Stops publishing for an account as it is retired: its connection is removed (Rounds no longer holds the
/// credentials) and every copy still waiting for it is cancelled, each post's author told. Runs in the unit of
/// work that retires the account, so the retirement and the cancellations commit together. A copy already
/// claimed finds the account retired when the publisher checks it again before sending.
/// </summary>
public sealed class StopRetiredAccount(RoundsDbContext db, IAuditLog audit, INotifier notifier) : IAccountRetirementListener
{
    public async Task AccountRetiredAsync(AccountCard account, CancellationToken cancellationToken = default)
    {
        var connection = await db.Set<AccountConnection>().FirstOrDefaultAsync(c => c.AccountId == account.Id && c.OrganizationId == account.OrganizationId, cancellationToken);
        if (connection is not null)
        {
            db.Remove(connection);
            audit.Record(account.OrganizationId, "account.disconnected", "SocialAccount", account.Id.ToString(),
                new { connection.Network, connection.Identifier, connection.NetworkAccountName }, new { Reason = "retired" });
        }

        var copies = await (from t in db.Set<PostTarget>()
                            join p in db.Set<Post>() on t.PostId equals p.Id
                            where t.AccountId == account.Id && t.OrganizationId == account.OrganizationId && (t.Status == DeliveryStatus.Waiting || t.Status == DeliveryStatus.WithOwner)
                                && (p.Status == PostStatus.Draft || p.Status == PostStatus.InReview || p.Status == PostStatus.ChangesRequested || p.Status == PostStatus.Approved)
                            select new { Target = t, p.AuthorId }).ToListAsync(cancellationToken);
        if (copies.Count == 0)
        {
            return;
        }

        var slug = await db.Organizations.Where(o => o.Id == account.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        foreach (var copy in copies)
        {
            // A copy waiting to be posted by hand is no longer anyone's task.
            await notifier.SettleAsync(account.OrganizationId, PostByHand.TaskKey(copy.Target.Id), null, cancellationToken);
            copy.Target.Status = DeliveryStatus.Cancelled;
            copy.Target.LastError = $"{account.Label} was retired before the post went out.";
            audit.Record(account.OrganizationId, "post.copy_cancelled", "Post", copy.Target.PostId.ToString(), new { Account = account.Id, Status = "waiting" }, new { Status = "cancelled", Reason = "account retired" });
            await notifier.NotifyAsync(account.OrganizationId, [copy.AuthorId], $"post:{copy.Target.PostId}:cancelled:{account.Id}",
                $"{account.Label} was retired, so your post will not go out there.", $"/o/{slug}/posts/{copy.Target.PostId}", cancellationToken);
        }
    }
}
