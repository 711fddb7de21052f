namespace Rounds.Web.Features.Audit;

/// <summary>The append-only record of every governance action.</summary>
public sealed class AuditArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<AuditQuery>();
        services.AddScoped<ISeedData, SeedAudit>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => AuditEndpoints.Map(api);

    public IEnumerable<NavEntry> Navigation => [new("Audit log", "/audit", Role.Admin, 90)];
}
