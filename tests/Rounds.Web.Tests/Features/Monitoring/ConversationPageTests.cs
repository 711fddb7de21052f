using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// The conversation page goes through the same use cases as the API: a note and an assignment leave the
/// conversation waiting, a reply screening blocks shows its findings beside the field and is not stored.
/// </summary>
public abstract class ConversationPageTests(RoundsFactory app)
{
    [Fact]
    public async Task Notes_and_assignment_leave_it_waiting_and_a_blocked_reply_shows_its_findings_and_is_not_kept()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"conv-{suffix}@example.org", "Casey Comms");
        var org = await app.CreateOrganizationAsync("conv-" + suffix, admin);
        var conversationId = await app.WithScopeAsync(async services =>
        {
            var account = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("bluesky", $"conv{suffix}.bsky.social", Kind: "enterprise", Status: "active"));
            var db = services.GetRequiredService<RoundsDbContext>();
            var at = DateTimeOffset.UtcNow.AddMinutes(-30);
            var conversation = new Conversation { OrganizationId = org.Id, AccountId = account.Value!.Id, Network = "bluesky", RootId = "at://did:plc:asker/app.bsky.feed.post/1", StartedAt = at, LastMessageAt = at, HasInbound = true, FirstInboundAt = at, WaitingSince = at };
            db.Add(conversation);
            db.Add(new Message { OrganizationId = org.Id, ConversationId = conversation.Id, AccountId = account.Value.Id, NetworkId = conversation.RootId, AuthorHandle = "asker.bsky.social", Text = "Is my father's MRI ready?", PostedAt = at, Inbound = true });
            await db.SaveChangesAsync();
            return conversation.Id;
        });
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var path = $"/o/{org.Slug}/inbox/{conversationId}";

        var (_, empty) = await pages.SubmitAsync(path, "note", new Dictionary<string, string> { ["Note.Text"] = " " });
        Assert.Contains("1 to 4,000", empty.QuerySelector("#note-error")?.TextContent ?? "", StringComparison.Ordinal);
        var (_, noted) = await pages.SubmitAsync(path, "note", new Dictionary<string, string> { ["Note.Text"] = "Ask radiology first." });
        Assert.Contains("Ask radiology first.", noted.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var (_, assigned) = await pages.SubmitAsync(path, "assign", new Dictionary<string, string> { ["Assign.UserId"] = admin.Id });
        Assert.Contains("Assignment saved.", assigned.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Waiting for an answer", assigned.QuerySelector("#conversation-state")!.TextContent, StringComparison.Ordinal);

        var (_, blocked) = await pages.SubmitAsync(path, "reply", new Dictionary<string, string> { ["Reply.Text"] = "Mr. Dabrowski, your MRN 7730184 results are in." });
        Assert.Contains("MRN", blocked.QuerySelector("#reply-error")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Contains("Waiting for an answer", blocked.QuerySelector("#conversation-state")!.TextContent, StringComparison.Ordinal);

        // A clean reply on an account Rounds cannot post for is refused with the reason, and nothing is kept either.
        var (_, unconnected) = await pages.SubmitAsync(path, "reply", new Dictionary<string, string> { ["Reply.Text"] = "Please call radiology on 555 0100." });
        Assert.Contains("is not connected", unconnected.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(1, await db.Set<Message>().CountAsync(m => m.ConversationId == conversationId));
            var conversation = await db.Set<Conversation>().SingleAsync(c => c.Id == conversationId);
            Assert.Equal((admin.Id, true, (DateTimeOffset?)null), (conversation.AssignedTo, conversation.WaitingSince is not null, conversation.FirstResponseAt));
        });
    }

    [Fact]
    public async Task The_response_target_is_set_on_the_settings_page_and_a_bad_zone_is_refused_beside_its_field()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"sla-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("sla-" + suffix, admin);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var fields = new Dictionary<string, string>
        {
            ["Policy.Name"] = "Central hours", ["Policy.Minutes"] = "120", ["Policy.TimeZone"] = "Mars/Olympus", ["Policy.OpensAt"] = "08:00",
            ["Policy.ClosesAt"] = "18:00", ["Policy.Days"] = "mon, tue, wed, thu, fri", ["Policy.Holidays"] = "2026-12-25",
        };
        var (_, refused) = await pages.SubmitAsync($"/o/{org.Slug}/settings", "sla", fields);
        Assert.Contains("IANA", refused.QuerySelector("#sla-zone-error")?.TextContent ?? "", StringComparison.Ordinal);
        var api = await app.ApiClientAsync(admin);
        Assert.Empty((await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/sla-policies")).EnumerateArray());

        fields["Policy.TimeZone"] = "America/Chicago";
        var (_, saved) = await pages.SubmitAsync($"/o/{org.Slug}/settings", "sla", fields);
        Assert.Contains("Response target saved.", saved.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var policy = Assert.Single((await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/sla-policies")).EnumerateArray());
        Assert.Equal(("America/Chicago", 120, "08:00", "2026-12-25"), (policy.GetProperty("timeZone").GetString(), policy.GetProperty("firstResponseMinutes").GetInt32(), policy.GetProperty("opensAt").GetString(), policy.GetProperty("holidays")[0].GetString()));
    }
}

public sealed class ConversationPageTestsOnSqlite(SqliteRounds app) : ConversationPageTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ConversationPageTestsOnPostgres(PostgresRounds app) : ConversationPageTests(app), IClassFixture<PostgresRounds>;
