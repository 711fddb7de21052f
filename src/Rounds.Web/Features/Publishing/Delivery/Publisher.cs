using Microsoft.Extensions.Options;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Runs <see cref="PublishDuePosts"/> every poll interval (one second by default), and the connection expiry
/// check now and then. Every instance runs it; claims keep each copy to one instance.
/// </summary>
public sealed class Publisher(IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<Publisher> logger)
    : RecurringJob(scopes, clock, logger)
{
    private readonly TimeSpan expiryInterval = TimeSpan.FromMinutes(Math.Max(1, options.Value.ExpiryCheckMinutes));
    private DateTimeOffset? lastExpiryCheck;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(Math.Max(0.1, options.Value.PollSeconds));

    protected override bool Enabled => options.Value.Enabled;

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var run = await services.GetRequiredService<PublishDuePosts>().RunOnceAsync(cancellationToken);
        if (run.Published + run.Failed + run.Retrying + run.Expired + run.Missed > 0)
        {
            Logger.LogInformation("Publishing: {Published} published, {Failed} failed, {Retrying} to retry, {Expired} expired, {Missed} missed.",
                run.Published, run.Failed, run.Retrying, run.Expired, run.Missed);
        }

        if (lastExpiryCheck is null || Clock.GetUtcNow() - lastExpiryCheck >= expiryInterval)
        {
            lastExpiryCheck = Clock.GetUtcNow();
            await services.GetRequiredService<WarnExpiringConnections>().RunAsync(cancellationToken);
        }
    }
}
