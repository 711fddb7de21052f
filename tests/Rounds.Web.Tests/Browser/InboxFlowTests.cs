using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Features.Publishing.Delivery.Pds;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

/// <summary>
/// The inbox in a real browser against the reference PDS: a mention arrives, a reviewer takes it, writes a reply
/// screening blocks, fixes it; with every reply needing approval an admin approves it, it appears on the PDS once,
/// and the conversation shows its first answer met its target.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
[Trait("Network", "Bluesky")]
public sealed class InboxFlowTests(BrowserFixture fixture, BlueskyPds pds) : IClassFixture<BlueskyPds>
{
    [Fact]
    public async Task A_mention_is_assigned_answered_after_a_blocked_draft_is_fixed_approved_and_posted_once_and_its_target_shows_met()
    {
        var app = fixture.App;
        app.Services.GetRequiredService<IConfiguration>()[PostSources.BlueskyServiceSetting] = pds.Url.ToString();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"inbox-admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("inbox-flow-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"inbox-reviewer-{suffix}@example.org", "Rae Reviewer");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var hospital = await pds.CreateAccountAsync("clinic");
        var fan = await pds.CreateAccountAsync("fan");
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("bluesky", hospital.Handle, Kind: "department", Department: "Primary care", Owners: reviewer.Email, Backup: admin.Email, Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var connected = await services.GetRequiredService<AccountConnections>().ConnectAsync(context, accountId, new ConnectionInput(pds.Url.ToString(), hospital.Handle, hospital.Password));
            Assert.True(connected.Succeeded, connected.Status.Message);
            var policy = await services.GetRequiredService<SlaPolicies>().SaveAsync(context, new SlaPolicyInput(null, "Around the clock", 60, true, "UTC", null, null, null, null));
            Assert.True(policy.Succeeded, policy.Status.Message);
        });

        // The admin decides, on the settings page, that every reply needs approval.
        var adminPage = await fixture.NewPageAsync();
        await fixture.LoginAsync(adminPage, admin.Email!);
        await adminPage.GotoAsync($"/o/{org.Slug}/settings");
        await adminPage.GetByLabel("Every reply", new() { Exact = true }).CheckAsync();
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Save reply approval" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByText("Reply approval saved.")).ToBeVisibleAsync();

        // A mention is written on the PDS and read.
        var mention = await MentionAsync(fan, $"@{hospital.Handle} is the flu clinic open on Saturday?", hospital);
        await ReadAsync();

        // The reviewer finds it in the inbox and takes it.
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, reviewer.Email!);
        await page.GotoAsync($"/o/{org.Slug}/inbox");
        await page.GetByRole(AriaRole.Link, new() { Name = $"@{hospital.Handle} is the flu clinic open" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conversation-state")).ToContainTextAsync("Waiting for an answer");
        await page.GetByLabel("Assigned to").SelectOptionAsync(new SelectOptionValue { Label = "Rae Reviewer" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Assignment saved.")).ToBeVisibleAsync();

        // A reply with a record number in it is refused beside the field; the fixed one waits for approval.
        await page.GetByLabel("Reply (screened before it is sent)").FillAsync("Mr. Dabrowski (MRN 7730184) asked the same, and yes!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reply-error")).ToContainTextAsync("MRN");
        Assert.Empty(await pds.ListPostsAsync(hospital.Did));
        await page.GetByLabel("Reply (screened before it is sent)").FillAsync("Yes, Saturdays 9 to 1 at the Eastside campus.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Reply saved; it waits for approval before it is sent.")).ToBeVisibleAsync();
        Assert.Empty(await pds.ListPostsAsync(hospital.Did));
        // The author sees no way to approve their own reply.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve reply" })).ToHaveCountAsync(0);

        // The admin approves it; it goes to the PDS once, threaded under the mention.
        var conversationPath = new Uri(page.Url).AbsolutePath;
        await adminPage.GotoAsync(conversationPath);
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Approve reply" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByText("Reply approved and sent.")).ToBeVisibleAsync();
        var posted = Assert.Single(await pds.ListPostsAsync(hospital.Did));
        Assert.Equal("Yes, Saturdays 9 to 1 at the Eastside campus.", posted.GetProperty("value").GetProperty("text").GetString());
        Assert.Equal(mention, posted.GetProperty("value").GetProperty("reply").GetProperty("parent").GetProperty("uri").GetString());

        // Reading the account again confirms the reply without a second one; the target shows met.
        await ReadAsync();
        Assert.Single(await pds.ListPostsAsync(hospital.Did));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#conversation-state")).ToContainTextAsync("Answered.");
        await Assertions.Expect(page.Locator("#conversation-due")).ToContainTextAsync(": met.");

        Task ReadAsync() => app.WithScopeAsync(async services =>
        {
            var read = await services.GetRequiredService<AccountSources>().ReadNowAsync(await RoundsFactory.ContextAsync(services, org, admin), accountId);
            Assert.True(read.Succeeded, read.Status.Message);
        });
    }

    /// <summary>Writes a post on the PDS that starts with the mentioned handle, with the mention facet a client adds.</summary>
    private async Task<string> MentionAsync(PdsAccount author, string text, PdsAccount mentioned)
    {
        var session = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.PostAsJsonAsync(new Uri(pds.Url, "/xrpc/com.atproto.server.createSession"), new { identifier = author.Handle, password = author.Password }));
        var record = new Dictionary<string, object>
        {
            ["$type"] = "app.bsky.feed.post", ["text"] = text, ["createdAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["facets"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["index"] = new { byteStart = 0, byteEnd = Encoding.UTF8.GetByteCount("@" + mentioned.Handle) },
                    ["features"] = new[] { new Dictionary<string, object> { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = mentioned.Did } },
                },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.createRecord"))
        {
            Content = JsonContent.Create(new { repo = author.Did, collection = "app.bsky.feed.post", record }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("accessJwt").GetString());
        return (await HttpAssert.ReadAsync<JsonElement>(await pds.Http.SendAsync(request))).GetProperty("uri").GetString()!;
    }
}
