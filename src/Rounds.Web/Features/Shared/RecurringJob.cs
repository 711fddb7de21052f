namespace Rounds.Web.Features.Shared;

/// <summary>
/// The one shape of background work in Rounds: a run in its own service scope on every tick of a
/// <see cref="PeriodicTimer"/> driven by the injected <see cref="TimeProvider"/>, so tests move time instead of
/// waiting. A failed run is logged and the next one starts on time. Every instance runs every job; the jobs
/// claim their rows, so work is done once. Hosted services start after the database start-up has migrated
/// the database, so no job waits for it.
/// </summary>
public abstract class RecurringJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>
    /// The longest wait between runs. A <see cref="PeriodicTimer"/> refuses periods beyond about 49 days, and a job
    /// that threw at start would stop the host; an operator asking for longer gets this instead.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(30);

    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    /// <summary>How long between runs; read once at start.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether to run at once at start, or first after one interval.</summary>
    protected virtual bool RunsAtStart => true;

    /// <summary>Off where configuration says this instance does not do this work.</summary>
    protected virtual bool Enabled => true;

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        var interval = Interval;
        if (interval > MaxInterval || interval <= TimeSpan.Zero)
        {
            logger.LogWarning("{Job} was asked to run every {Interval}; it runs every {MaxInterval} instead.", GetType().Name, interval, MaxInterval);
            interval = MaxInterval;
        }

        using var timer = new PeriodicTimer(interval, clock);
        if (!RunsAtStart && !await timer.WaitForNextTickAsync(stoppingToken))
        {
            return;
        }

        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "{Job} failed; it runs again in {Interval}.", GetType().Name, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
