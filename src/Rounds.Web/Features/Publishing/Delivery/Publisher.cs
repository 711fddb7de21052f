using Microsoft.Extensions.Options;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Runs <see cref="PublishDuePosts"/> every poll interval (one second by default), and the connection expiry
/// check now and then. Every instance runs it; claims keep each copy to one instance.
/// </summary>
public sealed class Publisher(IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<Publisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        // Registered after the database start-up, which has migrated the database by the time this runs.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, settings.PollSeconds)), clock);
        var expiryInterval = TimeSpan.FromMinutes(Math.Max(1, settings.ExpiryCheckMinutes));
        DateTimeOffset? lastExpiryCheck = null;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await scope.ServiceProvider.GetRequiredService<PublishDuePosts>().RunOnceAsync(stoppingToken);
                if (run.Published + run.Failed + run.Retrying + run.Expired + run.Missed > 0)
                {
                    logger.LogInformation("Publishing: {Published} published, {Failed} failed, {Retrying} to retry, {Expired} expired, {Missed} missed.",
                        run.Published, run.Failed, run.Retrying, run.Expired, run.Missed);
                }

                if (lastExpiryCheck is null || clock.GetUtcNow() - lastExpiryCheck >= expiryInterval)
                {
                    lastExpiryCheck = clock.GetUtcNow();
                    await scope.ServiceProvider.GetRequiredService<WarnExpiringConnections>().RunAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "A publishing cycle failed; the next one starts on time.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
