using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Accounts;

public abstract class DormancyTests(RoundsFactory app)
{
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    [Fact]
    public async Task Quiet_accounts_turn_dormant_once_then_the_team_is_told_once_and_a_post_revives_them()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"dorm-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("dorm-" + suffix, admin);
        var owner = await app.CreateUserAsync($"owner-{suffix}@example.org");
        await app.AddMemberAsync(org, owner, Role.Contributor);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(
                await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("x", "@QuietDept", Kind: "department", Owners: owner.Email, Backup: admin.Email, Status: "active"));
            return created.Value!.Id;
        });

        // Two instances run at the same moment, 31 days on: one account, one dormancy, one notification.
        var day31 = await Task.WhenAll(RunAsync(TimeSpan.FromDays(31)), RunAsync(TimeSpan.FromDays(31)));
        Assert.Equal(1, day31.Sum(r => r.BecameDormant));
        Assert.Equal(0, (await RunAsync(TimeSpan.FromDays(31))).BecameDormant);
        Assert.Equal(0, (await RunAsync(TimeSpan.FromDays(50))).Escalated);

        var day62 = await Task.WhenAll(RunAsync(TimeSpan.FromDays(62)), RunAsync(TimeSpan.FromDays(62)));
        Assert.Equal(1, day62.Sum(r => r.Escalated));

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(AccountStatus.Dormant, (await db.Set<SocialAccount>().SingleAsync(a => a.Id == accountId)).Status);
            Assert.Single(await db.Set<Notification>().Where(n => n.UserId == owner.Id && n.EventKey.StartsWith("account-dormant")).ToListAsync());
            Assert.Single(await db.Set<Notification>().Where(n => n.UserId == admin.Id && n.EventKey.StartsWith("account-dormancy-escalated")).ToListAsync());
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.OrganizationId == org.Id && a.Action == "account.dormant"));
        });
        Assert.Single(app.MailTo(owner.Email!), m => m.Contains("is now dormant", StringComparison.Ordinal));

        // A post seen again makes it active.
        await app.WithScopeAsync(async services =>
        {
            var outcome = await services.GetRequiredService<AccountRegistry>().RecordPostAsync(await RoundsFactory.ContextAsync(services, org, admin), accountId, "https://x.com/QuietDept/status/1", null);
            Assert.True(outcome.Succeeded);
            Assert.Equal(AccountStatus.Active, (await services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().SingleAsync(a => a.Id == accountId)).Status);
        });
    }

    private Task<DormancyRun> RunAsync(TimeSpan shift) => app.WithScopeAsync(services =>
    {
        var clock = new ShiftedClock(shift);
        var db = services.GetRequiredService<RoundsDbContext>();
        var audit = new AuditLog(db, services.GetRequiredService<ICurrentActor>(), clock);
        var notifier = ActivatorUtilities.CreateInstance<Notifier>(services, (TimeProvider)clock);
        var registry = ActivatorUtilities.CreateInstance<AccountRegistry>(services, audit, notifier, (TimeProvider)clock);
        return new DetectDormancy(db, audit, notifier, registry, clock).RunAsync();
    });
}

public sealed class DormancyTestsOnSqlite(SqliteRounds app) : DormancyTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class DormancyTestsOnPostgres(PostgresRounds app) : DormancyTests(app), IClassFixture<PostgresRounds>;
