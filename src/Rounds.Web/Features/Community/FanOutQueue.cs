using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// A visible post whose readers are still to be told. Written in the same commit that makes the post visible and
/// worked off in the background by whichever instance claims it first.
/// </summary>
public sealed class CommunityFanOut : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The worker telling people now; another may take over once <see cref="ClaimedUntil"/> has passed.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? DoneAt { get; set; }
}

internal sealed class CommunityFanOutConfiguration : IEntityTypeConfiguration<CommunityFanOut>
{
    public void Configure(EntityTypeBuilder<CommunityFanOut> builder)
    {
        builder.ToTable("CommunityFanOuts");
        builder.Property(f => f.ClaimedBy).HasMaxLength(100);
        // A post becomes visible once, so it is queued once, even if two moderators release it together.
        builder.HasIndex(f => f.PostId).IsUnique();
        builder.HasIndex(f => new { f.DoneAt, f.CreatedAt });
        builder.HasOne<CommunityPost>().WithMany().HasForeignKey(f => f.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Wakes this instance's worker as soon as a post is queued, so the wait is not a polling interval.</summary>
public sealed class FanOutSignal
{
    private readonly SemaphoreSlim waiting = new(0, 1);

    public void Wake()
    {
        try
        {
            waiting.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; the worker takes everything queued when it runs.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => waiting.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Works off the queue of posts to tell people about, across organizations. A job is claimed with one
/// conditional update (as digests are), for a lease that each batch renews; a worker that dies leaves a claim
/// that lapses, and the next worker carries on where it stopped (docs/decisions/0038-community-fan-out-in-the-background.md).
/// </summary>
public sealed class BoardDeliveries(RoundsDbContext db, FanOut fanOut, TimeProvider clock, ILogger<BoardDeliveries> logger)
{
    /// <summary>Longer than a batch takes, mail included; a dead worker's job waits this long at most.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>A job that failed this often stays in the table for an operator rather than being tried forever.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Delivers every job that is due and not claimed by a live worker; returns how many this worker finished.</summary>
    public async Task<int> DeliverDueAsync(string worker, CancellationToken cancellationToken = default)
    {
        var finished = 0;
        var tried = new HashSet<Guid>();
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = await db.Set<CommunityFanOut>().AsNoTracking()
                .Where(f => f.DoneAt == null && f.Attempts < MaxAttempts && (f.ClaimedUntil == null || f.ClaimedUntil < now))
                .OrderBy(f => f.CreatedAt).Take(20).ToListAsync(cancellationToken);
            due.RemoveAll(f => !tried.Add(f.Id));
            if (due.Count == 0)
            {
                return finished;
            }

            foreach (var job in due)
            {
                if (await ClaimAsync(job.Id, worker, cancellationToken) && await DeliverAsync(job, worker, cancellationToken))
                {
                    finished++;
                }
            }
        }
    }

    private async Task<bool> ClaimAsync(Guid jobId, string worker, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now.Add(Lease);
        return await db.Set<CommunityFanOut>()
            .Where(f => f.Id == jobId && f.DoneAt == null && f.Attempts < MaxAttempts && (f.ClaimedUntil == null || f.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ClaimedBy, worker).SetProperty(f => f.ClaimedUntil, until).SetProperty(f => f.Attempts, f => f.Attempts + 1), cancellationToken) == 1;
    }

    /// <summary>Extends the claim before each batch; false when the lease lapsed and another worker took the job.</summary>
    private async Task<bool> RenewAsync(Guid jobId, string worker, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow().Add(Lease);
        return await db.Set<CommunityFanOut>().Where(f => f.Id == jobId && f.ClaimedBy == worker && f.DoneAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ClaimedUntil, until), cancellationToken) == 1;
    }

    private async Task<bool> DeliverAsync(CommunityFanOut job, string worker, CancellationToken cancellationToken)
    {
        try
        {
            if (!await fanOut.DeliverAsync(job, token => RenewAsync(job.Id, worker, token), cancellationToken))
            {
                return false;
            }

            var now = clock.GetUtcNow();
            return await db.Set<CommunityFanOut>().Where(f => f.Id == job.Id && f.ClaimedBy == worker && f.DoneAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.DoneAt, now).SetProperty(f => f.ClaimedUntil, (DateTimeOffset?)null), cancellationToken) == 1;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The claim lapses and another pass tries again; people already told are skipped then.
            logger.LogError(exception, "Could not tell the readers of community post {PostId}; it is tried again after {Lease}.", job.PostId, Lease);
            db.ChangeTracker.Clear();
            return false;
        }
    }
}

/// <summary>
/// Runs the fan-out on every instance: woken when this instance queues a post, and otherwise every few seconds
/// for posts queued by other instances or left by a worker that died.
/// </summary>
public sealed class FanOutWorker(IServiceScopeFactory scopes, FanOutSignal signal, IConfiguration configuration, ILogger<FanOutWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    private readonly string name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Community:FanOutEnabled", true))
        {
            return;
        }

        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BoardDeliveries>().DeliverDueAsync(name, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The community fan-out failed; it runs again in {Poll}.", Poll);
            }

            await signal.WaitAsync(Poll, stoppingToken);
        }
    }
}
