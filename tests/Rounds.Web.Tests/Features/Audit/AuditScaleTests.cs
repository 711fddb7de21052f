using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Audit;

/// <summary>
/// The audit log's view costs the same for a large log: the action filter's choices come from one seek per
/// action (not a DISTINCT over the log), and the count stops at a limit instead of reading every match.
/// </summary>
public abstract class AuditScaleTests(RoundsFactory app)
{
    [Fact]
    public async Task The_action_list_is_every_distinct_action_and_a_large_count_stops_at_the_limit()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("aud-" + suffix, admin);
        var plan = new SeedPlan(org.Id, [new(admin.Id, admin.Email!, admin.DisplayName, Role.Admin)], Posts: 0, Accounts: 0, AuditEntries: AuditQuery.CountLimit + 500, DateTimeOffset.UtcNow);
        await app.WithScopeAsync(services => services.GetServices<ISeedData>().Single(s => s.GetType().Name == "SeedAudit").SeedAsync(plan));

        await app.WithScopeAsync(async services =>
        {
            var query = services.GetRequiredService<AuditQuery>();
            var db = services.GetRequiredService<RoundsDbContext>();
            var distinct = await db.AuditEntries.Where(a => a.OrganizationId == org.Id).Select(a => a.Action).Distinct().ToListAsync();
            // In the database's collation order, whichever that is; every action exactly once.
            Assert.Equal(distinct.Order(StringComparer.Ordinal), (await query.ActionsAsync(org.Id)).Order(StringComparer.Ordinal));

            var all = await query.FindAsync(org.Id, new AuditFilter());
            Assert.True(all.TotalIsAtLeast);
            Assert.Equal(AuditQuery.CountLimit, all.Total);
            Assert.Equal(all.PageSize, all.Entries.Count);

            // Under the limit the count is exact, as before.
            var rare = await query.FindAsync(org.Id, new AuditFilter(Action: "organization."));
            Assert.False(rare.TotalIsAtLeast);
            Assert.Equal(await db.AuditEntries.CountAsync(a => a.OrganizationId == org.Id && a.Action.StartsWith("organization.")), rare.Total);
        });
    }
}

public sealed class AuditScaleTestsOnSqlite(SqliteRounds app) : AuditScaleTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AuditScaleTestsOnPostgres(PostgresRounds app) : AuditScaleTests(app), IClassFixture<PostgresRounds>;
