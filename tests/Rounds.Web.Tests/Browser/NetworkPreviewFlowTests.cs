using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Networks;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Tests.Browser;

/// <summary>The composer and the post's page show each copy as its network's feed will: cut, folded, with its link card and image crops.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class NetworkPreviewFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Previews_per_network_follow_the_text_as_it_is_typed_and_show_on_the_post_page()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("preview-" + suffix, admin);
        await app.WithScopeAsync(async services =>
        {
            var context = await Infrastructure.RoundsFactory.ContextAsync(services, org, admin);
            var registry = services.GetRequiredService<AccountRegistry>();
            Assert.True((await registry.CreateAsync(context, new("bluesky", "@northfield.bsky.social", Kind: "enterprise"))).Succeeded);
            Assert.True((await registry.CreateAsync(context, new("x", "@NorthfieldHealth", Kind: "enterprise"))).Succeeded);
            Assert.True((await registry.CreateAsync(context, new("mastodon", "@northfield@health.social", Kind: "enterprise"))).Succeeded);
            Assert.True((await registry.CreateAsync(context, new("linkedin", "Northfield Clinics", Kind: "enterprise"))).Succeeded);
            Assert.True((await registry.CreateAsync(context, new("facebook", "Northfield Health Fans", Kind: "enterprise"))).Succeeded);
        });

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, admin.Email!);
        await page.GotoAsync($"/o/{org.Slug}/posts/new");
        foreach (var handle in new[] { "@northfield.bsky.social", "@NorthfieldHealth", "@northfield@health.social", "Northfield Clinics", "Northfield Health Fans" })
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = handle }).CheckAsync();
        }

        // 330 characters with a long link: over Bluesky's 300 (which counts the link in full), within X's 280 units
        // only because X counts the link as 23, and long enough for LinkedIn's and Facebook's fold.
        var link = "https://www.northfield.example/flu/clinics/eastside-saturday-2026-walk-in-no-appointment";
        var words = string.Join(' ', Enumerable.Repeat("Flu shots", 24));
        var text = words + " " + link;
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(text);

        var previews = page.Locator("#preview-list .feed-preview");
        await Assertions.Expect(previews).ToHaveCountAsync(5);
        var x = previews.And(page.Locator("[data-network=x]"));
        var bluesky = previews.And(page.Locator("[data-network=bluesky]"));
        var linkedIn = previews.And(page.Locator("[data-network=linkedin]"));
        await Assertions.Expect(x.Locator(".preview-count")).ToHaveTextAsync($"{PostLimits.X.Measure(text)} / 280");
        Assert.True(PostLimits.X.Measure(text) <= 280 && text.Length > 300, "The text must fit X only by its link rule.");
        await Assertions.Expect(x.Locator(".preview-cut")).ToHaveCountAsync(0);
        await Assertions.Expect(x.Locator(".preview-domain")).ToHaveTextAsync("northfield.example");
        await Assertions.Expect(bluesky.Locator(".preview-cut")).ToContainTextAsync("refused by Bluesky");
        await Assertions.Expect(bluesky.Locator(".preview-count")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("text-danger"));
        await Assertions.Expect(linkedIn.Locator(".preview-fold")).ToHaveTextAsync("…see more");
        await Assertions.Expect(previews.And(page.Locator("[data-network=facebook]")).Locator(".preview-fold")).ToHaveCountAsync(0);
        await Assertions.Expect(previews.And(page.Locator("[data-network=mastodon]")).Locator(".preview-cut")).ToHaveCountAsync(0);

        // Shortening the text updates every preview without a click.
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Flu shots this Saturday.");
        await Assertions.Expect(bluesky.Locator(".preview-count")).ToHaveTextAsync("24 / 300");
        await Assertions.Expect(bluesky.Locator(".preview-cut")).ToHaveCountAsync(0);
        await Assertions.Expect(linkedIn.Locator(".preview-fold")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(page.Locator(".post-status")).ToHaveTextAsync("draft");

        // On the post's page an image shows in each feed's shape: a square photo is cropped to 16:9 on X, whole on Bluesky.
        await page.Locator("#image-file").SetInputFilesAsync(new FilePayload { Name = "clinic.png", MimeType = "image/png", Buffer = Infrastructure.TestImages.PngWithText("Comment", "square") });
        await page.GetByLabel("Description for people who cannot see it (required)").FillAsync("The flu clinic sign.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add image" }).ClickAsync();
        var onPage = page.Locator("#previews .feed-preview");
        await Assertions.Expect(onPage).ToHaveCountAsync(5);
        await Assertions.Expect(onPage.And(page.Locator("[data-network=x]")).Locator(".preview-crop")).ToHaveTextAsync("16:9, cropped");
        await Assertions.Expect(onPage.And(page.Locator("[data-network=bluesky]")).Locator(".preview-crop")).ToHaveTextAsync("whole image");
        await Assertions.Expect(onPage.And(page.Locator("[data-network=x]"))).ToContainTextAsync("Described: “The flu clinic sign.”");
    }
}
