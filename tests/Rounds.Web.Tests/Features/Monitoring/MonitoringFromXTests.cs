using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Monitoring an X account against a stand-in that follows X API v2, paid per read: nothing is read until an admin
/// sets the organization's monthly budget, every post and user returned is charged to it at the configured prices,
/// and reads pause (and the account page says so) before the budget would be exceeded.
/// </summary>
[Trait("Network", "X")]
public abstract class MonitoringFromXTests(RoundsFactory app) : IAsyncLifetime
{
    private readonly XStandIn network = new();

    public Task InitializeAsync() => network.InitializeAsync();

    public Task DisposeAsync() => network.DisposeAsync();

    [Fact]
    public async Task X_is_read_within_the_organizations_monthly_budget_and_paused_before_it_is_exceeded()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[XReads.ServiceSetting] = network.Url.ToString();
        configuration[XReads.BearerTokenSetting] = XStandIn.Token;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monx-{suffix}@example.org");
        var reviewer = await app.CreateUserAsync($"monx-rev-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monx-" + suffix, admin);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("x", "@" + XStandIn.Username, Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var api = await app.ApiClientAsync(admin);
        var sourcesUrl = $"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/sources";
        var readUrl = $"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read";

        var own = network.Seed("Flu clinic Saturday at the Eastside campus.", DateTimeOffset.UtcNow.AddMinutes(-20));
        var blocked = network.Seed("Mr. Dabrowski (MRN 7730184) went home today!", DateTimeOffset.UtcNow.AddMinutes(-10));
        var parent = network.AddUser("worried_parent");
        network.Mention(parent, $"@{XStandIn.Username} is the flu clinic open to children?", DateTimeOffset.UtcNow.AddMinutes(-5), inReplyTo: own);

        // No budget: X costs money per read, so nothing is read and both sources say they are paused.
        var sources = await api.GetFromJsonAsync<JsonElement>(sourcesUrl);
        Assert.Equal(["paused", "paused"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
        Assert.Contains("paused by budget", sources.GetProperty("sources")[0].GetProperty("explanation").GetString(), StringComparison.Ordinal);
        var refused = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(readUrl, null));
        Assert.Equal(0, refused.GetProperty("read").GetInt32());
        Assert.Empty(network.Requests);

        // Last month's spending does not count against this month's budget; a reviewer cannot set one.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var lastMonth = XReads.MonthOf(DateTimeOffset.UtcNow.AddDays(-40), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
            db.Add(new ReadSpend { OrganizationId = org.Id, Network = XReads.Network, Month = lastMonth, SpentMicros = 900_000_000 });
            await db.SaveChangesAsync();
            var denied = await services.GetRequiredService<XReads>().SaveBudgetAsync(await RoundsFactory.ContextAsync(services, org, reviewer), 50m);
            Assert.Equal(OutcomeKind.Forbidden, denied.Kind);
            var invalid = await services.GetRequiredService<XReads>().SaveBudgetAsync(await RoundsFactory.ContextAsync(services, org, admin), -1m);
            Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        });

        // The admin sets it on the settings page, which shows the month's spending.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var settings = $"/o/{org.Slug}/settings";
        var (_, typo) = await pages.SubmitAsync(settings, "x-budget", new Dictionary<string, string> { ["Form.Budget"] = "five" });
        Assert.Contains("amount in dollars", typo.QuerySelector("#x-budget-error")?.TextContent ?? "", StringComparison.Ordinal);
        var (_, saved) = await pages.SubmitAsync(settings, "x-budget", new Dictionary<string, string> { ["Form.Budget"] = "5" });
        Assert.Contains("X budget saved.", saved.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("$0.00 of $5.00", saved.QuerySelector("#x-spend")!.TextContent, StringComparison.Ordinal);

        sources = await api.GetFromJsonAsync<JsonElement>(sourcesUrl);
        Assert.Equal(["polled", "polled"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
        var first = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(readUrl, null));
        Assert.Equal((1, 2), (first.GetProperty("newMessages").GetInt32(), first.GetProperty("newAlerts").GetInt32()));
        var inbox = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations")).EnumerateArray().ToList();
        Assert.Equal("worried_parent", Assert.Single(inbox).GetProperty("from").GetString());

        // What was spent is what X returned, at the configured prices ($0.005 a post, $0.010 a user).
        var spend = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.All(await db.Set<MonitoringAlert>().Where(a => a.AccountId == accountId).ToListAsync(), a => Assert.Equal(blocked.Id, a.PostId));
            return await services.GetRequiredService<XReads>().SpendAsync(await RoundsFactory.ContextAsync(services, org, admin));
        });
        Assert.Equal((network.PostsServed * 0.005m) + (network.UsersServed * 0.010m), spend.Spent);
        Assert.True(spend.Spent > 0);
        Assert.Equal((5m, false), (spend.Budget, spend.Paused));

