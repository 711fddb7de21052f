using Rounds.Web.Features.Demo.Contracts;

namespace Rounds.Web.Features.Demo;

/// <summary>The invented organizations and people a newcomer signs in to.</summary>
public sealed class DemoArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddScoped<IDemo, DemoSeeder>();
}
