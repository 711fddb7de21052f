using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>Rounds on a clock the test sets, for due and missed answers.</summary>
public class MonitoringRounds(TestDatabase database) : RoundsFactory(database)
{
    /// <summary>Monday 9 March 2026, 20:00 UTC (15:00 CDT): the first working day after the clocks went forward.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 9, 20, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }
}

public sealed class MonitoringSqlite() : MonitoringRounds(TestDatabase.Sqlite);

public sealed class MonitoringPostgres() : MonitoringRounds(TestDatabase.PostgreSql);

/// <summary>The inbox's order and filters, and due and missed first answers under the organization's policy.</summary>
public abstract class InboxTests(MonitoringRounds app)
{
    [Fact]
    public async Task The_inbox_lists_the_longest_waiting_first_with_due_and_missed_answers_across_the_spring_change()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"inbox-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("inbox-" + suffix, admin);
        var api = await app.ApiClientAsync(admin);
        var (first, second) = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var registry = services.GetRequiredService<AccountRegistry>();
            return ((await registry.CreateAsync(context, new AccountInput("bluesky", "inbox-a.bsky.social", Kind: "enterprise", Status: "active"))).Value!.Id,
                (await registry.CreateAsync(context, new AccountInput("bluesky", "inbox-b.bsky.social", Kind: "enterprise", Status: "active"))).Value!.Id);
        });

        // Bad input is refused and saves nothing.
        var bad = await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/monitoring/sla-policies", new { name = "Hours", firstResponseMinutes = 120, timeZone = "Mars/Olympus", days = new[] { "mon" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("TimeZone", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/sla-policies")).EnumerateArray());
        var saved = await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/monitoring/sla-policies", new
        {
            name = "Central business hours", firstResponseMinutes = 120, timeZone = "America/Chicago", opensAt = "09:00", closesAt = "17:00",
            days = new[] { "mon", "tue", "wed", "thu", "fri" }, holidays = Array.Empty<string>(),
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        // Friday 6 March 22:30 UTC (16:30 CST): due Monday 15:30 UTC, missed by now (20:00 UTC), unanswered.
        // Monday 9 March 19:00 UTC (14:00 CDT): due 21:00 UTC, still open.
        var late = await AddAsync(org.Id, first, new DateTimeOffset(2026, 3, 6, 22, 30, 0, TimeSpan.Zero));
        var fresh = await AddAsync(org.Id, second, new DateTimeOffset(2026, 3, 9, 19, 0, 0, TimeSpan.Zero));
        var answered = await AddAsync(org.Id, second, new DateTimeOffset(2026, 3, 9, 14, 30, 0, TimeSpan.Zero), answeredAt: new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero));

        var rows = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations")).EnumerateArray().ToList();
        Assert.Equal([late, fresh, answered], rows.Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 30, 0, TimeSpan.Zero), rows[0].GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(rows[0].GetProperty("breached").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 21, 0, 0, TimeSpan.Zero), rows[1].GetProperty("dueAt").GetDateTimeOffset());
        Assert.False(rows[1].GetProperty("breached").GetBoolean());
        Assert.False(rows[2].GetProperty("breached").GetBoolean());

        // The report: the first account's one conversation is unanswered and missed; the second's answered one took
        // 30 minutes and met its target, and its fresh one is still within its time, so it counts for neither.
        var report = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/report")).EnumerateArray().ToDictionary(r => r.GetProperty("accountId").GetGuid());
        Assert.Equal((1, 1, 0, 1), (report[first].GetProperty("unanswered").GetInt32(), report[first].GetProperty("missed").GetInt32(), report[first].GetProperty("met").GetInt32(), report[first].GetProperty("conversations").GetInt32()));
        Assert.Equal(JsonValueKind.Null, report[first].GetProperty("medianMinutes").ValueKind);
        Assert.Equal((30.0, 30.0, 1, 0, 1.0), (report[second].GetProperty("medianMinutes").GetDouble(), report[second].GetProperty("p90Minutes").GetDouble(), report[second].GetProperty("met").GetInt32(), report[second].GetProperty("missed").GetInt32(), report[second].GetProperty("metShare").GetDouble()));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/monitoring/report?days=0")).StatusCode);

        // Two hours later the fresh one is missed too.
        app.Clock.Advance(TimeSpan.FromHours(2));
        rows = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations")).EnumerateArray().ToList();
        Assert.True(rows[1].GetProperty("breached").GetBoolean());
        var later = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/report")).EnumerateArray().Single(r => r.GetProperty("accountId").GetGuid() == second);
        Assert.Equal((1, 1, 0.5), (later.GetProperty("met").GetInt32(), later.GetProperty("missed").GetInt32(), later.GetProperty("metShare").GetDouble()));

        // Filters: one account, waiting only, unassigned, mine.
        Assert.Equal([fresh, answered], (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations?accountId={second}")).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal([late, fresh], (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations?waiting=true")).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/monitoring/conversations/{fresh}/assignee", new { userId = admin.Id })).StatusCode);
        Assert.Equal([fresh], (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations?mine=true")).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal([late, answered], (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations?unassigned=true")).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
    }

    private int count;

    private Task<Guid> AddAsync(Guid organizationId, Guid accountId, DateTimeOffset at, DateTimeOffset? answeredAt = null) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var n = ++count;
        var conversation = new Conversation { OrganizationId = organizationId, AccountId = accountId, Network = "bluesky", RootId = $"at://did:plc:asker/app.bsky.feed.post/{n}", StartedAt = at, LastMessageAt = at, HasInbound = true, FirstInboundAt = at, WaitingSince = at };
        db.Add(conversation);
        db.Add(new Message { OrganizationId = organizationId, ConversationId = conversation.Id, AccountId = accountId, NetworkId = conversation.RootId, AuthorHandle = "asker.bsky.social", Text = $"Question {n}", PostedAt = at, Inbound = true });
        if (answeredAt is { } answer)
        {
            IngestAccount.Answered(conversation, answer);
        }

        await db.SaveChangesAsync();
        return conversation.Id;
    });
}

public sealed class InboxTestsOnSqlite(MonitoringSqlite app) : InboxTests(app), IClassFixture<MonitoringSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class InboxTestsOnPostgres(MonitoringPostgres app) : InboxTests(app), IClassFixture<MonitoringPostgres>;
