namespace Rounds.Web.Features.Screening;

/// <summary>Each organization's screening rules, and screening for every area that shows text.</summary>
public sealed class ScreeningArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ScreenerCache>();
        services.AddScoped<ScreeningRules>();
        services.AddScoped<IOrganizationScreener>(sp => sp.GetRequiredService<ScreeningRules>());
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => ScreeningEndpoints.Map(api);

    public IEnumerable<NavEntry> Navigation => [new("Screening", "/screening", Role.Contributor, 20)];
}
