using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

public static class AccountsModule
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddScoped<AccountRegistry>();
        services.AddScoped<IAccountDirectory>(sp => sp.GetRequiredService<AccountRegistry>());
        services.AddScoped<AccountImport>();
        services.AddScoped<AccountPolicies>();
        services.AddScoped<AccountDashboard>();
        services.AddScoped<DetectDormancy>();
        services.AddHostedService<DormancyWatch>();
        return services;
    }
}
