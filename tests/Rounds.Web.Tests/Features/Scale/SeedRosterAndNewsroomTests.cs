using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.PressRoom;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// <c>./rounds seed</c> fills the physician roster and the public newsroom too, so the load benchmark's roster and
/// newsroom routes answer real pages; the rows are read back by the areas' own paged queries, and seeding again
/// adds nothing.
/// </summary>
public abstract class SeedRosterAndNewsroomTests(RoundsFactory app)
{
    [Fact]
    public async Task Seeded_physicians_and_releases_are_read_by_the_paged_lists_and_a_second_seed_adds_none()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("seed-lists-" + suffix, admin);
        SeedMember[] members = [new(admin.Id, admin.Email!, admin.DisplayName, Role.Admin)];
        var plan = new SeedPlan(org.Id, members, Posts: 600, Accounts: 12, AuditEntries: 0, DateTimeOffset.UtcNow);
        for (var round = 0; round < 2; round++)
        {
            await app.WithScopeAsync(async services =>
            {
                foreach (var area in services.GetServices<ISeedData>().OrderBy(a => a.Order))
                {
                    await area.SeedAsync(plan);
                }
            });
        }

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(120, await db.Set<Physician>().CountAsync(p => p.OrganizationId == org.Id));
            Assert.All(await db.Set<Physician>().Where(p => p.OrganizationId == org.Id).Select(p => p.Npi).ToListAsync(), npi => Assert.True(Npi.IsValid(npi), npi));

            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var roster = await services.GetRequiredService<Roster>().PageAsync(context, new RosterFilter(IncludeLeft: true));
            Assert.Equal(120, roster.Total);
            Assert.Equal(Roster.PageSize, roster.Items.Count);
            Assert.NotNull(roster.Next);

            var (releases, next) = await services.GetRequiredService<Newsroom>().PublicPageAsync(org.Id, null, 5);
            Assert.Equal(5, releases.Count);
            Assert.NotNull(next);
            Assert.Equal(12, await db.Set<PressRelease>().CountAsync(r => r.OrganizationId == org.Id && r.Status == ReleaseStatus.Public));
        });
    }
}

public sealed class SeedRosterAndNewsroomTestsOnSqlite(SqliteRounds app) : SeedRosterAndNewsroomTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SeedRosterAndNewsroomTestsOnPostgres(PostgresRounds app) : SeedRosterAndNewsroomTests(app), IClassFixture<PostgresRounds>;
