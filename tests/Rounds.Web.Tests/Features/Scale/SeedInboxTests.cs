using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// <c>./rounds seed</c> fills the response inbox too, and the inbox reads it a page at a time: waiting conversations
/// first, longest waiting on top, then the others by their latest message, with no conversation twice and none
/// left out, even when a new one arrives between two pages.
/// </summary>
public abstract class SeedInboxTests(RoundsFactory app)
{
    [Fact]
    public async Task Seeded_conversations_are_walked_page_by_page_in_the_inbox_order_without_repeats_or_gaps()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("seed-inbox-" + suffix, admin);
        SeedMember[] members = [new(admin.Id, admin.Email!, admin.DisplayName, Role.Admin)];
        var plan = new SeedPlan(org.Id, members, Posts: 0, Accounts: 12, AuditEntries: 0, DateTimeOffset.UtcNow, Conversations: 130);
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

        // Two that wait for an answer whatever the seeder's draw, so the waiting run is never empty here.
        await AddAsync(org.Id, DateTimeOffset.UtcNow.AddHours(-5), waiting: true);
        await AddAsync(org.Id, DateTimeOffset.UtcNow.AddHours(-1), waiting: true);
        var all = await app.WithScopeAsync(async services =>
            await services.GetRequiredService<RoundsDbContext>().Set<Conversation>().AsNoTracking().Where(c => c.OrganizationId == org.Id).ToListAsync());
        Assert.Equal(132, all.Count);
        Assert.Contains(all, c => c.FirstResponseAt is not null);
        var expected = all.Where(c => c.WaitingSince is not null).OrderBy(c => c.WaitingSince).ThenBy(c => c.Id.ToString("D").ToUpperInvariant(), StringComparer.Ordinal)
            .Concat(all.Where(c => c.WaitingSince is null).OrderByDescending(c => c.LastMessageAt)).Select(c => c.Id).ToList();

        // Through the API: 50 a page, the next one named in the Link header; a conversation that arrives between
        // two pages sorts before the cursor, so it waits for the next reading and moves nothing that was read.
        var api = await app.ApiClientAsync(admin);
        var read = new List<Guid>();
        var address = $"/api/v1/orgs/{org.Slug}/monitoring/conversations";
        while (address is not null)
        {
            var response = await api.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rows = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(rows.Count, 1, Inbox.PageSize);
            read.AddRange(rows);
            address = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('>')[0].TrimStart('<') : null;
            if (read.Count == Inbox.PageSize)
            {
                await AddAsync(org.Id, DateTimeOffset.UtcNow, waiting: false);
            }
        }

        Assert.Equal(read.Count, read.Distinct().Count());
        Assert.Equal(expected.Where(id => all.Single(c => c.Id == id).WaitingSince is not null), read.Take(expected.Count(id => all.Single(c => c.Id == id).WaitingSince is not null)));
        Assert.Equal(expected.ToHashSet(), read.ToHashSet());

        // Waiting only: the run of waiting conversations and nothing else; a cursor that was not handed out is refused.
        var waiting = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations?waiting=true");
        Assert.All(waiting.EnumerateArray(), r => Assert.Equal(JsonValueKind.String, r.GetProperty("waitingSince").ValueKind));
        var refused = await api.GetAsync($"/api/v1/orgs/{org.Slug}/monitoring/conversations?after=x123");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("after", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task AddAsync(Guid organizationId, DateTimeOffset at, bool waiting) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var accountId = await db.Set<Conversation>().Where(c => c.OrganizationId == organizationId).Select(c => c.AccountId).FirstAsync();
        db.Add(new Conversation
        {
            OrganizationId = organizationId, AccountId = accountId, Network = "bluesky", RootId = "added-" + Guid.NewGuid().ToString("N"), RootVersion = "1",
            StartedAt = at, LastMessageAt = at, HasInbound = true, FirstInboundAt = at, WaitingSince = waiting ? at : null,
            FirstResponseAt = waiting ? null : at, LastReplyAt = waiting ? null : at,
        });
        await db.SaveChangesAsync();
    });
}

public sealed class SeedInboxTestsOnSqlite(SqliteRounds app) : SeedInboxTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SeedInboxTestsOnPostgres(PostgresRounds app) : SeedInboxTests(app), IClassFixture<PostgresRounds>;
