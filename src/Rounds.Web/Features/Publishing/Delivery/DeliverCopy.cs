using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.PressRoom.Contracts;

namespace Rounds.Web.Features.Publishing.Delivery;

public enum CopyResult
{
    Published,
    Failed,
    Retrying,

    /// <summary>The post was no longer approved, or no longer due, when its copy was about to go out.</summary>
    Released,

    /// <summary>The copy links to a press release whose lift was moved past the post's time: it waits for the lift.</summary>
    Held,
    /// <summary>Rounds cannot publish to the account; the copy went to its owners to post by hand.</summary>
    HandedToOwner,
}

/// <summary>Connectors of one publisher cycle, one per account, so that a network session serves all of an account's copies.</summary>
public sealed class ConnectorSession
{
    internal Dictionary<Guid, INetworkConnector> ByAccount { get; } = [];
}

/// <summary>
/// Sends one claimed copy to its network and records what happened. The attempt is saved before the network
/// hears of it; a copy whose last attempt never finished, or whose outcome was lost, is read back from the
/// network before anything is published again, so a crash or a timeout never posts twice.
/// </summary>
public sealed class DeliverCopy(
    RoundsDbContext db, IConnectorFactory connectors, ConnectionSecrets secrets, AccountThrottle throttle, DeliveryInstance instance,
    IAccountDirectory accounts, INotifier notifier, IAuditLog audit, IEmbargoedLinks embargoes, PostByHand byHand, TimeProvider clock, ILogger<DeliverCopy> logger)
{
    /// <summary>Retryable failures are tried this many times in all before the copy fails.</summary>
    public const int MaxAttempts = 8;

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(30);

    /// <summary>How long an account is left alone after a rate limit that did not say for how long.</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromMinutes(1);

    /// <param name="claimedRevision">The post's revision when the copy was claimed: only that revision's words were approved to go out.</param>
    public async Task<CopyResult> SendAsync(Guid targetId, int claimedRevision, ConnectorSession session, CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        var target = await db.Set<PostTarget>().FirstAsync(t => t.Id == targetId, cancellationToken);
        var post = await db.Set<Post>().AsNoTracking().FirstAsync(p => p.Id == target.PostId, cancellationToken);
        var now = clock.GetUtcNow();

        // Approval is checked again now that the copy is ours: an edit or a withdrawal since the cycle began wins.
        if (post.Status != PostStatus.Approved || post.Revision != claimedRevision || post.ScheduledAt > now)
        {
            return await ReleaseAsync(target, null, cancellationToken);
        }

        // Approval checked the embargo against the lift of that moment; the team may have moved the lift since.
        var embargoed = await embargoes.FindAsync(target.OrganizationId, target.TextFor(post), cancellationToken);
        if (embargoed.Count > 0)
        {
            return await HoldForLiftAsync(target, post, embargoed.MaxBy(l => l.LiftAt)!, cancellationToken);
        }

        // Only a running account publishes: one retired since the post was approved says nothing more for the organization.
        var account = await accounts.FindAsync(target.OrganizationId, target.AccountId, cancellationToken);
        if (account is null || !PostRules.CanReceivePosts(account))
        {
            target.Status = DeliveryStatus.Cancelled;
            target.LastError = account is null ? "The account is no longer in the registry." : $"{account.Label} is {AccountNames.Label(account.Status).ToLowerInvariant()}, and only running accounts publish.";
            Release(target);
            await db.SaveChangesAsync(cancellationToken);
            return CopyResult.Failed;
        }

        var connection = await db.Set<AccountConnection>().FirstOrDefaultAsync(c => c.AccountId == target.AccountId, cancellationToken);
        var hasImages = await db.Set<MediaItem>().AnyAsync(m => m.PostId == post.Id, cancellationToken);
        if (PublishingPaths.IsByHand(account.Platform, connection, hasImages))
        {
            await byHand.HandOverAsync(target, account, PublishingPaths.WhyByHand(account.Platform, connection), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return CopyResult.HandedToOwner;
        }

        if (connection!.Status == ConnectionStatus.NeedsReconnect)
        {
            return await FailAsync(target, null, "the account needs reconnecting on its page", cancellationToken);
        }

        // An earlier attempt still marked started belongs to an instance that stopped mid-send: its outcome is unknown.
        var unfinished = await db.Set<DeliveryAttempt>().Where(a => a.TargetId == target.Id && a.Outcome == AttemptOutcome.Started).ToListAsync(cancellationToken);
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
        target.OutcomeUnknown = target.OutcomeUnknown || unfinished.Count > 0;
        await db.SaveChangesAsync(cancellationToken);

        var media = await db.Set<MediaItem>().AsNoTracking().Where(m => m.PostId == post.Id).OrderBy(m => m.UploadedAt)
            .Select(m => new MediaAttachment(m.Content, m.ContentType, m.AltText)).ToListAsync(cancellationToken);
        // Read-back on networks without keys looks at posts made since the first attempt, so every retry passes that same time.
        var firstAttemptAt = await db.Set<DeliveryAttempt>().Where(a => a.TargetId == target.Id).OrderBy(a => a.StartedAt).Select(a => a.StartedAt).FirstAsync(cancellationToken);
        var request = new PublishRequest(target.TextFor(post), target.IdempotencyKey, firstAttemptAt, media.Count > 0 ? media : null);

        // The last look before the network hears of it: the words and images read above must still be the approved ones.
        if (!await db.Set<Post>().AnyAsync(p => p.Id == post.Id && p.Status == PostStatus.Approved && p.Revision == claimedRevision, cancellationToken))
        {
            return await ReleaseAsync(target, attempt, cancellationToken);
        }

        try
        {
            var connector = ConnectorFor(connection, session);
            var outcome = AttemptOutcome.Published;
            var published = readBack ? await connector.FindAsync(request, cancellationToken) : null;
            if (published is not null)
            {
                outcome = AttemptOutcome.FoundExisting;
            }
            else
            {
                published = await connector.PublishAsync(request, cancellationToken);
            }

            return await SucceedAsync(target, attempt, outcome, published, cancellationToken);
        }
        catch (CryptographicException e)
        {
            // The data-protection keys that encrypted the secret are gone: only a new secret helps.
            logger.LogWarning(e, "The stored secret of account {Account} cannot be decrypted.", target.AccountId);
            return await NeedsReconnectAsync(target, attempt, connection, "the stored secret can no longer be read", session, cancellationToken);
        }
        catch (NetworkException e)
        {
            return e.Kind switch
            {
                FailureKind.Auth => await NeedsReconnectAsync(target, attempt, connection, e.Message, session, cancellationToken),
                FailureKind.Content => await FailAsync(target, attempt, e.Message, cancellationToken),
                FailureKind.RateLimited => await HoldAccountAsync(target, attempt, e, cancellationToken),
                FailureKind.Retryable => await RetryLaterAsync(target, attempt, e.Message, e.OutcomeUnknown, e.RetryAfter, cancellationToken),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else (a malformed answer, a bug) may have come after the post was stored: read back next time.
            logger.LogError(e, "Publishing copy {Target} failed unexpectedly.", target.Id);
            return await RetryLaterAsync(target, attempt, "Unexpected error: " + e.Message, outcomeUnknown: true, null, cancellationToken);
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

    private async Task<CopyResult> SucceedAsync(PostTarget target, DeliveryAttempt attempt, AttemptOutcome outcome, PublishedPost published, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        target.Status = DeliveryStatus.Published;
        target.ExternalId = published.Id;
        target.ExternalUrl = published.Url;
        target.PublishedAt = now;
        target.OutcomeUnknown = false;
        target.LastError = "";
        Release(target);
        Finish(attempt, outcome, published.Url);
        // Counted as the account's activity in the same save, so trials and dormancy see every post Rounds publishes.
        await accounts.AddPublishedPostAsync(target.OrganizationId, target.AccountId, published.Url, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return CopyResult.Published;
    }

    private async Task<CopyResult> FailAsync(PostTarget target, DeliveryAttempt? attempt, string reason, CancellationToken cancellationToken)
    {
        target.Status = DeliveryStatus.Failed;
        target.LastError = Trim(reason);
        Release(target);
        if (attempt is not null)
        {
            Finish(attempt, AttemptOutcome.Failed, reason);
        }

        await db.SaveChangesAsync(cancellationToken);
        return CopyResult.Failed;
    }

    private async Task<CopyResult> RetryLaterAsync(PostTarget target, DeliveryAttempt attempt, string reason, bool outcomeUnknown, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        target.OutcomeUnknown = target.OutcomeUnknown || outcomeUnknown;
        if (target.Attempts >= MaxAttempts)
        {
            return await FailAsync(target, attempt, $"gave up after {target.Attempts} attempts: {reason}", cancellationToken);
        }

        var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(target.Attempts - 1, 16)));
        var wait = retryAfter is { } asked && asked > backoff ? asked : backoff;
        target.Status = DeliveryStatus.Waiting;
        target.NextAttemptAt = clock.GetUtcNow() + wait;
        target.LastError = Trim(reason);
        Release(target);
        Finish(attempt, outcomeUnknown ? AttemptOutcome.Unknown : AttemptOutcome.Failed, reason);
        await db.SaveChangesAsync(cancellationToken);
        return CopyResult.Retrying;
    }

    /// <summary>
    /// A rate limit applies to the account, not to one copy: every waiting copy of the account waits until the
    /// network's time, in the database (for the other instances) and in this instance's throttle.
    /// </summary>
    private async Task<CopyResult> HoldAccountAsync(PostTarget target, DeliveryAttempt attempt, NetworkException e, CancellationToken cancellationToken)
    {
        var wait = e.RetryAfter is { } asked && asked > TimeSpan.Zero ? asked : DefaultRateLimitWait;
        var until = clock.GetUtcNow() + (wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
        target.Status = DeliveryStatus.Waiting;
        target.NextAttemptAt = until;
        target.LastError = Trim(e.Message);
        // The network turned the request away without reading it: that is not one of the copy's tries.
        target.Attempts--;
        Release(target);
        Finish(attempt, AttemptOutcome.RateLimited, e.Message);
        await db.SaveChangesAsync(cancellationToken);
        throttle.Hold(target.AccountId, until);
        await db.Set<PostTarget>()
            .Where(t => t.AccountId == target.AccountId && t.Status == DeliveryStatus.Waiting && (t.NextAttemptAt == null || t.NextAttemptAt < until))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.NextAttemptAt, until), cancellationToken);
        return CopyResult.Retrying;
    }

    /// <summary>
    /// The network refused the credentials: the copy fails, the connection is flagged, and its owners and the
    /// communications team are told once (the flag is set with a conditional update).
    /// </summary>
    private async Task<CopyResult> NeedsReconnectAsync(PostTarget target, DeliveryAttempt attempt, AccountConnection connection, string reason, ConnectorSession session, CancellationToken cancellationToken)
    {
        session.ByAccount.Remove(connection.AccountId);
        var result = await FailAsync(target, attempt, "the network refused the account's credentials: " + reason, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var flagged = await db.Set<AccountConnection>()
            .Where(c => c.AccountId == connection.AccountId && c.Status == ConnectionStatus.Connected && c.ConnectedAt == connection.ConnectedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect).SetProperty(c => c.LastError, Trim(reason)), cancellationToken);
        if (flagged == 0)
        {
            return result;
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
        return result;
    }

    /// <summary>
    /// Puts the copy off until the latest lift among the releases it links to, with the reason on the copy, and
    /// tells the author once per lift. No attempt is recorded: the network never hears of it, so the copy keeps its
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
        await db.SaveChangesAsync(cancellationToken);
        return CopyResult.Held;
    }

    /// <summary>Gives the copy back unsent; an attempt recorded for it never reached the network, so it is not kept.</summary>
    private async Task<CopyResult> ReleaseAsync(PostTarget target, DeliveryAttempt? attempt, CancellationToken cancellationToken)
    {
        if (attempt is not null)
        {
            db.Remove(attempt);
            target.Attempts--;
        }

        target.Status = DeliveryStatus.Waiting;
        Release(target);
        await db.SaveChangesAsync(cancellationToken);
        return CopyResult.Released;
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