        // The budget lowered to what was spent: the next round asks X nothing, and the account page says why.
        await app.WithScopeAsync(async services =>
            Assert.True((await services.GetRequiredService<XReads>().SaveBudgetAsync(await RoundsFactory.ContextAsync(services, org, admin), spend.Spent + 0.01m)).Succeeded));
        network.Mention(parent, $"@{XStandIn.Username} and adults?", DateTimeOffset.UtcNow);
        var requests = network.Requests.Count;
        var paused = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(readUrl, null));
        Assert.Equal(0, paused.GetProperty("newMessages").GetInt32());
        Assert.Equal(requests, network.Requests.Count);
        sources = await api.GetFromJsonAsync<JsonElement>(sourcesUrl);
        Assert.Equal(["paused", "paused"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
        var accountPage = await pages.GetAsync($"/o/{org.Slug}/accounts/{accountId}");
        Assert.Contains("paused by budget", accountPage.QuerySelector("#monitoring-sources")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Reads are paused by budget.", (await pages.GetAsync(settings)).QuerySelector("#x-spend")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admins_set_and_read_the_X_budget_through_the_API_and_others_only_read_it()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monx-api-{suffix}@example.org");
        var manager = await app.CreateUserAsync($"monx-api-am-{suffix}@example.org");
        var contributor = await app.CreateUserAsync($"monx-api-con-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monx-api-" + suffix, admin);
        await app.AddMemberAsync(org, manager, Role.AccountManager);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var url = $"/api/v1/orgs/{org.Slug}/monitoring/x-budget";
        var adminApi = await app.ApiClientAsync(admin);
        var managerApi = await app.ApiClientAsync(manager);

        var unset = await HttpAssert.ReadAsync<JsonElement>(await managerApi.GetAsync(url));
        Assert.Equal(JsonValueKind.Null, unset.GetProperty("budget").ValueKind);
        Assert.True(unset.GetProperty("paused").GetBoolean());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(contributor)).GetAsync(url)).StatusCode);

        // Spending is an admin's decision; a manager is refused and a budget out of range changes nothing.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await managerApi.PutAsJsonAsync(url, new { budget = 10m })).StatusCode);
        var invalid = await adminApi.PutAsJsonAsync(url, new { budget = 1_000_000m });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Budget", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await HttpAssert.ReadAsync<JsonElement>(await adminApi.GetAsync(url))).GetProperty("budget").ValueKind);

        var saved = await HttpAssert.ReadAsync<JsonElement>(await adminApi.PutAsJsonAsync(url, new { budget = 25.5m }));
        Assert.Equal(25.5m, saved.GetProperty("budget").GetDecimal());
        Assert.Equal(25.5m, (await HttpAssert.ReadAsync<JsonElement>(await managerApi.GetAsync(url))).GetProperty("budget").GetDecimal());
        Assert.Equal(JsonValueKind.Null, (await HttpAssert.ReadAsync<JsonElement>(await adminApi.PutAsJsonAsync(url, new { budget = (decimal?)null }))).GetProperty("budget").ValueKind);
        Assert.Equal(1, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.CountAsync(e => e.OrganizationId == org.Id && e.Action == "monitoring.x-budget.saved" && e.After!.Contains("25.5"))));
    }

    [Theory]
    [InlineData("2027-01-01T03:00:00Z", "America/Chicago", "2026-12")]
    [InlineData("2027-01-01T06:00:00Z", "America/Chicago", "2027-01")]
    [InlineData("2026-11-30T12:00:00Z", "Pacific/Kiritimati", "2026-12")]
    public void The_budget_month_turns_at_midnight_on_the_first_in_the_organizations_zone(string instant, string zone, string month) =>
        Assert.Equal(month, XReads.MonthOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone)));
}

public sealed class MonitoringFromXTestsOnSqlite(SqliteRounds app) : MonitoringFromXTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MonitoringFromXTestsOnPostgres(PostgresRounds app) : MonitoringFromXTests(app), IClassFixture<PostgresRounds>;
