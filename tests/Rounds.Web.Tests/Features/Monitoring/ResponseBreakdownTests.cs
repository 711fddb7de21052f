using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// The response report split by business hours and off hours (the first message's arrival in the policy's zone),
/// per account and per person who gave the first answer, and its CSV export.
/// </summary>
public abstract class ResponseBreakdownTests(MonitoringRounds app)
{
    [Fact]
    public async Task First_answers_are_split_by_business_and_off_hours_per_account_and_per_person_and_exported_as_csv()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"split-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("split-" + suffix, admin);
        var day = await app.CreateUserAsync($"day-{suffix}@example.org", "Dana Day");
        var night = await app.CreateUserAsync($"night-{suffix}@example.org", "Nico Night");
        await app.AddMemberAsync(org, day, Role.AccountManager);
        await app.AddMemberAsync(org, night, Role.AccountManager);
        var api = await app.ApiClientAsync(admin);
        var saved = await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/monitoring/sla-policies", new
        {
            name = "Central business hours", firstResponseMinutes = 120, timeZone = "America/Chicago", opensAt = "09:00", closesAt = "17:00",
            days = new[] { "mon", "tue", "wed", "thu", "fri" },
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        await app.WithScopeAsync(async services =>
        {
            var account = (await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("bluesky", $"split{suffix}.bsky.social", Kind: "enterprise", Status: "active"))).Value!.Id;
            var db = services.GetRequiredService<RoundsDbContext>();
            var n = 0;
            void Add(DateTimeOffset at, DateTimeOffset? answeredAt, string? by)
            {
                var root = $"at://did:plc:asker/app.bsky.feed.post/{++n}";
                var conversation = new Conversation { OrganizationId = org.Id, AccountId = account, Network = "bluesky", RootId = root, StartedAt = at, LastMessageAt = at, HasInbound = true, FirstInboundAt = at, WaitingSince = at };
                db.Add(conversation);
                db.Add(new Message { OrganizationId = org.Id, ConversationId = conversation.Id, AccountId = account, NetworkId = root, AuthorHandle = "asker.bsky.social", Text = "Question", PostedAt = at, Inbound = true });
                if (answeredAt is { } answer)
                {
                    db.Add(new Message { OrganizationId = org.Id, ConversationId = conversation.Id, AccountId = account, NetworkId = root + "-answer", AuthorHandle = "us", Text = "Answer", PostedAt = answer, State = MessageState.Sent, SentBy = by });
                    IngestAccount.Answered(conversation, answer);
                }
            }

            // Monday 09:30 CDT, answered by Dana in 30 minutes: business hours, met.
            Add(new DateTimeOffset(2026, 3, 9, 14, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero), day.Id);
            // Friday 21:00 CST, answered by Nico on Monday 09:00 CDT: off hours, met (due Monday 11:00 CDT).
            Add(new DateTimeOffset(2026, 3, 7, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.Zero), night.Id);
            // Monday 08:50 CDT, answered on the network itself 30 minutes later: off hours.
            Add(new DateTimeOffset(2026, 3, 9, 13, 50, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 14, 20, 0, TimeSpan.Zero), null);
            // Monday 14:00 CDT, nobody has answered and nobody has it; still within its time.
            Add(new DateTimeOffset(2026, 3, 9, 19, 0, 0, TimeSpan.Zero), null, null);
            await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/monitoring/report/breakdown?days=400")).StatusCode);
        var rows = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/report/breakdown")).EnumerateArray()
            .ToDictionary(r => $"{r.GetProperty("group").GetString()}|{r.GetProperty("name").GetString()}|{r.GetProperty("hours").GetString()}");
        Assert.Equal(6, rows.Count);
        var accountBusiness = rows.Single(r => r.Key.StartsWith("account|", StringComparison.Ordinal) && r.Key.EndsWith("|business", StringComparison.Ordinal)).Value;
        Assert.Equal((2, 1, 1, 30.0), (accountBusiness.GetProperty("conversations").GetInt32(), accountBusiness.GetProperty("answered").GetInt32(), accountBusiness.GetProperty("unanswered").GetInt32(), accountBusiness.GetProperty("medianMinutes").GetDouble()));
        var accountOff = rows.Single(r => r.Key.StartsWith("account|", StringComparison.Ordinal) && r.Key.EndsWith("|off", StringComparison.Ordinal)).Value;
        Assert.Equal((2, 2, 0), (accountOff.GetProperty("conversations").GetInt32(), accountOff.GetProperty("answered").GetInt32(), accountOff.GetProperty("unanswered").GetInt32()));
        Assert.Equal((1, 0), (rows["person|Dana Day|business"].GetProperty("met").GetInt32(), rows["person|Dana Day|business"].GetProperty("missed").GetInt32()));
        Assert.Equal(60.0 * 59, rows["person|Nico Night|off"].GetProperty("medianMinutes").GetDouble());
        Assert.Equal(30.0, rows["person|on the network|off"].GetProperty("medianMinutes").GetDouble());
        Assert.Equal(1, rows["person|unassigned|business"].GetProperty("unanswered").GetInt32());

        var csv = await api.GetAsync($"/api/v1/orgs/{org.Slug}/monitoring/report.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("group,name,hours,conversations,answered,unanswered,median_minutes,p90_minutes,met,missed,met_share", lines[0]);
        Assert.Contains("person,Dana Day,business,1,1,0,30,30,1,0,1", lines);
        Assert.Equal(7, lines.Length);
    }
}

public sealed class ResponseBreakdownTestsOnSqlite(MonitoringSqlite app) : ResponseBreakdownTests(app), IClassFixture<MonitoringSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class ResponseBreakdownTestsOnPostgres(MonitoringPostgres app) : ResponseBreakdownTests(app), IClassFixture<MonitoringPostgres>;
