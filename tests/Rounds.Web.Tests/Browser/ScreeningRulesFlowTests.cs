using Microsoft.Playwright;

namespace Rounds.Web.Tests.Browser;

/// <summary>The screening rules are edited in a form, and a post screened afterwards shows the change.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ScreeningRulesFlowTests(BrowserFixture fixture)
{
    private const string Post = "Mrs. Okafor loved Marisol Vance's singing tonight. He is risen! Happy Easter from all of us.";

    [Fact]
    public async Task A_severity_changed_and_a_name_allowed_in_the_rules_form_change_how_a_post_is_screened()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("rulesform-" + suffix, admin);
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, admin.Email!);

        var findings = page.Locator("ol.findings li");
        await ScreenAsync(page, org.Slug);
        await Assertions.Expect(findings.Filter(new() { HasText = "“Marisol Vance" })).ToHaveCountAsync(1);
        await Assertions.Expect(findings.Filter(new() { HasText = "RELIGION" })).ToContainTextAsync("(policy, medium)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the rules" }).ClickAsync();
        await page.GetByLabel("Severity of policy.religion").SelectOptionAsync("high");
        await page.GetByLabel("Staff and other names").FillAsync("Marisol Vance");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rules" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Rules saved.");
        await Assertions.Expect(page.GetByLabel("Severity of policy.religion")).ToHaveValueAsync("high");

        await ScreenAsync(page, org.Slug);
        await Assertions.Expect(findings.Filter(new() { HasText = "RELIGION" })).ToContainTextAsync("(policy, high)");
        await Assertions.Expect(page.Locator(".verdict")).ToHaveTextAsync("blocked");
        await Assertions.Expect(findings.Filter(new() { HasText = "“Marisol Vance" })).ToHaveCountAsync(0);
        await Assertions.Expect(findings.Filter(new() { HasText = "“Mrs. Okafor" }).Or(findings.Filter(new() { HasText = "“Okafor" }))).Not.ToHaveCountAsync(0);
    }

    private static async Task ScreenAsync(IPage page, string slug)
    {
        await page.GotoAsync($"/o/{slug}/screening");
        await page.GetByLabel("Post text").FillAsync(Post);
        await page.GetByLabel("Posted from").SelectOptionAsync("Personal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-heading")).ToBeVisibleAsync();
    }
}
