using System.Threading.RateLimiting;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// Keeps the snapshot's public reads within what the network publishes as its limit for callers without an
/// account (Bluesky's entryway: 3,000 requests per 5 minutes per address). One bucket is shared by every run in
/// the process, so two organizations' snapshots together stay under it; a request waits for a token rather than
/// fail, so a large roster takes longer instead of reading as unknown.
/// </summary>
public sealed class PublicReadPacing : IDisposable
{
    public const string RequestsPerSecondSetting = "Rounds:Engagement:RequestsPerSecond";

    /// <summary>Below the published 10 per second, leaving room for the organization's own publishing.</summary>
    public const double DefaultRequestsPerSecond = 8;

    public PublicReadPacing(IConfiguration configuration)
    {
        var perSecond = configuration.GetValue(RequestsPerSecondSetting, DefaultRequestsPerSecond);
        perSecond = perSecond is > 0 and <= 1000 ? perSecond : DefaultRequestsPerSecond;

        // Tokens are added ten times a second, so the rate holds within a second and not only on average.
        var perTick = Math.Max(1, (int)Math.Round(perSecond / 10));
        Limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perTick * 10,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perTick / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public RateLimiter Limiter { get; }

    public void Dispose() => Limiter.Dispose();
}

/// <summary>Waits for the shared pacing before each request of the snapshot's HTTP client.</summary>
public sealed class PacedHandler(PublicReadPacing pacing) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await pacing.Limiter.AcquireAsync(1, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
