using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>The registry of social accounts: every account that carries the organization's name.</summary>
public sealed class AccountsArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AccountRegistry>();
        services.AddScoped<IAccountDirectory>(sp => sp.GetRequiredService<AccountRegistry>());
        services.AddScoped<AccountImport>();
        services.AddScoped<AccountPolicies>();
        services.AddScoped<AccountDashboard>();
        services.AddScoped<BulkEditAccounts>();
        services.AddScoped<DetectDormancy>();
        services.AddScoped<IDemoData, DemoRegistry>();
        services.AddScoped<ISeedData, SeedAccounts>();
        services.AddHostedService<DormancyWatch>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => AccountEndpoints.Map(api);

    public IEnumerable<NavEntry> Navigation => [new("Accounts", "/accounts", Role.Member, 40)];

    public IEnumerable<PageSection> Sections => [new(PageSlots.OrganizationHome, typeof(Sections.AccountsHomeSection), 10)];
}
