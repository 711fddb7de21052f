
namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// The press room: releases under embargo until their lift, accredited journalists who may read them early, and
/// the public newsroom after the lift (docs/decisions/0024-embargo-lift-times.md).
/// </summary>
public sealed class PressRoomArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<EditRelease>();
        services.AddScoped<ScheduleRelease>();
        services.AddScoped<Journalists>();
        services.AddScoped<Newsroom>();
        services.AddScoped<LiftReleases>();
        services.AddScoped<PressAssets>();
        services.AddSingleton<IPressAssetStore>(sp => S3PressAssetStore.FromConfiguration(configuration,
            PressAssets.FolderOf(configuration, sp.GetRequiredService<IHostEnvironment>())));
        services.AddScoped<PressTopics>();
        services.AddScoped<ChunkedUploads>();
        services.AddScoped<IEmbargoedLinks, EmbargoedLinks>();
        services.AddHostedService<LiftWatch>();
        services.AddScoped<IDemoData, PressRoomDemo>();
        services.AddScoped<ISeedData, SeedReleases>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => PressEndpoints.Map(api, app);

    public IEnumerable<NavEntry> Navigation => [new("Press room", "/press", Role.Reviewer, 60)];
}
