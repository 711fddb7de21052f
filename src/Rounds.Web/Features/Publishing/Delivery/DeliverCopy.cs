using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.PressRoom.Contracts;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

public enum CopyResult
{
    Published,
    Failed,
    Retrying,

    /// <summary>
    /// Given back unsent: the post was no longer approved, or no longer due, when its copy was about to go out, or
    /// its account was held by a rate limit met earlier in the cycle, or its claim was too old to send on.
    /// </summary>
    Released,

    /// <summary>The copy links to a press release whose lift was moved past the post's time: it waits for the lift.</summary>
    Held,
    /// <summary>Rounds cannot publish to the account; the copy went to its owners to post by hand.</summary>
    HandedToOwner,
}

/// <summary>Connectors of one group of copies, one per account, so that a network session serves all of an account's copies.</summary>
public sealed class ConnectorSession
{
    internal Dictionary<Guid, INetworkConnector> ByAccount { get; } = [];
}

/// <summary>
/// A copy this instance has claimed, and the post's revision at the claim: only that revision's words were approved
/// to go out. <see cref="ClaimId"/> is the claim taken; every write of the copy checks it is still the copy's.
/// </summary>
public sealed record ClaimedCopy(Guid TargetId, int Revision, Guid? ClaimId = null);

/// <summary>
/// Sends claimed copies to their networks and records what happened. The attempt is saved before the network
/// hears of it; a copy whose last attempt never finished, or whose outcome was lost, is read back from the
/// network before anything is published again, so a crash or a timeout never posts twice.
/// </summary>
/// <remarks>
/// A cycle's copies are handled together, so that the database is asked a few times per cycle rather than a
/// dozen times per copy: one read each for the copies, their posts, accounts, connections, images and earlier
/// attempts; one save for every attempt before any is sent; one save for the outcomes after. Only what must be
/// current at the moment of sending is asked per copy, just before it goes: the release embargo and whether the
/// post is still approved at the claimed revision.
/// </remarks>
public sealed class DeliverCopy(
    RoundsDbContext db, IConnectorFactory connectors, ConnectionSecrets secrets, AccountThrottle throttle, DeliveryInstance instance,
    IAccountDirectory accounts, INotifier notifier, IAuditLog audit, IEmbargoedLinks embargoes, PostByHand byHand, PublicImages publicImages, PostVideoStore videos, TimeProvider clock,
    IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, ILogger<DeliverCopy> logger)
{
    /// <summary>Retryable failures are tried this many times in all before the copy fails.</summary>
    public const int MaxAttempts = 8;

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(30);

    /// <summary>How long an account is left alone after a rate limit that did not say for how long.</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromMinutes(1);

    private const string NeedsReconnecting = "the account needs reconnecting on its page";

    /// <param name="claimedRevision">The post's revision when the copy was claimed: only that revision's words were approved to go out.</param>
    public async Task<CopyResult> SendAsync(Guid targetId, int claimedRevision, CancellationToken cancellationToken = default) =>
        (await SendAsync([new ClaimedCopy(targetId, claimedRevision)], cancellationToken))[0];

    /// <summary>
    /// Sends the claimed copies, in their order within each group (see <see cref="Groups"/>), different groups side
    /// by side up to <see cref="DeliveryOptions.Parallelism"/>; the results are in the order of <paramref name="copies"/>.
    /// </summary>
    public async Task<IReadOnlyList<CopyResult>> SendAsync(IReadOnlyList<ClaimedCopy> copies, CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        var results = new CopyResult[copies.Count];
        var facts = await ReadAsync(copies, cancellationToken);
        var now = clock.GetUtcNow();
        var sending = new List<Sending>();
        for (var i = 0; i < copies.Count; i++)
        {
            if (await PrepareAsync(copies[i], facts, now, cancellationToken) is { } decided)
            {
                results[i] = decided;
            }
            else
            {
                sending.Add(Begin(i, copies[i], facts, now));
            }
        }

        // Every attempt is stored before the network hears of its copy, in one save with the copies decided above.
        if (await SaveOwnAsync(cancellationToken) is { Count: > 0 } lost)
        {
            // Taken over by another instance already: not ours to send or to decide.
            for (var i = 0; i < copies.Count; i++)
            {
                if (lost.Contains(copies[i].TargetId))
                {
                    results[i] = CopyResult.Released;
                }
            }

            sending.RemoveAll(c => lost.Contains(c.Target.Id));
        }

        try
        {
            await SendGroupsAsync(sending, cancellationToken);
        }
        finally
        {
            // What went out must be recorded even when the host is stopping or a group failed unexpectedly: an
            // unrecorded post is read back later, at the cost of a second attempt; the few writes here end within
            // the command timeout.
            await RecordAsync(sending, results, CancellationToken.None);
        }

        return results;
    }

    /// <summary>What the copies need, read in one query per kind.</summary>
    private sealed record Facts(
        Dictionary<Guid, PostTarget> Targets, Dictionary<Guid, Post> Posts, Dictionary<Guid, AccountCard> Accounts, Dictionary<Guid, AccountConnection> Connections,
        HashSet<Guid> PostsWithImages, ILookup<Guid, string> ImageTypes, HashSet<Guid> PostsWithVideo, ILookup<Guid, DeliveryAttempt> Attempts);

    private async Task<Facts> ReadAsync(IReadOnlyList<ClaimedCopy> copies, CancellationToken cancellationToken)
    {
        var ids = copies.Select(c => c.TargetId).Distinct().ToList();
        var targets = await db.Set<PostTarget>().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        foreach (var copy in copies)
        {
            // Another instance (its clock ahead by more than the lease) may have taken the copy between the claim and
            // this read: the saves are checked against the claim this instance took, not the one read, so they
            // leave the copy to its new holder and nothing is sent.
            if (copy.ClaimId is { } claim && targets.TryGetValue(copy.TargetId, out var target) && target.ClaimId != claim)
            {
                db.Entry(target).Property(t => t.ClaimId).OriginalValue = claim;
            }
        }

        var postIds = targets.Values.Select(t => t.PostId).Distinct().ToList();
        var posts = await db.Set<Post>().AsNoTracking().Where(p => postIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var cards = new Dictionary<Guid, AccountCard>();
        foreach (var organization in targets.Values.GroupBy(t => t.OrganizationId))
        {
            foreach (var card in await accounts.FindManyAsync(organization.Key, organization.Select(t => t.AccountId), cancellationToken))
            {
                cards[card.Id] = card;
            }
        }

        var accountIds = targets.Values.Select(t => t.AccountId).Distinct().ToList();
        var connections = await db.Set<AccountConnection>().AsNoTracking().Where(c => accountIds.Contains(c.AccountId)).ToDictionaryAsync(c => c.AccountId, cancellationToken);
        var images = await db.Set<MediaItem>().Where(m => m.PostId != null && postIds.Contains(m.PostId.Value)).Select(m => new { PostId = m.PostId!.Value, m.ContentType }).ToListAsync(cancellationToken);
        // Tracked: an attempt left started by a stopped instance is marked unknown below.
        var attempts = await db.Set<DeliveryAttempt>().Where(a => ids.Contains(a.TargetId)).ToListAsync(cancellationToken);
        var withVideo = await db.Set<PostVideo>().Where(v => postIds.Contains(v.PostId)).Select(v => v.PostId).ToListAsync(cancellationToken);
        return new Facts(targets, posts, cards, connections, images.Select(i => i.PostId).ToHashSet(), images.ToLookup(i => i.PostId, i => i.ContentType), withVideo.ToHashSet(), attempts.ToLookup(a => a.TargetId));
    }

    /// <summary>Decides a copy that cannot go out as it stands; null when it is to be sent.</summary>
    private async Task<CopyResult?> PrepareAsync(ClaimedCopy copy, Facts facts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!facts.Targets.TryGetValue(copy.TargetId, out var target) || !facts.Posts.TryGetValue(target.PostId, out var post))
        {
            // Deleted with its post since the claim: nothing is left to send.
            return CopyResult.Released;
        }

        // Approval is checked again now that the copy is ours: an edit or a withdrawal since the cycle began wins.
        if (post.Status != PostStatus.Approved || post.Revision != copy.Revision || post.ScheduledAt > now)
        {
            GiveBack(target, null);
            return CopyResult.Released;
        }

        // Only a running account publishes: one retired since the post was approved says nothing more for the organization.
        var account = facts.Accounts.GetValueOrDefault(target.AccountId);
        if (account is null || !PostRules.CanReceivePosts(account))
        {
            target.Status = DeliveryStatus.Cancelled;
            target.LastError = account is null ? "The account is no longer in the registry." : $"{account.Label} is {AccountNames.Label(account.Status).ToLowerInvariant()}, and only running accounts publish.";
            Release(target);
            return CopyResult.Failed;
        }

        var connection = facts.Connections.GetValueOrDefault(target.AccountId);
        var (hasImages, hasVideo) = (facts.PostsWithImages.Contains(post.Id), facts.PostsWithVideo.Contains(post.Id));
        var byHandWhy = PublishingPaths.IsByHand(account.Platform, connection, hasImages, hasVideo)
            ? PublishingPaths.WhyByHand(account.Platform, connection, hasImages, hasVideo)
            // Images the network would refuse (its types, its count, Instagram's one at least) go to the owners as
            // surely as a missing connector: failing at the network would leave the approved post unposted.
            : PublishingPaths.ImagesRefused(account.Platform, [.. facts.ImageTypes[post.Id]]);
        if (byHandWhy is not null)
        {
            // The owner may post the task's words the moment it arrives, so a lift moved since approval is checked now,
            // as it is just before Rounds sends a copy itself.
            var embargoed = await embargoes.FindAsync(target.OrganizationId, target.TextFor(post), cancellationToken);
            if (embargoed.Count > 0)
            {
                return await HoldForLiftAsync(target, post, embargoed.MaxBy(l => l.LiftAt)!, cancellationToken);
            }

            await byHand.HandOverAsync(target, account, byHandWhy, cancellationToken);
            return CopyResult.HandedToOwner;
        }

        if (connection!.Status == ConnectionStatus.NeedsReconnect)
        {
            Fail(target, null, NeedsReconnecting);
            return CopyResult.Failed;
        }

        return null;
    }

    /// <summary>Records the attempt of a copy about to go out (saved with the others before any is sent).</summary>
    private Sending Begin(int index, ClaimedCopy copy, Facts facts, DateTimeOffset now)
    {
        var target = facts.Targets[copy.TargetId];
        var earlier = facts.Attempts[target.Id].ToList();
        // An earlier attempt still marked started belongs to an instance that stopped mid-send: its outcome is unknown.
        var unfinished = earlier.Where(a => a.Outcome == AttemptOutcome.Started).ToList();
        foreach (var stale in unfinished)
        {
            stale.Outcome = AttemptOutcome.Unknown;
            stale.FinishedAt = now;
            stale.Message = "The instance stopped before it recorded the result.";
        }

        var readBack = target.OutcomeUnknown || unfinished.Count > 0;
        var attempt = new DeliveryAttempt { OrganizationId = target.OrganizationId, TargetId = target.Id, Instance = instance.Id, StartedAt = now, Outcome = AttemptOutcome.Started };
        db.Add(attempt);
        target.Attempts++;
        target.OutcomeUnknown = readBack;
        // Read-back on networks without keys looks at posts made since the first attempt, so every retry passes that same time.
        var firstAttemptAt = earlier.Count > 0 ? earlier.Min(a => a.StartedAt) : now;
        var post = facts.Posts[target.PostId];
        return new Sending(index, target, post, copy.Revision, facts.Connections[target.AccountId], attempt, readBack, firstAttemptAt, facts.PostsWithImages.Contains(post.Id), facts.PostsWithVideo.Contains(post.Id));
    }

    /// <summary>A copy on its way: what it needs to be sent, and, once the group is done, what happened.</summary>
    private sealed class Sending(int index, PostTarget target, Post post, int revision, AccountConnection connection, DeliveryAttempt attempt, bool readBack, DateTimeOffset firstAttemptAt, bool hasImages, bool hasVideo)
    {
        public int Index { get; } = index;
        public PostTarget Target { get; } = target;
        public Post Post { get; } = post;
        public int Revision { get; } = revision;
        public AccountConnection Connection { get; } = connection;
        public DeliveryAttempt Attempt { get; } = attempt;
        public bool ReadBack { get; } = readBack;
        public DateTimeOffset FirstAttemptAt { get; } = firstAttemptAt;
        public bool HasImages { get; } = hasImages;
        public bool HasVideo { get; } = hasVideo;

        public Sent Outcome { get; set; } = Sent.NotSent;
        public PublishedPost? Published { get; set; }
        public bool FoundExisting { get; set; }
        public EmbargoedLink? Embargo { get; set; }
        public DateTimeOffset? HeldUntil { get; set; }

        /// <summary>Whether the account's hold reached the database as soon as the network limited it.</summary>
        public bool HoldStored { get; set; }
        public Exception? Error { get; set; }
    }

    private enum Sent
    {
        /// <summary>Not sent: the post changed, the claim is too old to send on, or the host is stopping.</summary>
        NotSent,
        Published,

        /// <summary>Not sent: the copy links to a release whose lift was moved past the post's time.</summary>
        Embargoed,

        /// <summary>Not sent: the network limited the account's posting during this cycle.</summary>
        AccountHeld,

        /// <summary>Not sent: the network refused the account's credentials during this cycle.</summary>
        CredentialsRefused,

        /// <summary>Sent, and the network (or something on the way) failed; <see cref="Sending.Error"/> says how.</summary>
        Failed,

        /// <summary>Cancelled while talking to the network: the outcome is unknown and the claim is left to lapse.</summary>
        Abandoned,
    }

    /// <summary>
    /// The copies in groups that may go out side by side: one per account, so that each account's copies go out
    /// in order under its rate limit and the throttle, except that accounts sharing a post are one group, so that
    /// a change to the post seen while one of its copies goes out stops the others. The order is kept within each group.
    /// </summary>
    private static List<List<Sending>> Groups(List<Sending> copies)
    {
        var parent = copies.Select(c => c.Target.AccountId).Distinct().ToDictionary(a => a);
        Guid Root(Guid account)
        {
            while (parent[account] != account)
            {
                account = parent[account] = parent[parent[account]];
            }

            return account;
        }

        foreach (var post in copies.GroupBy(c => c.Post.Id))
        {
            var first = Root(post.First().Target.AccountId);
            foreach (var copy in post.Skip(1))
            {
                var root = Root(copy.Target.AccountId);
                if (root != first)
                {
                    parent[root] = first;
                }
            }
        }

        return copies.GroupBy(c => Root(c.Target.AccountId)).Select(g => g.ToList()).ToList();
    }

    private async Task SendGroupsAsync(List<Sending> copies, CancellationToken cancellationToken)
    {
        var groups = Groups(copies);
        var started = clock.GetUtcNow();
        if (groups.Count <= 1 || options.Value.Parallelism <= 1)
        {
            foreach (var group in groups)
            {
                await SendGroupAsync(group, db, embargoes, started, cancellationToken);
            }

            return;
        }

        // Each group reads with its own unit of work. The groups are not cancelled from outside: each stops
        // starting copies once the token fires, so that what was sent is still recorded.
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism }, async (group, _) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            await SendGroupAsync(group, services.GetRequiredService<RoundsDbContext>(), services.GetRequiredService<IEmbargoedLinks>(), started, cancellationToken);
        });
    }

    private async Task SendGroupAsync(List<Sending> copies, RoundsDbContext unit, IEmbargoedLinks releases, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var session = new ConnectorSession();
        var refused = new HashSet<Guid>();
        foreach (var copy in copies)
        {
            // The claim must outlast a send and its record; a copy reached only after half of its claim has gone
            // (counted from the claim, not from this cycle's start) is claimed afresh next cycle.
            var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
            var sendBy = (copy.Target.ClaimedUntil ?? started + lease) - lease / 2;
            var now = clock.GetUtcNow();
            var account = copy.Target.AccountId;
            if (cancellationToken.IsCancellationRequested || now > sendBy)
            {
                continue;
            }

            if (throttle.HeldUntil(account, now) is { } until)
            {
                (copy.Outcome, copy.HeldUntil) = (Sent.AccountHeld, until);
                continue;
            }

            if (refused.Contains(account))
            {
                copy.Outcome = Sent.CredentialsRefused;
                continue;
            }

            PublishRequest request;
            try
            {
                // Approval checked the embargo against the lift of that moment; the team may have moved the lift since.
                var embargoed = await releases.FindAsync(copy.Target.OrganizationId, copy.Target.TextFor(copy.Post), cancellationToken);
                if (embargoed.Count > 0)
                {
                    (copy.Outcome, copy.Embargo) = (Sent.Embargoed, embargoed.MaxBy(l => l.LiftAt));
                    continue;
                }

                var images = copy.HasImages
                    ? await unit.Set<MediaItem>().AsNoTracking().Where(m => m.PostId == copy.Post.Id).OrderBy(m => m.UploadedAt)
                        .Select(m => new { m.Id, m.Content, m.ContentType, m.AltText }).ToListAsync(cancellationToken)
                    : [];
                // Networks that fetch images get an expiring public address of each, made afresh for every attempt.
                var fetches = PublishingPaths.FetchesImages(copy.Connection.Network);
                var media = images.Select(m => new MediaAttachment(m.Content, m.ContentType, m.AltText, fetches ? publicImages.AddressOf(m.Id, copy.Target.Id) : null)).ToList();
                request = new PublishRequest(copy.Target.TextFor(copy.Post), copy.Target.IdempotencyKey, copy.FirstAttemptAt, media.Count > 0 ? media : null)
                {
                    Video = copy.HasVideo ? await VideoOfAsync(copy, unit, cancellationToken) : null,
                };

                // The last look before the network hears of it: the words and images read above must still be the
                // approved ones, and no instance may have met the account's rate limit since this cycle began.
                var look = await unit.Set<Post>().Where(p => p.Id == copy.Post.Id)
                    .Select(p => new
                    {
                        Current = p.Status == PostStatus.Approved && p.Revision == copy.Revision,
                        HeldUntil = unit.Set<AccountConnection>().Where(c => c.AccountId == account).Select(c => c.RateLimitedUntil).FirstOrDefault(),
                    })
                    .FirstOrDefaultAsync(cancellationToken);
                if (look is not { Current: true })
                {
                    continue;
                }

                if (look.HeldUntil is { } held && held > now)
                {
                    throttle.Hold(account, held);
                    (copy.Outcome, copy.HeldUntil) = (Sent.AccountHeld, held);
                    continue;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing reached the network: the copy is given back unsent.
                logger.LogError(e, "Checking copy {Target} before sending it failed.", copy.Target.Id);
                continue;
            }

            using var sending = RoundsTelemetry.Source.StartActivity("publisher deliver");
            sending?.SetTag("rounds.organization.id", copy.Target.OrganizationId).SetTag("rounds.post.id", copy.Post.Id).SetTag("rounds.account.id", account);
            await PublishAsync(copy, () => ConnectorFor(copy.Connection, session), request, cancellationToken);
            sending?.SetTag("rounds.outcome", copy.Outcome.ToString().ToLowerInvariant());
            switch (copy.Error)
            {
                case CryptographicException:
                case NetworkException { Kind: FailureKind.Auth }:
                    session.ByAccount.Remove(account);
                    refused.Add(account);
                    break;
                case NetworkException { Kind: FailureKind.RateLimited } limited:
                    // Held at once, so that the account's next copies in this cycle stay unsent, and stored at once,
                    // so that no other instance sends into the limit while this cycle goes on.
                    copy.HeldUntil = HoldUntil(limited);
                    throttle.Hold(account, copy.HeldUntil.Value);
                    copy.HoldStored = await StoreHoldAsync(unit, account, copy.HeldUntil.Value);
                    break;
            }
        }
    }

    /// <summary>
    /// The post's video, read from the store by offset as the connector sends it. The upload session a network
    /// gives is stored on the copy with the revision it was started for, before any byte is sent, so a later
    /// attempt (on this instance or another) resumes it or finds the video it made; a session of an earlier
    /// revision (the video or the text changed since) is not resumed.
    /// </summary>
    private async Task<VideoAttachment> VideoOfAsync(Sending copy, RoundsDbContext unit, CancellationToken cancellationToken)
    {
        var video = await unit.Set<PostVideo>().AsNoTracking().FirstAsync(v => v.PostId == copy.Post.Id, cancellationToken);
        var stored = await unit.Set<PostTarget>().Where(t => t.Id == copy.Target.Id).Select(t => t.UploadSession).FirstOrDefaultAsync(cancellationToken);
        var prefix = copy.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ";
        var targetId = copy.Target.Id;
        return new VideoAttachment(video.Title, video.ContentType, video.Size, (offset, _) => Task.FromResult(videos.OpenAt(video.StorageName, offset)))
        {
            Session = stored is not null && stored.StartsWith(prefix, StringComparison.Ordinal) && Uri.TryCreate(stored[prefix.Length..], UriKind.Absolute, out var session) ? session : null,
            SessionStarted = (uri, ct) => unit.Set<PostTarget>().Where(t => t.Id == targetId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UploadSession, prefix + uri), ct),
        };
    }

    /// <param name="connectorFor">Made inside the guard: a stored secret that can no longer be read fails this copy, not the cycle.</param>
    private async Task PublishAsync(Sending copy, Func<INetworkConnector> connectorFor, PublishRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var connector = connectorFor();
            var published = copy.ReadBack ? await connector.FindAsync(request, cancellationToken) : null;
            copy.FoundExisting = published is not null;
            copy.Published = published ?? await connector.PublishAsync(request, cancellationToken);
            copy.Outcome = Sent.Published;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            copy.Outcome = Sent.Abandoned;
        }
        catch (Exception e)
        {
            (copy.Outcome, copy.Error) = (Sent.Failed, e);
        }
    }

    /// <summary>
    /// Writes the account's hold, and puts off its waiting copies, in two conditional updates that only ever move
    /// the time later. Not cancelled with the cycle: it is what keeps every instance out of the limit.
    /// </summary>
    private async Task<bool> StoreHoldAsync(RoundsDbContext unit, Guid account, DateTimeOffset until)
    {
        try
        {
            await unit.Set<AccountConnection>().Where(c => c.AccountId == account && (c.RateLimitedUntil == null || c.RateLimitedUntil < until))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RateLimitedUntil, until), CancellationToken.None);
            await unit.Set<PostTarget>()
                .Where(t => t.AccountId == account && t.Status == DeliveryStatus.Waiting && (t.NextAttemptAt == null || t.NextAttemptAt < until))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.NextAttemptAt, until), CancellationToken.None);
            return true;
        }
        catch (DbException e)
        {
            // Tried again with the cycle's outcomes; until then this instance's throttle holds the account.
            logger.LogWarning(e, "The rate limit of account {Account} could not be stored at once.", account);
            return false;
        }
    }

    /// <summary>
    /// Saves the tracked changes, leaving out every copy whose claim another instance has taken since (its row
    /// carries another claim id): what that instance records stands. Returns the copies left out; an attempt of
    /// theirs left started is read back by whoever holds the copy.
    /// </summary>
    private async Task<HashSet<Guid>> SaveOwnAsync(CancellationToken cancellationToken)
    {
        var lost = new HashSet<Guid>();
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return lost;
            }
            catch (DbUpdateConcurrencyException e)
            {
                var taken = e.Entries.Select(entry => entry.Entity).OfType<PostTarget>().ToList();
                if (taken.Count == 0 || !taken.TrueForAll(t => lost.Add(t.Id)))
                {
                    throw;
                }

                foreach (var target in taken)
                {
                    logger.LogWarning("Copy {Target} was taken over by another instance; what this one did with it is not recorded.", target.Id);
                    foreach (var attempt in db.ChangeTracker.Entries<DeliveryAttempt>().Where(a => a.Entity.TargetId == target.Id).ToList())
                    {
                        attempt.State = EntityState.Detached;
                    }

                    db.Entry(target).State = EntityState.Detached;
                }
            }
        }
    }

    private DateTimeOffset HoldUntil(NetworkException e)
    {
        var wait = e.RetryAfter is { } asked && asked > TimeSpan.Zero ? asked : DefaultRateLimitWait;
        return clock.GetUtcNow() + (wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
    }

    /// <summary>
    /// Writes every outcome in one save; then holds the waiting copies of rate-limited accounts and flags refused
    /// connections, which are statements of their own.
    /// </summary>
    private async Task RecordAsync(List<Sending> copies, CopyResult[] results, CancellationToken cancellationToken)
    {
        var published = new List<(Guid Organization, PublishedByRounds Post)>();
        var refused = new List<(Sending Copy, string Reason)>();
        var recordedAt = clock.GetUtcNow();
        foreach (var copy in copies)
        {
            var target = copy.Target;
            var attempt = copy.Attempt;

            // A claim that has lapsed may be another instance's by now: giving the copy back or scheduling a retry
            // would overwrite what that instance does. The copy stays as it was, started and claimed, and whoever
            // takes it next reads the network back before sending.
            if (copy.Outcome != Sent.Published && target.ClaimedUntil is { } until && until <= recordedAt)
            {
                results[copy.Index] = CopyResult.Retrying;
                continue;
            }

            switch (copy.Outcome)
            {
                case Sent.Abandoned:
                    // Left as the stopping host had it: started and claimed, read back once the claim lapses.
                    results[copy.Index] = CopyResult.Retrying;
                    continue;
                case Sent.NotSent:
                    GiveBack(target, attempt);
                    results[copy.Index] = CopyResult.Released;
                    continue;
                case Sent.AccountHeld:
                    GiveBack(target, attempt);
                    target.NextAttemptAt = copy.HeldUntil;
                    results[copy.Index] = CopyResult.Released;
                    continue;
                case Sent.Embargoed:
                    GiveBack(target, attempt);
                    results[copy.Index] = await HoldForLiftAsync(target, copy.Post, copy.Embargo!, cancellationToken);
                    continue;
                case Sent.CredentialsRefused:
                    GiveBack(target, attempt);
                    Fail(target, null, NeedsReconnecting);
                    results[copy.Index] = CopyResult.Failed;
                    continue;
                case Sent.Published:
                    Succeed(target, attempt, copy.FoundExisting ? AttemptOutcome.FoundExisting : AttemptOutcome.Published, copy.Published!);
                    // Counted as the account's activity in the same save, so trials and dormancy see every post Rounds publishes.
                    published.Add((target.OrganizationId, new PublishedByRounds(target.AccountId, copy.Published!.Url, target.PublishedAt!.Value)));
                    results[copy.Index] = CopyResult.Published;
                    continue;
            }

            switch (copy.Error)
            {
                case CryptographicException e:
                    // The data-protection keys that encrypted the secret are gone: only a new secret helps.
                    logger.LogWarning(e, "The stored secret of account {Account} cannot be decrypted.", target.AccountId);
                    refused.Add((copy, "the stored secret can no longer be read"));
                    results[copy.Index] = Fail(target, attempt, "the network refused the account's credentials: the stored secret can no longer be read");
                    break;
                case NetworkException { Kind: FailureKind.Auth } e:
                    refused.Add((copy, e.Message));
                    results[copy.Index] = Fail(target, attempt, "the network refused the account's credentials: " + e.Message);
                    break;
                case NetworkException { Kind: FailureKind.Content } e:
                    results[copy.Index] = Fail(target, attempt, e.Message);
                    break;
                case NetworkException { Kind: FailureKind.RateLimited } e:
                    results[copy.Index] = HoldAccount(target, attempt, e, copy.HeldUntil!.Value);
                    break;
                case NetworkException { Kind: FailureKind.Retryable } e:
                    results[copy.Index] = RetryLater(target, attempt, e.Message, e.OutcomeUnknown, e.RetryAfter);
                    break;
                case var e:
                    // Anything else (a malformed answer, a bug) may have come after the post was stored: read back next time.
                    logger.LogError(e, "Publishing copy {Target} failed unexpectedly.", target.Id);
                    results[copy.Index] = RetryLater(target, attempt, "Unexpected error: " + e!.Message, outcomeUnknown: true, null);
                    break;
            }
        }

        foreach (var organization in published.GroupBy(p => p.Organization))
        {
            await accounts.AddPublishedPostsAsync(organization.Key, organization.Select(p => p.Post).ToList(), cancellationToken);
        }

        HashSet<Guid> lost;
        var placed = copies.Where(c => results[c.Index] == CopyResult.Published).Select(c => c.Target.PostId).Distinct().ToList();
        if (placed.Count == 0)
        {
            lost = await SaveOwnAsync(cancellationToken);
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            lost = await SaveOwnAsync(cancellationToken);
            await CalendarPlacement.PlaceAtPublicationAsync(db, placed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var copy in copies.Where(c => lost.Contains(c.Target.Id)))
        {
            results[copy.Index] = CopyResult.Retrying;
        }

        foreach (var held in copies.Where(c => c is { Outcome: Sent.Failed, Error: NetworkException { Kind: FailureKind.RateLimited }, HoldStored: false }))
        {
            await StoreHoldAsync(db, held.Target.AccountId, held.HeldUntil!.Value);
        }

        foreach (var (copy, reason) in refused)
        {
            await FlagReconnectAsync(copy.Target, copy.Connection, reason, cancellationToken);
        }
    }

    private INetworkConnector ConnectorFor(AccountConnection connection, ConnectorSession session)
    {
        if (!session.ByAccount.TryGetValue(connection.AccountId, out var connector))
        {
            connector = connectors.Create(connection.Network, secrets.CredentialsOf(connection));
            session.ByAccount[connection.AccountId] = connector;
        }

        return connector;
    }

    private void Succeed(PostTarget target, DeliveryAttempt attempt, AttemptOutcome outcome, PublishedPost published)
    {
        target.Status = DeliveryStatus.Published;
        target.ExternalId = published.Id;
        target.ExternalUrl = published.Url;
        target.PublishedAt = clock.GetUtcNow();
        target.OutcomeUnknown = false;
        target.LastError = "";
        Release(target);
        Finish(attempt, outcome, published.Url);
    }

    private CopyResult Fail(PostTarget target, DeliveryAttempt? attempt, string reason)
    {
        target.Status = DeliveryStatus.Failed;
        target.LastError = Trim(reason);
        Release(target);
        if (attempt is not null)
        {
            Finish(attempt, AttemptOutcome.Failed, reason);
        }

        return CopyResult.Failed;
    }

    private CopyResult RetryLater(PostTarget target, DeliveryAttempt attempt, string reason, bool outcomeUnknown, TimeSpan? retryAfter)
    {
        target.OutcomeUnknown = target.OutcomeUnknown || outcomeUnknown;
        if (target.Attempts >= MaxAttempts)
        {
            return Fail(target, attempt, $"gave up after {target.Attempts} attempts: {reason}");
        }

        var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(target.Attempts - 1, 16)));
        var wait = retryAfter is { } asked && asked > backoff ? asked : backoff;
        target.Status = DeliveryStatus.Waiting;
        target.NextAttemptAt = clock.GetUtcNow() + wait;
        target.LastError = Trim(reason);
        Release(target);
        Finish(attempt, outcomeUnknown ? AttemptOutcome.Unknown : AttemptOutcome.Failed, reason);
        return CopyResult.Retrying;
    }

    /// <summary>
    /// A rate limit applies to the account, not to one copy: the account and every waiting copy of it wait until the
    /// network's time, in the database (stored as the network answered, for the other instances) and in this
    /// instance's throttle; this copy waits with them.
    /// </summary>
    private CopyResult HoldAccount(PostTarget target, DeliveryAttempt attempt, NetworkException e, DateTimeOffset until)
    {
        target.Status = DeliveryStatus.Waiting;
        target.NextAttemptAt = until;
        target.LastError = Trim(e.Message);
        // The network turned the request away without reading it: that is not one of the copy's tries.
        target.Attempts--;
        Release(target);
        Finish(attempt, AttemptOutcome.RateLimited, e.Message);
        return CopyResult.Retrying;
    }

    /// <summary>
    /// The network refused the credentials: the connection is flagged, and its owners and the communications team
    /// are told once (the flag is set with a conditional update).
    /// </summary>
    private async Task FlagReconnectAsync(PostTarget target, AccountConnection connection, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var flagged = await db.Set<AccountConnection>()
            .Where(c => c.AccountId == connection.AccountId && c.Status == ConnectionStatus.Connected && c.ConnectedAt == connection.ConnectedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect).SetProperty(c => c.LastError, Trim(reason)), cancellationToken);
        if (flagged == 0)
        {
            return;
        }

        var card = await accounts.FindAsync(target.OrganizationId, target.AccountId, cancellationToken);
        var people = (await accounts.PeopleOfAsync(target.OrganizationId, target.AccountId, cancellationToken))
            .Concat(await notifier.MembersAtLeastAsync(target.OrganizationId, Role.AccountManager, cancellationToken));
        var slug = await db.Organizations.Where(o => o.Id == target.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        audit.Record(target.OrganizationId, "account.needs_reconnect", "SocialAccount", target.AccountId.ToString(), new { Status = "connected" }, new { Status = "needs_reconnect", Reason = Trim(reason) });
        await notifier.NotifyAsync(target.OrganizationId, people, $"account-reconnect:{target.AccountId}:{connection.ConnectedAt.UtcTicks}",
            $"{card?.Label ?? "An account"} needs reconnecting: the network refused its credentials, and its posts are not going out.", $"/o/{slug}/accounts/{target.AccountId}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Puts the copy off until the latest lift among the releases it links to, with the reason on the copy, and
    /// tells the author once per lift. No attempt is kept: the network never hears of it, so the copy keeps its
    /// tries and is not counted as missed when it goes out after its scheduled time.
    /// </summary>
    private async Task<CopyResult> HoldForLiftAsync(PostTarget target, Post post, EmbargoedLink link, CancellationToken cancellationToken)
    {
        target.Status = DeliveryStatus.Waiting;
        target.NextAttemptAt = link.LiftAt;
        target.LastError = $"Held: the copy links to a press release under embargo until {link.LiftDescribed}; it goes out after the lift.";
        Release(target);
        var slug = await db.Organizations.Where(o => o.Id == target.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        audit.Record(target.OrganizationId, "post.held_for_embargo", "Post", post.Id.ToString(), after: new { Account = target.AccountId, link.LiftAt });
        await notifier.NotifyAsync(target.OrganizationId, [post.AuthorId], $"post:{post.Id}:embargo-hold:{link.LiftAt.UtcTicks}",
            $"Your post waits for a press release's lift ({link.LiftDescribed}): the release's embargo was moved after the post was approved.", $"/o/{slug}/posts/{post.Id}", cancellationToken);
        return CopyResult.Held;
    }

    /// <summary>Gives the copy back unsent; an attempt recorded for it never reached the network, so it is not kept.</summary>
    private void GiveBack(PostTarget target, DeliveryAttempt? attempt)
    {
        if (attempt is not null)
        {
            db.Remove(attempt);
            target.Attempts--;
        }

        target.Status = DeliveryStatus.Waiting;
        Release(target);
    }

    private static void Release(PostTarget target)
    {
        target.ClaimedBy = null;
        target.ClaimedUntil = null;
    }

    private void Finish(DeliveryAttempt attempt, AttemptOutcome outcome, string message)
    {
        attempt.Outcome = outcome;
        attempt.FinishedAt = clock.GetUtcNow();
        attempt.Message = Trim(message);
    }

    private static string Trim(string text) => text.Length <= 2000 ? text : text[..2000];
}
