using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ComposerFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_composer_screens_as_the_author_types_and_a_reviewer_approves()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("compose-" + suffix, admin);
        var author = await app.CreateUserAsync($"author-{suffix}@example.org", "Nadia Nurse");
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org", "Riley Reviewer");
        await app.AddMemberAsync(org, author, Role.Contributor);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.WithScopeAsync(async services =>
        {
            var context = await Infrastructure.RoundsFactory.ContextAsync(services, org, admin);
            var registry = services.GetRequiredService<AccountRegistry>();
            Assert.True((await registry.CreateAsync(context, new("bluesky", "@northfield.bsky.social", Kind: "enterprise"))).Succeeded);
            Assert.True((await registry.CreateAsync(context, new("x", "@NorthfieldHealth", Kind: "enterprise"))).Succeeded);
        });

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, author.Email!);
        await page.GotoAsync($"/o/{org.Slug}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Posts", Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New post" }).ClickAsync();

        // Typing is enough: the copies are measured and screened without pressing anything.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "@northfield.bsky.social" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "@NorthfieldHealth" }).CheckAsync();
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Mr. Dabrowski (MRN 7730184) went home today!");
        var live = page.Locator("#live-check");
        await Assertions.Expect(live.Locator(".copy-check")).ToHaveCountAsync(2);
        await Assertions.Expect(live.Locator("mark.finding-phi").Filter(new() { HasText = "7730184" }).First).ToBeVisibleAsync();
        await Assertions.Expect(live.Locator(".verdict-block").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save and submit for review" })).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#submit-why")).ToContainTextAsync("Submitting is off: screening blocks the copy for");
        var below = await page.EvaluateAsync<double>("document.getElementById('live-check').getBoundingClientRect().top - document.getElementById('post-text').getBoundingClientRect().bottom");
        Assert.True(below < 100, $"The findings start {below} px below the text.");

        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Flu shots are free this Saturday at the Eastside clinic, 9 to 1.");
        await Assertions.Expect(live.Locator("mark")).ToHaveCountAsync(0);
        await Assertions.Expect(live.Locator(".copy-check").Filter(new() { HasText = "(bluesky)" })).ToContainTextAsync("64 / 300");
        await Assertions.Expect(live.Locator(".copy-check").Filter(new() { HasText = "(x)" })).ToContainTextAsync("64 / 280");
        await Assertions.Expect(page.Locator("#submit-why")).ToHaveTextAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and submit for review" }).ClickAsync();
        await Assertions.Expect(page.Locator(".post-status")).ToHaveTextAsync("in review");
        var postUrl = new Uri(page.Url).AbsolutePath;

        // An image goes up with its description; its location note is gone and the post stays in review.
        await page.Locator("#image-file").SetInputFilesAsync(new FilePayload { Name = "clinic.png", MimeType = "image/png", Buffer = Infrastructure.TestImages.PngWithText("Location", "42.3601 N, 71.0589 W") });
        await page.GetByLabel("Description for people who cannot see it (required)").FillAsync("The flu clinic sign at the Eastside entrance.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add image" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("location and camera data were removed");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "The flu clinic sign at the Eastside entrance." })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".post-status")).ToHaveTextAsync("in review");

        var second = await fixture.NewPageAsync();
        await fixture.LoginAsync(second, reviewer.Email!);
        await second.GotoAsync($"/o/{org.Slug}/posts");
        await second.Locator("section[aria-labelledby=queue-heading] a").First.ClickAsync();
        await second.WaitForURLAsync($"**{postUrl}");
        // Exact: the queue page it came from has "Approve selected", and an enhanced navigation may show the new URL first.
        await Assertions.Expect(second.Locator(".post-status")).ToHaveTextAsync("in review");
        await second.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Assertions.Expect(second.Locator(".post-status")).ToHaveTextAsync("approved");
        await Assertions.Expect(second.GetByText("Riley Reviewer: approved")).ToBeVisibleAsync();
    }
}
