using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rounds.Web.Data;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Who else is viewing a conversation: each view marks its viewer for a while, the others are named to them, and a
/// viewer not seen again expires; the conversation page carries the line only for its script to fill.
/// </summary>
public abstract class ConversationPresenceTests(RoundsFactory app)
{
    [Fact]
    public async Task Each_viewer_sees_the_others_of_the_same_conversation_only()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"presence-{suffix}@example.org", "Avery Admin");
        var manager = await app.CreateUserAsync($"presence-am-{suffix}@example.org", "Morgan Manager");
        var member = await app.CreateUserAsync($"presence-m-{suffix}@example.org", "Mel Member");
        var org = await app.CreateOrganizationAsync("presence-" + suffix, admin);
        await app.AddMemberAsync(org, manager, Role.AccountManager);
        await app.AddMemberAsync(org, member, Role.Member);
        var (first, second) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var account = await services.GetRequiredService<Rounds.Web.Features.Accounts.AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new Rounds.Web.Features.Accounts.AccountInput("bluesky", $"presence{suffix}.bsky.social", Kind: "enterprise", Status: "active"));
            var at = DateTimeOffset.UtcNow;
            var one = new Conversation { OrganizationId = org.Id, AccountId = account.Value!.Id, Network = "bluesky", RootId = "at://one", StartedAt = at, LastMessageAt = at };
            var two = new Conversation { OrganizationId = org.Id, AccountId = account.Value.Id, Network = "bluesky", RootId = "at://two", StartedAt = at, LastMessageAt = at };
            db.AddRange(one, two);
            await db.SaveChangesAsync();
            return (one.Id, two.Id);
        });
        var url = (Guid id) => $"/api/v1/orgs/{org.Slug}/monitoring/conversations/{id}/presence";
        var adminApi = await app.ApiClientAsync(admin);
        var managerApi = await app.ApiClientAsync(manager);

        Assert.Empty(await ViewersAsync(adminApi, url(first)));
        Assert.Equal(["Avery Admin"], await ViewersAsync(managerApi, url(first)));
        Assert.Equal(["Morgan Manager"], await ViewersAsync(adminApi, url(first)));
        Assert.Empty(await ViewersAsync(managerApi, url(second)));

        // Not the inbox's people, or not a conversation of the organization: refused, and nobody is marked.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(member)).PostAsync(url(first), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminApi.PostAsync(url(Guid.NewGuid()), null)).StatusCode);

        // The page renders the line hidden, for its script; opening it marks the viewer.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var page = await pages.GetAsync($"/o/{org.Slug}/inbox/{second}");
        var line = page.QuerySelector("#presence")!;
        Assert.True(line.HasAttribute("hidden"));
        Assert.Equal(url(second), line.GetAttribute("data-presence-url"));
        Assert.Equal(["Avery Admin"], await ViewersAsync(managerApi, url(second)));
    }

    [Fact]
    public void A_viewer_not_seen_again_within_the_time_to_live_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var presence = new ConversationPresence(clock);
        var (org, conversation) = (Guid.NewGuid(), Guid.NewGuid());

        presence.Touch(org, conversation, "a", "Avery");
        presence.Touch(org, conversation, "c", "Casey");
        clock.Advance(ConversationPresence.Ttl - TimeSpan.FromSeconds(1));
        Assert.Equal(["Avery", "Casey"], presence.Touch(org, conversation, "b", "Blake"));
        Assert.Empty(presence.Touch(Guid.NewGuid(), conversation, "b", "Blake"));

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["Blake"], presence.Touch(org, conversation, "c", "Casey"));
        clock.Advance(ConversationPresence.Ttl + TimeSpan.FromSeconds(1));
        Assert.Empty(presence.Touch(org, conversation, "b", "Blake"));
    }

    [Fact]
    public void Conversations_nobody_looks_at_any_more_are_forgotten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var presence = new ConversationPresence(clock);
        var org = Guid.NewGuid();
        var kept = Guid.NewGuid();
        for (var i = 0; i < 100; i++)
        {
            presence.Touch(org, Guid.NewGuid(), "a", "Avery");
        }

        presence.Touch(org, kept, "b", "Blake");
        Assert.Equal(101, presence.Tracked);

        // Past the time to live only the conversation still being looked at keeps an entry.
        clock.Advance(ConversationPresence.Ttl + TimeSpan.FromSeconds(1));
        presence.Touch(org, kept, "b", "Blake");
        Assert.Equal(1, presence.Tracked);
    }

    private static async Task<IReadOnlyList<string>> ViewersAsync(HttpClient client, string url) =>
        (await HttpAssert.ReadAsync<JsonElement>(await client.PostAsync(url, null))).GetProperty("viewers").EnumerateArray().Select(v => v.GetString()!).ToList();
}

public sealed class ConversationPresenceTestsOnSqlite(SqliteRounds app) : ConversationPresenceTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ConversationPresenceTestsOnPostgres(PostgresRounds app) : ConversationPresenceTests(app), IClassFixture<PostgresRounds>;
