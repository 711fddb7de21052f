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
public sealed class PublishDuePosts(
    RoundsDbContext db, DeliverCopy deliver, PostOutcomes outcomes, DeliveryInstance instance, AccountThrottle throttle,
    TimeProvider clock, IOptions<DeliveryOptions> options, IServiceScopeFactory scopes, ILogger<PublishDuePosts> logger)
{
    private const int BatchSize = 200;

    private sealed record Candidate(
        Guid TargetId, Guid PostId, Guid OrganizationId, Guid AccountId, DeliveryStatus Status, int Attempts,
        DateTimeOffset? NextAttemptAt, DateTimeOffset? ScheduledAt, Guid Stamp, int Revision);

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
            orderby p.ScheduledAt, t.Id
            select new Candidate(t.Id, t.PostId, t.OrganizationId, t.AccountId, t.Status, t.Attempts, t.NextAttemptAt, p.ScheduledAt, p.ConcurrencyStamp, p.Revision))
            .Take(BatchSize).ToListAsync(cancellationToken);

        var organizations = due.Select(c => c.OrganizationId).Distinct().ToList();
        var grace = await db.Set<PublishingSettings>().Where(s => organizations.Contains(s.OrganizationId))
            .ToDictionaryAsync(s => s.OrganizationId, s => TimeSpan.FromMinutes(s.GraceMinutes), cancellationToken);

        var tally = new Tally();
        var groups = Groups(due);
        if (groups.Count <= 1 || options.Value.Parallelism <= 1)
        {
            foreach (var group in groups)
            {
                await SendAsync(group, db, deliver, grace, tally, cancellationToken);
            }
        }
        else
        {
            // Accounts go out side by side, each with its own unit of work; an account's copies stay in order, so
            // its rate limit and the throttle hold as before, and a post's copies stay in one group (see Groups).
            await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
                async (group, token) =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var services = scope.ServiceProvider;
                    try
                    {
                        await SendAsync(group, services.GetRequiredService<RoundsDbContext>(), services.GetRequiredService<DeliverCopy>(), grace, tally, token);
                    }
                    catch (Exception e) when (!token.IsCancellationRequested)
                    {
                        // One account's trouble must not cancel the others' sends in flight, whose outcome would then
                        // be unknown; its copies are claimed again next cycle, as after a crash.
                        logger.LogError(e, "Publishing to one group of accounts failed this cycle; the other groups went on.");
                    }
                });
        }

        await CompleteFinishedPostsAsync(cancellationToken);
        return new PublishRun(tally.Published, tally.Failed, tally.Retrying, tally.Released, expired, tally.Missed, tally.Held, tally.ByHand);
    }

    private sealed class Tally
    {
        public int Published;
        public int Failed;
        public int Retrying;
        public int Released;
        public int Missed;
        public int Held;
        public int ByHand;
    }

    /// <summary>
    /// The cycle's copies in groups that may go out side by side: one per account, except that accounts sharing a
    /// post are one group, because each claim moves the post's stamp and two claims on one post at once would
    /// turn one of them away. The order of the batch is kept within each group.
    /// </summary>
    private static List<List<Candidate>> Groups(List<Candidate> due)
    {
        var parent = due.Select(c => c.AccountId).Distinct().ToDictionary(a => a);
        Guid Root(Guid account)
        {
            while (parent[account] != account)
            {
                account = parent[account] = parent[parent[account]];
            }

            return account;
        }

        foreach (var post in due.GroupBy(c => c.PostId))
        {
            var first = Root(post.First().AccountId);
            foreach (var copy in post.Skip(1))
            {
                var root = Root(copy.AccountId);
                if (root != first)
                {
                    parent[root] = first;
                }
            }
        }

        return due.GroupBy(c => Root(c.AccountId)).Select(g => g.ToList()).ToList();
    }

    private async Task SendAsync(List<Candidate> copies, RoundsDbContext unit, DeliverCopy sender, Dictionary<Guid, TimeSpan> grace, Tally tally, CancellationToken cancellationToken)
    {
        var session = new ConnectorSession();
        // Each claim changes its post's stamp; the next copy of the same post is claimed against the stamp this cycle set.
        var stamps = new Dictionary<Guid, Guid>();
        foreach (var copy in copies)
        {
            var now = clock.GetUtcNow();
            if (throttle.IsHeld(copy.AccountId, now))
            {
                continue;
            }

            var window = grace.TryGetValue(copy.OrganizationId, out var g) ? g : TimeSpan.FromMinutes(PublishingSettings.DefaultGraceMinutes);
            if (IsOverdue(copy, now, window))
            {
                Interlocked.Add(ref tally.Missed, await MissAsync(unit, copy, window, cancellationToken));
                continue;
            }

            var stamp = stamps.GetValueOrDefault(copy.PostId, copy.Stamp);
            var next = Guid.NewGuid();
            switch (await ClaimAsync(unit, copy.TargetId, copy.PostId, stamp, next, now, cancellationToken))
            {
                case Claim.PostChanged:
                    Interlocked.Increment(ref tally.Released);
                    continue;
                case Claim.Taken:
                    continue;
            }

            stamps[copy.PostId] = next;
            using var sending = RoundsTelemetry.Source.StartActivity("publisher deliver");
            sending?.SetTag("rounds.organization.id", copy.OrganizationId).SetTag("rounds.post.id", copy.PostId).SetTag("rounds.account.id", copy.AccountId);
            if (copy.ScheduledAt is { } scheduled)
            {
                RoundsTelemetry.Lateness.Record(Math.Max(0, (now - scheduled).TotalSeconds));
            }

            var result = await sender.SendAsync(copy.TargetId, copy.Revision, session, cancellationToken);
            var outcome = result.ToString().ToLowerInvariant();
            sending?.SetTag("rounds.outcome", outcome);
            RoundsTelemetry.CopiesDelivered.Add(1, new KeyValuePair<string, object?>("rounds.outcome", outcome));
            switch (result)
            {
                case CopyResult.Published:
                    Interlocked.Increment(ref tally.Published);
                    break;
                case CopyResult.Failed:
                    Interlocked.Increment(ref tally.Failed);
                    break;
                case CopyResult.Retrying:
                    Interlocked.Increment(ref tally.Retrying);
                    break;
                case CopyResult.Released:
                    Interlocked.Increment(ref tally.Released);
                    break;
                case CopyResult.Held:
                    Interlocked.Increment(ref tally.Held);
                    break;
                case CopyResult.HandedToOwner:
                    Interlocked.Increment(ref tally.ByHand);
                    break;
            }
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

    private static async Task<int> MissAsync(RoundsDbContext unit, Candidate copy, TimeSpan window, CancellationToken cancellationToken)
    {
        var reason = $"Due at {PostOutcomes.When(copy.ScheduledAt)} while Rounds was not running; more than {window.TotalMinutes:0} minutes late.";
        return await unit.Set<PostTarget>().Where(t => t.Id == copy.TargetId && t.Status == DeliveryStatus.Waiting && t.Attempts == 0)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Missed).SetProperty(t => t.LastError, reason), cancellationToken);
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
            .Select(p => p.Id).Take(BatchSize).ToListAsync(cancellationToken);
        foreach (var postId in finished)
        {
            await outcomes.CompleteIfFinishedAsync(postId, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the copy for this instance. The condition is checked by the database in the same statement as the
    /// write, so of two instances claiming one copy exactly one succeeds; a claim whose instance died lapses.
    /// The same transaction gives the post a new stamp, only while it is still approved with the stamp read
    /// before: an edit or an image change that read the post earlier then fails on its own stamp instead of
    /// being accepted while the old words go out, and an edit that won first leaves the copy unclaimed.
    /// </summary>
    internal Task<Claim> ClaimAsync(Guid targetId, Guid postId, Guid readStamp, Guid newStamp, DateTimeOffset now, CancellationToken cancellationToken) =>
        ClaimAsync(db, targetId, postId, readStamp, newStamp, now, cancellationToken);

    private async Task<Claim> ClaimAsync(RoundsDbContext unit, Guid targetId, Guid postId, Guid readStamp, Guid newStamp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        await using var transaction = await unit.Database.BeginTransactionAsync(cancellationToken);
        var held = await unit.Set<Post>()
            .Where(p => p.Id == postId && p.Status == PostStatus.Approved && p.ConcurrencyStamp == readStamp)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ConcurrencyStamp, newStamp), cancellationToken);
        if (held == 0)
        {
            return Claim.PostChanged;
        }

        var claimed = await unit.Set<PostTarget>()
            .Where(t => t.Id == targetId
                && ((t.Status == DeliveryStatus.Waiting && (t.NextAttemptAt == null || t.NextAttemptAt <= now))
                    || (t.Status == DeliveryStatus.Sending && t.ClaimedUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, DeliveryStatus.Sending).SetProperty(t => t.ClaimedBy, instance.Id).SetProperty(t => t.ClaimedUntil, until), cancellationToken);
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
