using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>What one cycle did; <see cref="ByHand"/> counts copies handed to their accounts' owners to post by hand.</summary>
public sealed record PublishRun(int Published, int Failed, int Retrying, int Released, int Expired, int Missed, int Held = 0, int ByHand = 0);

/// <summary>
/// One cycle of the publisher: posts still in review at their time expire; approved posts whose time has come
/// go out, copy by copy, unless they fell due so long ago (Rounds was down) that the organization's grace
/// window has passed, in which case they are missed. Every instance may run this at once: each copy is
/// claimed with a conditional update before it is sent (docs/decisions/0008-exactly-once-delivery.md).
/// </summary>
/// <remarks>
/// A cycle claims its copies together, in one transaction of two statements, and hands them to
/// <see cref="DeliverCopy"/> together: under a burst of thousands of copies due in one minute, a transaction per
/// copy and a dozen reads per copy kept copies minutes late (docs/decisions/0035-publisher-batches.md).
/// </remarks>
public sealed class PublishDuePosts(
    RoundsDbContext db, DeliverCopy deliver, PostOutcomes outcomes, DeliveryInstance instance, AccountThrottle throttle,
    TimeProvider clock, IOptions<DeliveryOptions> options)
{
    private const int BatchSize = 200;

    private sealed record Candidate(
        Guid TargetId, Guid PostId, Guid OrganizationId, Guid AccountId, DeliveryStatus Status, int Attempts,
        DateTimeOffset? NextAttemptAt, DateTimeOffset? ScheduledAt, Guid Stamp, int Revision, Guid? ClaimId = null);

    /// <summary>How a claim ended: the copy is ours, the post changed since it was read, or another instance has the copy.</summary>
    internal enum Claim
    {
        Claimed,
        PostChanged,
        Taken,
    }

    public async Task<PublishRun> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        using var cycle = RoundsTelemetry.Source.StartActivity("publisher cycle");
        var run = await RunCycleAsync(cancellationToken);
        cycle?.SetTag("rounds.published", run.Published).SetTag("rounds.failed", run.Failed).SetTag("rounds.retrying", run.Retrying)
            .SetTag("rounds.released", run.Released).SetTag("rounds.expired", run.Expired).SetTag("rounds.missed", run.Missed).SetTag("rounds.held", run.Held).SetTag("rounds.by_hand", run.ByHand);
        return run;
    }

    private async Task<PublishRun> RunCycleAsync(CancellationToken cancellationToken)
    {
        var expired = await ExpireUnapprovedAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var due = await (
            from t in db.Set<PostTarget>()
            join p in db.Set<Post>() on t.PostId equals p.Id
            where p.Status == PostStatus.Approved && (p.ScheduledAt == null || p.ScheduledAt <= now)
                && ((t.Status == DeliveryStatus.Waiting && (t.NextAttemptAt == null || t.NextAttemptAt <= now))
                    || (t.Status == DeliveryStatus.Sending && t.ClaimedUntil < now))
                // A network's rate limit met by any instance holds the account for all of them, copies approved since included.
                && !db.Set<AccountConnection>().Any(c => c.AccountId == t.AccountId && c.RateLimitedUntil > now)
            orderby p.ScheduledAt, t.Id
            select new Candidate(t.Id, t.PostId, t.OrganizationId, t.AccountId, t.Status, t.Attempts, t.NextAttemptAt, p.ScheduledAt, p.ConcurrencyStamp, p.Revision))
            .Take(BatchSize).ToListAsync(cancellationToken);

        var organizations = due.Select(c => c.OrganizationId).Distinct().ToList();
        var grace = await db.Set<PublishingSettings>().Where(s => organizations.Contains(s.OrganizationId))
            .ToDictionaryAsync(s => s.OrganizationId, s => TimeSpan.FromMinutes(s.GraceMinutes), cancellationToken);

        // Accounts this instance was told to leave alone keep their copies waiting, unclaimed.
        due = due.Where(c => !throttle.IsHeld(c.AccountId, now)).ToList();
        var overdue = due.Where(c => IsOverdue(c, now, grace.TryGetValue(c.OrganizationId, out var g) ? g : TimeSpan.FromMinutes(PublishingSettings.DefaultGraceMinutes))).ToList();
        var missed = await MissAsync(overdue, grace, cancellationToken);

        var (claimed, released) = await ClaimAllAsync(due.Except(overdue).ToList(), now, cancellationToken);
        foreach (var copy in claimed)
        {
            if (copy.ScheduledAt is { } scheduled)
            {
                RoundsTelemetry.Lateness.Record(Math.Max(0, (now - scheduled).TotalSeconds));
            }
        }

        var results = await deliver.SendAsync(claimed.Select(c => new ClaimedCopy(c.TargetId, c.Revision, c.ClaimId)).ToList(), cancellationToken);
        var tally = results.CountBy(r => r).ToDictionary(r => r.Key, r => r.Value);
        foreach (var (result, count) in tally)
        {
            RoundsTelemetry.CopiesDelivered.Add(count, new KeyValuePair<string, object?>("rounds.outcome", result.ToString().ToLowerInvariant()));
        }

        await CompleteFinishedPostsAsync(cancellationToken);
        return new PublishRun(
            tally.GetValueOrDefault(CopyResult.Published), tally.GetValueOrDefault(CopyResult.Failed), tally.GetValueOrDefault(CopyResult.Retrying),
            released + tally.GetValueOrDefault(CopyResult.Released), expired, missed, tally.GetValueOrDefault(CopyResult.Held), tally.GetValueOrDefault(CopyResult.HandedToOwner));
    }

    /// <summary>
    /// Claims the copies for this instance, all in one transaction when nothing else has touched them since they
    /// were read; otherwise (another instance, an edit) one by one, as <see cref="ClaimAsync"/> decides each.
    /// Returns the copies claimed, in order, and how many were let go because their post changed.
    /// </summary>
    private async Task<(List<Candidate> Claimed, int Released)> ClaimAllAsync(List<Candidate> copies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (copies.Count == 0)
        {
            return ([], 0);
        }

        var together = Guid.NewGuid();
        if (copies.Count > 1 && await ClaimTogetherAsync(copies, together, now, cancellationToken))
        {
            return (copies.Select(c => c with { ClaimId = together }).ToList(), 0);
        }

        var claimed = new List<Candidate>();
        var released = 0;
        // Each claim changes its post's stamp; the next copy of the same post is claimed against the stamp this cycle set.
        var stamps = new Dictionary<Guid, Guid>();
        foreach (var copy in copies)
        {
            var next = Guid.NewGuid();
            var claim = Guid.NewGuid();
            switch (await ClaimAsync(copy.TargetId, copy.PostId, stamps.GetValueOrDefault(copy.PostId, copy.Stamp), next, now, cancellationToken, claim))
            {
                case Claim.Claimed:
                    stamps[copy.PostId] = next;
                    claimed.Add(copy with { ClaimId = claim });
                    break;
                case Claim.PostChanged:
                    released++;
                    break;
            }
        }

        return (claimed, released);
    }

    /// <summary>
    /// The claim of <see cref="ClaimAsync"/> for many copies at once: every post still approved with the stamp read
    /// gets one new stamp, and every copy still claimable is taken, or nothing is. The stamps are compared as a set:
    /// the copies were read in one query, and a stamp is only ever replaced by a new one, so a post whose stamp
    /// is among those read still has its own.
    /// </summary>
    private async Task<bool> ClaimTogetherAsync(List<Candidate> copies, Guid claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        var postIds = copies.Select(c => c.PostId).Distinct().ToList();
        var stamps = copies.Select(c => c.Stamp).Distinct().ToList();
        var targetIds = copies.Select(c => c.TargetId).ToList();
        var stamp = Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var held = await db.Set<Post>()
                .Where(p => postIds.Contains(p.Id) && p.Status == PostStatus.Approved && stamps.Contains(p.ConcurrencyStamp))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ConcurrencyStamp, stamp), cancellationToken);
            if (held != postIds.Count)
            {
                return false;
            }

            var claimed = await db.Set<PostTarget>()
                .Where(t => targetIds.Contains(t.Id)
                    && ((t.Status == DeliveryStatus.Waiting && (t.NextAttemptAt == null || t.NextAttemptAt <= now))
                        || (t.Status == DeliveryStatus.Sending && t.ClaimedUntil < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Sending).SetProperty(t => t.ClaimedBy, instance.Id).SetProperty(t => t.ClaimedUntil, until)
                    .SetProperty(t => t.ClaimId, claim), cancellationToken);
            if (claimed != targetIds.Count)
            {
                return false;
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException) when (!cancellationToken.IsCancellationRequested)
        {
            // Two instances claiming overlapping copies at once may deadlock on PostgreSQL, which then ends one of
            // the transactions; the copies are claimed one by one instead, where that cannot happen.
            return false;
        }
    }
    /// <summary>
    /// A copy is missed when it was never tried and is later than the grace window. Polling delay is seconds,
    /// so anything later than the window means the instances were down; a copy that Rounds itself put off
    /// (a rate limit) or has already tried is late for reasons of its own and keeps its turn.
    /// </summary>
    private static bool IsOverdue(Candidate copy, DateTimeOffset now, TimeSpan window) =>
        copy is { Status: DeliveryStatus.Waiting, Attempts: 0, ScheduledAt: { } at }
        && now - at > window
        && (copy.NextAttemptAt is null || copy.NextAttemptAt <= at);

    private async Task<int> MissAsync(List<Candidate> copies, Dictionary<Guid, TimeSpan> grace, CancellationToken cancellationToken)
    {
        var missed = 0;
        // One statement per reason: copies due at the same minute under the same window share one.
        foreach (var reason in copies.GroupBy(c => Reason(c, grace)))
        {
            var ids = reason.Select(c => c.TargetId).ToList();
            missed += await db.Set<PostTarget>().Where(t => ids.Contains(t.Id) && t.Status == DeliveryStatus.Waiting && t.Attempts == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Missed).SetProperty(t => t.LastError, reason.Key), cancellationToken);
        }

        return missed;

        static string Reason(Candidate copy, Dictionary<Guid, TimeSpan> grace)
        {
            var window = grace.TryGetValue(copy.OrganizationId, out var g) ? g : TimeSpan.FromMinutes(PublishingSettings.DefaultGraceMinutes);
            return $"Due at {PostOutcomes.When(copy.ScheduledAt)} while Rounds was not running; more than {window.TotalMinutes:0} minutes late.";
        }
    }

    /// <summary>
    /// Ends the approved posts whose copies have all ended. Looking for them every cycle, rather than right
    /// after a copy ends, also ends the post of an instance that died between the two.
    /// </summary>
    private async Task CompleteFinishedPostsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var copies = db.Set<PostTarget>();
        var finished = await db.Set<Post>().AsNoTracking()
            .Where(p => p.Status == PostStatus.Approved && (p.ScheduledAt == null || p.ScheduledAt <= now)
                && copies.Any(t => t.PostId == p.Id)
                && !copies.Any(t => t.PostId == p.Id && (t.Status == DeliveryStatus.Waiting || t.Status == DeliveryStatus.Sending || t.Status == DeliveryStatus.WithOwner)))
            // Those due first end first, so a backlog larger than a batch ends in a fixed order over the next cycles.
            // Posts to go out at once first: the databases sort a missing time differently.
            .OrderBy(p => p.ScheduledAt != null).ThenBy(p => p.ScheduledAt).ThenBy(p => p.Id)
            .Select(p => p.Id).Take(BatchSize).ToListAsync(cancellationToken);
        await outcomes.CompleteFinishedAsync(finished, cancellationToken);
    }

    /// <summary>
    /// Takes the copy for this instance. The condition is checked by the database in the same statement as the
    /// write, so of two instances claiming one copy exactly one succeeds; a claim whose instance died lapses.
    /// The same transaction gives the post a new stamp, only while it is still approved with the stamp read
    /// before: an edit or an image change that read the post earlier then fails on its own stamp instead of
    /// being accepted while the old words go out, and an edit that won first leaves the copy unclaimed.
    /// </summary>
    internal async Task<Claim> ClaimAsync(Guid targetId, Guid postId, Guid readStamp, Guid newStamp, DateTimeOffset now, CancellationToken cancellationToken, Guid? claimId = null)
    {
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        var claim = claimId ?? Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var held = await db.Set<Post>()
            .Where(p => p.Id == postId && p.Status == PostStatus.Approved && p.ConcurrencyStamp == readStamp)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ConcurrencyStamp, newStamp), cancellationToken);
        if (held == 0)
        {
            return Claim.PostChanged;
        }

        var claimed = await db.Set<PostTarget>()
            .Where(t => t.Id == targetId
                && ((t.Status == DeliveryStatus.Waiting && (t.NextAttemptAt == null || t.NextAttemptAt <= now))
                    || (t.Status == DeliveryStatus.Sending && t.ClaimedUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Sending).SetProperty(t => t.ClaimedBy, instance.Id).SetProperty(t => t.ClaimedUntil, until)
                .SetProperty(t => t.ClaimId, claim), cancellationToken);
        if (claimed == 0)
        {
            // Rolled back with the transaction, so another instance's claim does not disturb the post's stamp.
            return Claim.Taken;
        }

        await transaction.CommitAsync(cancellationToken);
        return Claim.Claimed;
    }

    /// <summary>A post still waiting for approval when its time comes is not published.</summary>
    private async Task<int> ExpireUnapprovedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var late = await db.Set<Post>().AsNoTracking()
            .Where(p => p.Status == PostStatus.InReview && p.ScheduledAt != null && p.ScheduledAt <= now)
            .OrderBy(p => p.ScheduledAt).Take(BatchSize).ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var post in late)
        {
            var title = $"Your post was still waiting for approval at its scheduled time ({PostOutcomes.When(post.ScheduledAt)}), so it was not published.";
            // An edit or a new date since it was read (a new stamp) leaves it for the next cycle to judge.
            if (await outcomes.EndAsync(post, PostStatus.InReview, PostStatus.Expired, title, post.ConcurrencyStamp, cancellationToken))
            {
                expired++;
            }
        }

        return expired;
    }
}
