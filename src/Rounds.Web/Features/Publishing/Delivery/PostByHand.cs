using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Publishing.Calendar;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>An image of a post to download and attach by hand, with the description to give it.</summary>
public sealed record TaskImage(Guid Id, string FileName, string AltText);

/// <summary>A post's video to download and upload by hand, with the title it was approved with.</summary>
public sealed record TaskVideo(string Title, string FileName, string ContentType, long Bytes);

/// <summary>An approved copy waiting for someone who runs its account to post it by hand.</summary>
public sealed record PostingTask(Guid TargetId, Guid PostId, AccountCard Account, string Text, DateTimeOffset? ApprovedAt, IReadOnlyList<TaskImage> Images, TaskVideo? Video = null);

/// <summary>
/// The approved-for-manual-posting path (docs/decisions/0033-approved-for-manual-posting.md): a copy that
/// Rounds cannot publish itself is handed to the account's owners when it falls due, with the approved words
/// and images; one of them posts it on the network and records the post's address here, which ends the copy
/// as published.
/// </summary>
public sealed class PostByHand(
    RoundsDbContext db, IAccountDirectory accounts, INotifier notifier, IAuditLog audit, PostOutcomes outcomes, TimeProvider clock)
{
    public static string TaskKey(Guid targetId) => $"manual-post:{targetId}";

    /// <summary>
    /// Hands the claimed copy to the people who run the account and tells them; added to the caller's unit of
    /// work. Only members who can open the post's images (contributors and up) are asked; when none of the
    /// account's people is one, the account managers are.
    /// </summary>
    public async Task HandOverAsync(PostTarget target, AccountCard account, string reason, CancellationToken cancellationToken = default)
    {
        target.Status = DeliveryStatus.WithOwner;
        target.ClaimedBy = null;
        target.ClaimedUntil = null;
        target.LastError = "";
        var able = (await notifier.MembersAtLeastAsync(target.OrganizationId, Role.Contributor, cancellationToken)).ToHashSet();
        var people = (await accounts.PeopleOfAsync(target.OrganizationId, target.AccountId, cancellationToken)).Where(able.Contains).ToList();
        if (people.Count == 0)
        {
            people = await notifier.MembersAtLeastAsync(target.OrganizationId, Role.AccountManager, cancellationToken);
        }

        var slug = await db.Organizations.Where(o => o.Id == target.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        audit.Record(target.OrganizationId, "post.copy_handed_to_owner", "Post", target.PostId.ToString(),
            new { Account = target.AccountId, Status = "waiting" }, new { Account = target.AccountId, Status = "with owner", Reason = reason });
        await notifier.NotifyAsync(target.OrganizationId, people, TaskKey(target.Id),
            $"An approved post is ready for you to post by hand on {account.Label}.", $"/o/{slug}/tasks", cancellationToken);
    }

    /// <summary>
    /// The copies waiting to be posted by hand that the person may record: those of accounts they run, or every
    /// one for account managers and above, the longest waiting first.
    /// </summary>
    public async Task<IReadOnlyList<PostingTask>> TasksAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Contributor))
        {
            return [];
        }

        var rows = await (from t in db.Set<PostTarget>()
                          join p in db.Set<Post>() on t.PostId equals p.Id
                          join a in db.AccountCards() on t.AccountId equals a.Id
                          where t.OrganizationId == org.Id && t.Status == DeliveryStatus.WithOwner && p.Status == PostStatus.Approved
                          select new { Target = t, Post = p, Account = a }).AsNoTracking().ToListAsync(cancellationToken);
        var postIds = rows.Select(r => r.Post.Id).Distinct().ToList();
        var images = await db.Set<MediaItem>().AsNoTracking().Where(m => m.OrganizationId == org.Id && m.PostId != null && postIds.Contains(m.PostId.Value))
            .OrderBy(m => m.UploadedAt).Select(m => new { m.PostId, m.Id, m.FileName, m.AltText }).ToListAsync(cancellationToken);
        // A copy handed over because of its video (a network Rounds sends no videos to) is posted with it.
        var videos = await db.Set<PostVideo>().AsNoTracking().Where(v => v.OrganizationId == org.Id && postIds.Contains(v.PostId))
            .Select(v => new { v.PostId, v.Title, v.FileName, v.ContentType, v.Size }).ToDictionaryAsync(v => v.PostId, cancellationToken);
        var tasks = new List<PostingTask>();
        foreach (var row in rows.OrderBy(r => r.Post.ApprovedAt).ThenBy(r => r.Target.Id))
        {
            if (!await MayRecordAsync(org, row.Account.Id, cancellationToken))
            {
                continue;
            }

            tasks.Add(new PostingTask(row.Target.Id, row.Post.Id, row.Account, row.Target.TextFor(row.Post), row.Post.ApprovedAt,
                images.Where(i => i.PostId == row.Post.Id).Select(i => new TaskImage(i.Id, i.FileName, i.AltText)).ToList(),
                videos.TryGetValue(row.Post.Id, out var video) ? new TaskVideo(video.Title, video.FileName, video.ContentType, video.Size) : null));
        }

        return tasks;
    }

    /// <summary>
    /// Records that the copy is out, at <paramref name="address"/>: the copy is published, counts as the
    /// account's activity, and the post ends once all its copies have. Two people recording the same copy at
    /// once cannot both succeed: the move is a conditional update.
    /// </summary>
    public async Task<Outcome> MarkPublishedAsync(OrgContext org, Guid targetId, string? address, CancellationToken cancellationToken = default)
    {
        var row = await (from t in db.Set<PostTarget>()
                         join p in db.Set<Post>() on t.PostId equals p.Id
                         where t.Id == targetId && t.OrganizationId == org.Id
                         select new { Target = t, p.Status }).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var account = row is null ? null : await accounts.FindAsync(org.Id, row.Target.AccountId, cancellationToken);
        if (row is null || account is null || !org.IsAtLeast(Role.Contributor))
        {
            return Outcome.NotFound;
        }

        if (!await MayRecordAsync(org, account.Id, cancellationToken))
        {
            return Outcome.Forbidden($"Only the people who run {account.Label}, or an account manager, may record its posts.");
        }

        if (row.Target.Status != DeliveryStatus.WithOwner || row.Status != PostStatus.Approved)
        {
            return Outcome.Refused($"This copy is no longer waiting to be posted by hand (it is {PostLifecycle.Describe(row.Target.Status)}).");
        }

        var (url, refusal) = ManualPostAddress.Check(account.Platform, account.Handle, address);
        if (url is null)
        {
            return Outcome.Invalid("url", refusal!);
        }

        var now = clock.GetUtcNow();
        var link = url.AbsoluteUri;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var moved = await db.Set<PostTarget>().Where(t => t.Id == targetId && t.Status == DeliveryStatus.WithOwner)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Published).SetProperty(t => t.ExternalUrl, link)
                    .SetProperty(t => t.PublishedAt, now).SetProperty(t => t.LastError, ""), cancellationToken);
            if (moved == 0)
            {
                return Outcome.Refused("Someone else recorded this copy a moment ago.");
            }

            await CalendarPlacement.PlaceAtPublicationAsync(db, [row.Target.PostId], cancellationToken);
            await accounts.AddPublishedPostAsync(org.Id, account.Id, link, now, cancellationToken);
            audit.Record(org.Id, "post.copy_posted_by_hand", "Post", row.Target.PostId.ToString(),
                new { Account = account.Id, Status = "with owner" }, new { Account = account.Id, Status = "published", Url = link });
            await notifier.SettleAsync(org.Id, TaskKey(targetId), null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        await outcomes.CompleteIfFinishedAsync(row.Target.PostId, cancellationToken);
        return Outcome.Success;
    }

    private async Task<bool> MayRecordAsync(OrgContext org, Guid accountId, CancellationToken cancellationToken) =>
        org.IsAtLeast(Role.AccountManager) || (await accounts.PeopleOfAsync(org.Id, accountId, cancellationToken)).Contains(org.UserId);
}
