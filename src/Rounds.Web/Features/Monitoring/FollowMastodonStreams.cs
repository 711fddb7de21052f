using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// Follows the <c>user:notification</c> stream of every connected Mastodon account, so that a mention reaches the inbox
/// within seconds instead of at the next round (docs/decisions/0061-linkedin-pages-and-mastodon-notification-streams.md).
/// Each account's stream is opened on its own server, the gap since the last read is filled by one poll of its
/// notifications, and then each mention is filed as it arrives, deduplicated on the status id like a polled one. A
/// stream that ends or breaks is opened again after a wait that doubles with each failure in a row, up to
/// <see cref="MaxBackoff"/>, and every reopening polls the gap again. The polling rounds keep running beside the streams.
/// </summary>
public sealed class MastodonStreams(IServiceScopeFactory scopes, TimeProvider clock, ILogger<MastodonStreams> logger)
{
    public const string EnabledSetting = "Rounds:Monitoring:Mastodon:Streaming";

    /// <summary>How often the accounts to follow are listed again, so a new connection starts streaming and a removed one stops.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>A stream that stayed open this long was healthy; its end starts the waits from the first again.</summary>
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, bool> open = new();

    /// <summary>Whether the account's stream is open on this instance now: what the account page calls live.</summary>
    public bool IsOpen(Guid accountId) => open.ContainsKey(accountId);

    /// <summary>The wait before opening again after <paramref name="failures"/> failures in a row (the first is 1).</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Clamp(failures - 1, 0, 20)));

    /// <summary>Keeps one follower per streamable account until cancelled, starting and stopping them as accounts change.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var followers = new Dictionary<Guid, (CancellationTokenSource Stop, Task Running)>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var wanted = await StreamableAsync(cancellationToken);
                    foreach (var (id, follower) in followers.Where(f => !wanted.Any(a => a.Id == f.Key) || f.Value.Running.IsCompleted).ToList())
                    {
                        await follower.Stop.CancelAsync();
                        await follower.Running;
                        follower.Stop.Dispose();
                        followers.Remove(id);
                    }

                    foreach (var account in wanted.Where(a => !followers.ContainsKey(a.Id)))
                    {
                        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        followers[account.Id] = (stop, FollowAsync(account, stop.Token));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Listing the Mastodon accounts to stream failed; the next refresh tries again.");
                }

                await Task.Delay(Refresh, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var follower in followers.Values)
            {
                await follower.Stop.CancelAsync();
            }

            await Task.WhenAll(followers.Values.Select(f => f.Running));
            foreach (var follower in followers.Values)
            {
                follower.Stop.Dispose();
            }
        }
    }

    /// <summary>
    /// Follows one account until cancelled or until it can no longer stream (disconnected, or its token gone): open,
    /// fill the gap, file each mention; after a break, the same again after the backoff. Never throws.
    /// </summary>
    public async Task FollowAsync(AccountCard account, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var openedAt = clock.GetUtcNow();
            TimeSpan? asked = null;
            try
            {
                if (await OpenAsync(account, cancellationToken) is not { } stream)
                {
                    return;
                }

                await using (stream)
                {
                    open[account.Id] = true;
                    await FillGapAsync(account, cancellationToken);
                    await foreach (var post in stream.ReadAsync(cancellationToken))
                    {
                        await FileAsync(account, post, cancellationToken);
                    }
                }

                logger.LogInformation("The notification stream of {Account} ended; opening it again.", account.Label);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping closes the connection under the read, which may surface as a network error rather than a cancellation.
                return;
            }
            catch (NetworkException e)
            {
                logger.LogWarning("The notification stream of {Account} broke: {Reason}", account.Label, e.Message);
                asked = e.RetryAfter;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Following the notification stream of {Account} failed.", account.Label);
            }
            finally
            {
                open.TryRemove(account.Id, out _);
            }

            failures = clock.GetUtcNow() - openedAt > StableAfter ? 1 : failures + 1;
            // A server that named its wait (a rate limit) is not asked again before it.
            var wait = asked is { } named && named > Backoff(failures) ? named : Backoff(failures);
            try
            {
                await Task.Delay(wait, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The account's stream, opened with its connection; null when it has none that streams.</summary>
    private async Task<IPostStream?> OpenAsync(AccountCard account, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PostSources>().ForAsync(account, cancellationToken) is IStreamingSource { CanStream: true } source
            ? await source.OpenAsync(cancellationToken)
            : null;
    }

    /// <summary>
    /// One poll of the account's notifications from the stored cursor: whatever came while the stream was closed. It runs
    /// once the stream is open, so what comes during the poll waits in the stream and nothing falls between the two.
    /// </summary>
    private async Task FillGapAsync(AccountCard account, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var read = await scope.ServiceProvider.GetRequiredService<IngestAccount>().RunAsync(account, SourceKind.Addressed, cancellationToken);
            if (read.Errors.Count > 0)
            {
                logger.LogWarning("Filling the gap in the notifications of {Account} failed: {Reason}; the next round reads them.", account.Label, read.Errors[0]);
            }
        }
        catch (DbUpdateException e)
        {
            // A polling round filed the same notification at the same moment; its row stands, and the stream that
            // has just opened is worth more than this read.
            logger.LogInformation("Filling the gap in the notifications of {Account} met a row filed at the same moment: {Reason}", account.Label, e.InnerException?.Message ?? e.Message);
        }
    }

    private async Task FileAsync(AccountCard account, InboundPost post, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var sources = await db.Set<MonitoringSource>().AsNoTracking().Where(s => s.AccountId == account.Id).ToListAsync(cancellationToken);
        var own = sources.FirstOrDefault(s => s.Kind == SourceKind.Posts);
        var accountId = sources.Select(s => s.NetworkAccountId).FirstOrDefault(id => id.Length > 0) ?? "";
        try
        {
            // A notification's status is never the account's own, so the own-posts source is only read, never saved here.
            await scope.ServiceProvider.GetRequiredService<IngestAccount>().FileAsync(
                account, accountId, [post], own ?? new MonitoringSource { OrganizationId = account.OrganizationId, AccountId = account.Id, Kind = SourceKind.Posts }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // A poll filed the same status at the same moment; its row stands.
            logger.LogInformation("A mention of {Account} was filed twice at once: {Reason}", account.Label, e.InnerException?.Message ?? e.Message);
        }
    }

    /// <summary>Connected Mastodon accounts that are not retired; read where no organization is granted, so across all.</summary>
    private async Task<List<AccountCard>> StreamableAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var cards = await scope.ServiceProvider.GetRequiredService<IAccountDirectory>().Cards
            .Where(a => a.Platform == Platform.Mastodon && a.Status != AccountStatus.Retired).ToListAsync(cancellationToken);
        var sources = scope.ServiceProvider.GetRequiredService<PostSources>();
        var streamable = new List<AccountCard>();
        foreach (var card in cards)
        {
            if (await sources.ForAsync(card, cancellationToken) is IStreamingSource { CanStream: true })
            {
                streamable.Add(card);
            }
        }

        return streamable;
    }
}

/// <summary>Runs the Mastodon streams where ingestion runs, unless <c>Rounds:Monitoring:Mastodon:Streaming</c> is false.</summary>
public sealed class MastodonStreamRounds(MastodonStreams streams, IConfiguration configuration) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        configuration.GetValue(MastodonStreams.EnabledSetting, true) && configuration.GetValue(IngestionRounds.EnabledSetting, true)
            ? streams.RunAsync(stoppingToken)
            : Task.CompletedTask;
}
