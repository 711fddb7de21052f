using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Demo.Contracts;

namespace Rounds.Web.Host;

/// <summary>
/// Brings the schema up to date (and runs the areas' data repairs) before the server accepts requests, and creates the demo organization on
/// first run when <c>Demo:Enabled</c> is set. EF takes a database lock, so several instances may start at once.
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        if (configuration.GetValue("Database:MigrateOnStart", true))
        {
            var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
            db.Database.SetCommandTimeout(DatabaseSetup.MaintenanceTimeout);
            await db.Database.MigrateAsync(cancellationToken);
            foreach (var repair in scope.ServiceProvider.GetServices<Rounds.Web.Features.Shared.IDataRepair>())
            {
                await repair.RepairAsync(cancellationToken);
            }
        }

        if (configuration.GetValue<bool>("Demo:Enabled"))
        {
            await scope.ServiceProvider.GetRequiredService<IDemo>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class DatabaseHealthCheck(RoundsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database cannot be reached.");
}
