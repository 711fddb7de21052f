using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// The inbox's working tools: replies held for the account's approval steps when the organization says so (and sent
/// once when the last step passes), canned replies inserted into the reply form, next-response targets, and the
/// escalation to a second person when an answer is about to be late.
/// </summary>
public abstract class InboxWorkTests(DeliveryRounds app)
{
    [Fact]
    public async Task With_every_reply_needing_approval_a_reply_waits_for_the_accounts_steps_is_never_approved_by_its_author_and_goes_out_once_at_the_last_step()
    {
        var room = await RoomAsync("approve");
        var fake = await room.Newsroom.ConnectFakeAsync();
        var conversation = await ConversationAsync(room, app.Clock.GetUtcNow().AddMinutes(-10));
        var settings = $"/api/v1/orgs/{room.Slug}/monitoring/settings";
        var replies = $"/api/v1/orgs/{room.Slug}/monitoring/conversations/{conversation}/replies";

        // Only admins choose, and only among the three settings; nothing is saved otherwise.
        Assert.Equal(HttpStatusCode.Forbidden, (await room.Writer.PutAsJsonAsync(settings, new { replyApproval = "none" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Admin.PutAsJsonAsync(settings, new { replyApproval = "sometimes" })).StatusCode);
        Assert.Equal("none", (await room.Admin.GetFromJsonAsync<JsonElement>(settings)).GetProperty("replyApproval").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await room.Admin.PutAsJsonAsync(settings, new { replyApproval = "all" })).StatusCode);

        // Two steps: any reviewer, then the admin by name.
        var steps = await room.Admin.PutAsJsonAsync($"/api/v1/orgs/{room.Slug}/accounts/{room.Newsroom.AccountId}/approval-steps", new
        {
            steps = new object[] { new { name = "Comms review", role = "reviewer", quorum = "any" }, new { name = "Director", approvers = room.Newsroom.Admin.Email, quorum = "all" } },
        });
        Assert.True(steps.IsSuccessStatusCode, await steps.Content.ReadAsStringAsync());

        // A clean reply is held, not sent: the conversation still waits, the reviewers are asked.
        var held = await room.Writer.PostAsJsonAsync(replies, new { text = "Saturdays 9 to 1 at the Eastside campus." });
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        var first = (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetGuid();
        Assert.Equal(0, fake.PublishCalls);
        var waiting = await room.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{conversation}");
        Assert.NotEqual(JsonValueKind.Null, waiting.GetProperty("conversation").GetProperty("waitingSince").ValueKind);
        Assert.Equal("awaiting_approval", waiting.GetProperty("messages")[1].GetProperty("state").GetString());
        Assert.Equal(["current", "waiting"], waiting.GetProperty("approvals")[0].GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        Assert.Contains($"monitoring-reply:{first}:0", string.Join('\n', await room.Newsroom.NotificationsAsync(room.ReviewerUser)), StringComparison.Ordinal);

        // A second reply waits its turn; the author cannot decide their own; turning it down needs a reason.
        Assert.Equal(HttpStatusCode.Conflict, (await room.Writer.PostAsJsonAsync(replies, new { text = "Or call us." })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await room.Writer.PostAsJsonAsync($"{replies}/{first}/decision", new { approve = true })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Reviewer.PostAsJsonAsync($"{replies}/{first}/decision", new { approve = false, note = " " })).StatusCode);
        var rejected = await HttpAssert.ReadAsync<JsonElement>(await room.Reviewer.PostAsJsonAsync($"{replies}/{first}/decision", new { approve = false, note = "Name the campus entrance." }));
        Assert.Equal("rejected", rejected.GetProperty("state").GetString());
        Assert.Contains("Name the campus entrance.", string.Join('\n', await room.Newsroom.NotificationsAsync(room.WriterUser)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await room.Admin.PostAsJsonAsync($"{replies}/{first}/decision", new { approve = true })).StatusCode);

        // Written again, a minute later; the reviewer passes the first step, the admin (an approver of both) the second, which sends it.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await HttpAssert.ReadAsync<JsonElement>(await room.Writer.PostAsJsonAsync(replies, new { text = "Saturdays 9 to 1, Eastside campus, north entrance." }))).GetProperty("messageId").GetGuid();
        var passed = await HttpAssert.ReadAsync<JsonElement>(await room.Reviewer.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = true }));
        Assert.Equal("awaiting_approval", passed.GetProperty("state").GetString());
        Assert.Equal(0, fake.PublishCalls);
        // The second step is the admin's alone.
        Assert.Equal(HttpStatusCode.Forbidden, (await room.Reviewer.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = true })).StatusCode);
        var sent = await HttpAssert.ReadAsync<JsonElement>(await room.Admin.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = true }));
        Assert.Equal("sent", sent.GetProperty("state").GetString());
        Assert.Equal((1, "Saturdays 9 to 1, Eastside campus, north entrance."), (fake.PublishCalls, Assert.Single(fake.Posts).Value));
        Assert.Equal(HttpStatusCode.Conflict, (await room.Admin.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = true })).StatusCode);
        Assert.Equal(1, fake.PublishCalls);

        var answered = await room.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{conversation}");
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("conversation").GetProperty("waitingSince").ValueKind);
        Assert.Equal(["received", "rejected", "sent"], answered.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("state").GetString()));
    }

    /// <summary>
    /// A held reply could only be decided by the approvers of its step: if they could not act (someone named who
    /// cannot open the inbox, or who had left), it waited for ever and the conversation took no other reply.
    /// </summary>
    [Fact]
    public async Task Its_author_may_withdraw_a_held_reply_and_an_admin_may_turn_one_down_at_any_step()
    {
        var room = await RoomAsync("withdraw");
        var fake = await room.Newsroom.ConnectFakeAsync();
        var conversation = await ConversationAsync(room, app.Clock.GetUtcNow().AddMinutes(-10));
        var replies = $"/api/v1/orgs/{room.Slug}/monitoring/conversations/{conversation}/replies";
        Assert.Equal(HttpStatusCode.NoContent, (await room.Admin.PutAsJsonAsync($"/api/v1/orgs/{room.Slug}/monitoring/settings", new { replyApproval = "all" })).StatusCode);
        var steps = await room.Admin.PutAsJsonAsync($"/api/v1/orgs/{room.Slug}/accounts/{room.Newsroom.AccountId}/approval-steps", new
        {
            steps = new object[] { new { name = "Legal", approvers = room.ReviewerUser.Email, quorum = "all" } },
        });
        Assert.True(steps.IsSuccessStatusCode, await steps.Content.ReadAsStringAsync());

        var first = (await HttpAssert.ReadAsync<JsonElement>(await room.Writer.PostAsJsonAsync(replies, new { text = "Saturdays 9 to 1." }))).GetProperty("messageId").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await room.Writer.PostAsJsonAsync(replies, new { text = "Or call us." })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await room.Writer.PostAsJsonAsync($"{replies}/{first}/decision", new { approve = true })).StatusCode);
        var withdrawn = await HttpAssert.ReadAsync<JsonElement>(await room.Writer.PostAsJsonAsync($"{replies}/{first}/decision", new { approve = false }));
        Assert.Equal("rejected", withdrawn.GetProperty("state").GetString());

        // The conversation takes a reply again; the admin, who is not on the step, may turn it down with a reason only.
        var second = (await HttpAssert.ReadAsync<JsonElement>(await room.Writer.PostAsJsonAsync(replies, new { text = "Saturdays 9 to 1, Eastside." }))).GetProperty("messageId").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await room.Admin.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = true })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Admin.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = false })).StatusCode);
        var turnedDown = await HttpAssert.ReadAsync<JsonElement>(await room.Admin.PostAsJsonAsync($"{replies}/{second}/decision", new { approve = false, note = "Legal is away this week; answer by phone." }));
        Assert.Equal("rejected", turnedDown.GetProperty("state").GetString());
        Assert.Contains("Legal is away", string.Join('\n', await room.Newsroom.NotificationsAsync(room.WriterUser)), StringComparison.Ordinal);
        Assert.Equal(0, fake.PublishCalls);
    }

    [Fact]
    public async Task With_only_flagged_replies_needing_approval_a_clean_reply_goes_at_once_and_a_flagged_one_waits_with_its_flags()
    {
        var room = await RoomAsync("flagged");
        var fake = await room.Newsroom.ConnectFakeAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await room.Admin.PutAsJsonAsync($"/api/v1/orgs/{room.Slug}/monitoring/settings", new { replyApproval = "flagged" })).StatusCode);

        var clean = await ConversationAsync(room, app.Clock.GetUtcNow().AddMinutes(-5));
        var sent = await room.Writer.PostAsJsonAsync($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{clean}/replies", new { text = "Saturdays 9 to 1 at the Eastside campus." });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(1, fake.PublishCalls);

        var rough = await ConversationAsync(room, app.Clock.GetUtcNow().AddMinutes(-5));
        var held = await room.Writer.PostAsJsonAsync($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{rough}/replies", new { text = "We are so f***ing proud of the flu clinic team." });
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.Equal(1, fake.PublishCalls);
        var message = (await room.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{rough}")).GetProperty("messages")[1];
        Assert.Contains("PROFANITY", message.GetProperty("flags").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Canned_replies_are_kept_by_reviewers_screened_when_saved_and_inserted_into_the_reply_form_without_sending()
    {
        var room = await RoomAsync("canned");
        var fake = await room.Newsroom.ConnectFakeAsync();
        var url = $"/api/v1/orgs/{room.Slug}/monitoring/canned-replies";
        Assert.Equal(HttpStatusCode.Forbidden, (await room.Writer.PostAsJsonAsync(url, new { title = "Hours", text = "We are open 9 to 5." })).StatusCode);
        var blocked = await room.Reviewer.PostAsJsonAsync(url, new { title = "Bad", text = "Mr. Dabrowski (MRN 7730184) is fine." });
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Contains("MRN", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var hours = await HttpAssert.ReadAsync<JsonElement>(await room.Reviewer.PostAsJsonAsync(url, new { title = "Flu clinic hours", text = "The flu clinic is open Saturdays 9 to 1." }));
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Reviewer.PostAsJsonAsync(url, new { title = "Flu clinic hours", text = "Again." })).StatusCode);
        Assert.Single((await room.Writer.GetFromJsonAsync<JsonElement>(url)).EnumerateArray());

        var conversation = await ConversationAsync(room, app.Clock.GetUtcNow().AddMinutes(-5));
        var pages = FormSession.Create(app);
        await pages.LoginAsync(room.WriterUser.Email!);
        var path = $"/o/{room.Slug}/inbox/{conversation}";
        var (_, inserted) = await pages.SubmitAsync(path, "reply", new Dictionary<string, string>
        {
            ["Reply.Text"] = "Thanks for asking!", ["Reply.Canned"] = hours.GetProperty("id").GetString()!, ["Reply.Action"] = "insert",
        });
        var box = inserted.QuerySelector("#reply-text")!;
        Assert.Equal("Thanks for asking! The flu clinic is open Saturdays 9 to 1.", (box.TextContent.Length > 0 ? box.TextContent : box.GetAttribute("value") ?? "").Trim());
        Assert.Equal(0, fake.PublishCalls);
        Assert.Contains("Waiting for an answer", inserted.QuerySelector("#conversation-state")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await room.Writer.DeleteAsync($"{url}/{hours.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await room.Reviewer.DeleteAsync($"{url}/{hours.GetProperty("id").GetString()}")).StatusCode);
        Assert.Empty((await room.Writer.GetFromJsonAsync<JsonElement>(url)).EnumerateArray());
    }

    [Fact]
    public async Task A_next_response_target_follows_the_first_answer_and_a_second_person_is_told_once_per_due_time_as_a_breach_approaches()
    {
        var room = await RoomAsync("escalate");
        var policies = $"/api/v1/orgs/{room.Slug}/monitoring/sla-policies";
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Admin.PutAsJsonAsync(policies, new { name = "Always", firstResponseMinutes = 60, alwaysOn = true, nextResponseMinutes = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Admin.PutAsJsonAsync(policies, new { name = "Always", firstResponseMinutes = 60, alwaysOn = true, escalateBeforeMinutes = 15, escalateTo = "nobody-here" })).StatusCode);
        Assert.Empty((await room.Admin.GetFromJsonAsync<JsonElement>(policies)).EnumerateArray());
        var saved = await room.Admin.PutAsJsonAsync(policies, new { name = "Always", firstResponseMinutes = 60, alwaysOn = true, nextResponseMinutes = 30, escalateBeforeMinutes = 15, escalateTo = room.ReviewerUser.Id });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        // Arrived 40 minutes ago, assigned to the writer: due in 20 minutes, not yet within the 15 before.
        var start = app.Clock.GetUtcNow();
        var conversation = await ConversationAsync(room, start.AddMinutes(-40), assignedTo: room.WriterUser.Id);
        Assert.Equal(0, await EscalateAsync(room.Newsroom.Org.Id));
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await EscalateAsync(room.Newsroom.Org.Id));
        Assert.Equal(0, await EscalateAsync(room.Newsroom.Org.Id));
        var told = await room.Newsroom.NotificationsAsync(room.ReviewerUser);
        Assert.Single(told, n => n.StartsWith($"monitoring-escalation:{conversation}:", StringComparison.Ordinal) && n.Contains("first answer is due", StringComparison.Ordinal));
        Assert.DoesNotContain(await room.Newsroom.NotificationsAsync(room.WriterUser), n => n.StartsWith("monitoring-escalation:", StringComparison.Ordinal));

        // Answered in time; a new message 10 minutes later is held to the next-response target: due 30 minutes after it.
        var answeredAt = app.Clock.GetUtcNow();
        var asked = answeredAt.AddMinutes(10);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var found = await db.Set<Conversation>().SingleAsync(c => c.Id == conversation);
            IngestAccount.Answered(found, answeredAt);
            found.WaitingSince = asked;
            await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var row = Assert.Single((await room.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations")).EnumerateArray());
        Assert.Equal(("next", asked.AddMinutes(30), false), (row.GetProperty("dueFor").GetString(), row.GetProperty("dueAt").GetDateTimeOffset(), row.GetProperty("breached").GetBoolean()));
        Assert.Equal(0, await EscalateAsync(room.Newsroom.Org.Id));
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, await EscalateAsync(room.Newsroom.Org.Id));
        Assert.Contains(await room.Newsroom.NotificationsAsync(room.ReviewerUser), n => n.Contains("next answer is due", StringComparison.Ordinal));
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        row = Assert.Single((await room.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations")).EnumerateArray());
        Assert.True(row.GetProperty("breached").GetBoolean());
        Assert.Equal(0, await EscalateAsync(room.Newsroom.Org.Id));

        // The conversation page says which answer is due.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(room.Newsroom.Admin.Email!);
        var page = await pages.GetAsync($"/o/{room.Slug}/inbox/{conversation}");
        Assert.Contains("Next answer due", page.QuerySelector("#conversation-due")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("missed", page.QuerySelector("#conversation-due")!.TextContent, StringComparison.Ordinal);
    }

    private Task<int> EscalateAsync(Guid organizationId) => app.WithScopeAsync(services => services.GetRequiredService<EscalateBreaches>().RunAsync(organizationId, CancellationToken.None));

    private sealed record Room(Newsroom Newsroom, string Slug, HttpClient Admin, HttpClient Writer, HttpClient Reviewer, User WriterUser, User ReviewerUser);

    private async Task<Room> RoomAsync(string name)
    {
        var newsroom = await app.NewsroomAsync("inbox-" + name);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var writer = await app.CreateUserAsync($"{name}-writer-{suffix}@example.org", "Wren Writer");
        await app.AddMemberAsync(newsroom.Org, writer, Role.AccountManager);
        var reviewer = await app.CreateUserAsync($"{name}-reviewer-{suffix}@example.org", "Rae Reviewer");
        await app.AddMemberAsync(newsroom.Org, reviewer, Role.Reviewer);
        return new Room(newsroom, newsroom.Org.Slug, await app.ApiClientAsync(newsroom.Admin), await app.ApiClientAsync(writer), await app.ApiClientAsync(reviewer), writer, reviewer);
    }

    private Task<Guid> ConversationAsync(Room room, DateTimeOffset at, string? assignedTo = null) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var root = $"at://did:plc:asker/app.bsky.feed.post/{Guid.NewGuid():N}";
        var conversation = new Conversation
        {
            OrganizationId = room.Newsroom.Org.Id, AccountId = room.Newsroom.AccountId, Network = "bluesky", RootId = root, RootVersion = "bafyroot",
            StartedAt = at, LastMessageAt = at, HasInbound = true, FirstInboundAt = at, WaitingSince = at, AssignedTo = assignedTo,
        };
        db.Add(conversation);
        db.Add(new Message { OrganizationId = room.Newsroom.Org.Id, ConversationId = conversation.Id, AccountId = room.Newsroom.AccountId, NetworkId = root, Version = "bafyroot", AuthorHandle = "asker.bsky.social", Text = "When is the flu clinic?", PostedAt = at, Inbound = true });
        await db.SaveChangesAsync();
        return conversation.Id;
    });
}

public sealed class InboxWorkTestsOnSqlite(DeliverySqlite app) : InboxWorkTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class InboxWorkTestsOnPostgres(DeliveryPostgres app) : InboxWorkTests(app), IClassFixture<DeliveryPostgres>;
