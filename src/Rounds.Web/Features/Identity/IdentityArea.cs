using Rounds.Web.Features.Identity.Tokens;

namespace Rounds.Web.Features.Identity;

/// <summary>Sign-in: registration, two-factor, personal access tokens, and the caller's own profile API.</summary>
public sealed class IdentityArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AccessTokenService>();
        services.AddScoped<ISignIns, SignIns>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => MeEndpoints.Map(api);
}
