using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Features.Community;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

/// <summary>
/// The board's editor in a real browser: typing @ offers the members and the groups the writer may mention, a
/// choice goes into the text, and Preview shows the post as it will read without leaving the page or posting.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class CommunityEditorFlowTests(BrowserFixture fixture)
{
    private const string Editor = "Post (Markdown; mention members with @Handle)";

    [Fact]
    public async Task Typing_an_at_offers_whom_the_writer_may_mention_and_preview_shows_the_post_in_place()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var manager = await app.CreateUserAsync($"editor-manager-{suffix}@example.org", "Morgan Manager");
        var org = await app.CreateOrganizationAsync("board-editor-" + suffix, manager);
        var asker = await app.CreateUserAsync($"editor-asker-{suffix}@example.org", "Gregory Leone");
        var hinmon = await app.CreateUserAsync($"editor-hinmon-{suffix}@example.org", "Dr. Dana Hinmon");
        foreach (var user in new[] { asker, hinmon })
        {
            await app.AddMemberAsync(org, user, Role.Member);
        }

        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, manager);
            var created = await services.GetRequiredService<Categories>().CreateAsync(context, new CategoryInput("Press", "Working with reporters", "member", "member"));
            Assert.True(created.Succeeded, created.Status.Message);
            var groups = services.GetRequiredService<Groups>();
            Assert.True((await groups.CreateAsync(context, new GroupInput("PressTeam", "Press team", true, ["DanaHinmon"]))).Succeeded);
            // Not mentionable: a member is never offered it.
            Assert.True((await groups.CreateAsync(context, new GroupInput("PrivateManagers", "Managers", false, ["MorganManager"]))).Succeeded);
        });

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, asker.Email!);
        await page.GotoAsync($"/o/{org.Slug}/community");
        await page.GetByRole(AriaRole.Link, new() { Name = "Press" }).First.ClickAsync();
        var categoryUrl = page.Url;
        await page.GetByLabel("Title").FillAsync("Who answers reporters at night?");
        var box = page.GetByLabel(Editor);
        await box.PressSequentiallyAsync("Asking @Da");
        // The suggestions' own list: the page's selects have options too.
        var options = page.Locator("#topic-body-mentions [role=option]");
        await Assertions.Expect(options).ToHaveCountAsync(1);
        await Assertions.Expect(options.First).ToContainTextAsync("@DanaHinmon Dr. Dana Hinmon");
        await box.PressAsync("Enter");
        await Assertions.Expect(box).ToHaveValueAsync("Asking @DanaHinmon ");

        await box.PressSequentiallyAsync("and @Pr");
        await Assertions.Expect(options).ToHaveCountAsync(1);
        await Assertions.Expect(options.First).ToContainTextAsync("@PressTeam Press team (group)");
        await box.PressAsync("Enter");
        await box.PressSequentiallyAsync("**tonight**");
        await Assertions.Expect(box).ToHaveValueAsync("Asking @DanaHinmon and @PressTeam **tonight**");
        await Assertions.Expect(options).ToHaveCountAsync(0);

        // The preview fills in place: no new page, nothing posted.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        var preview = page.Locator("#topic-preview");
        await Assertions.Expect(preview).ToBeVisibleAsync();
        await Assertions.Expect(preview.Locator("strong")).ToHaveTextAsync("tonight");
        await Assertions.Expect(preview.Locator("a.mention")).ToHaveTextAsync(["@DanaHinmon", "@PressTeam"]);
        await Assertions.Expect(preview.Locator("a.mention").Nth(1)).ToHaveAttributeAsync("href", $"/o/{org.Slug}/community/g/PressTeam");
        Assert.Equal(categoryUrl, page.Url);
        await Assertions.Expect(page.GetByText("No topics yet.")).ToBeVisibleAsync();

        // Posting it shows the same links in the topic, and a mention opens the group's page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Post topic" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Who answers reporters at night?", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("#post-1").GetByRole(AriaRole.Link, new() { Name = "@PressTeam" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = PressTeamHeading(), Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dr. Dana Hinmon" })).ToBeVisibleAsync();
    }

    [GeneratedRegex("^Press team")]
    private static partial Regex PressTeamHeading();
}
