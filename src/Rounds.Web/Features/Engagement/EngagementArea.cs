namespace Rounds.Web.Features.Engagement;

/// <summary>Physician engagement: the roster, each physician's profiles, and the shares computed from them.</summary>
public sealed class EngagementArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Roster>();
        services.AddScoped<RosterImport>();
        services.AddScoped<PhysicianProfiles>();
        services.AddScoped<EngagementOptions>();
        services.AddScoped<TakeSnapshot>();
        services.AddScoped<EngagementFigures>();
        services.AddHostedService<WeeklySnapshots>();

        // Public profiles are read through the same guarded handler as the connectors: public addresses only,
        // unless the operator allows private ones (a PDS inside the hospital's network, or in tests). Each network
        // has its own client, paced to its published limits per server.
        services.AddSingleton(sp => new PublishedLimits(sp.GetRequiredService<IConfiguration>(), TimeProvider.System));
        services.AddSingleton(sp => new Rounds.Networks.YouTube.YouTubeQuota(
            () => sp.GetRequiredService<IConfiguration>().GetValue(TakeSnapshot.YouTubeQuotaSetting, 10_000), TimeProvider.System));
        foreach (var network in new[] { "bluesky", "mastodon", "youtube" })
        {
            services.AddHttpClient(TakeSnapshot.ClientFor(network), http => http.Timeout = Timeout.InfiniteTimeSpan)
                .AddHttpMessageHandler(sp => new PublishedLimitsHandler(sp.GetRequiredService<PublishedLimits>(), network))
                .ConfigurePrimaryHttpMessageHandler(sp => Rounds.Networks.Outbound.OutboundHttp.CreateHandler(sp.GetRequiredService<IConfiguration>().GetValue<bool>("Rounds:Networks:AllowPrivateAddresses")));
        }

        services.AddScoped<IDemoData, EngagementDemo>();
        services.AddScoped<ISeedData, SeedPhysicians>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => EngagementEndpoints.Map(api);

    public IEnumerable<NavEntry> Navigation =>
    [
        new("Physicians", "/engagement", Roster.ViewRole, 45),
        new("My physician record", "/engagement/me", Role.Member, 46),
    ];
}
