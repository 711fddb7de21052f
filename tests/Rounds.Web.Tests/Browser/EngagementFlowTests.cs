using System.Text;
using Microsoft.Playwright;

namespace Rounds.Web.Tests.Browser;

/// <summary>An admin imports the roster, a physician claims a profile on their own page, and the dashboard leads back to them.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class EngagementFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_imported_physician_claims_a_profile_and_is_found_behind_the_dashboard_figure()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("engage-" + suffix, admin);
        var physician = await app.CreateUserAsync($"elin-{suffix}@example.org", "Elin Sorensen");
        await app.AddMemberAsync(org, physician, Role.Contributor);

        // The admin previews the roster, sees the bad row, fixes the file and imports it.
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, admin.Email!);
        await page.GotoAsync($"/o/{org.Slug}/engagement");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import the roster" }).ClickAsync();
        var bad = $"NPI,Name,Department,Email\n1234567893,Elin Sorensen,Cardiology,elin-{suffix}@example.org\n1234567890,Tom Typo,Cardiology,\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "roster.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(bad) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.GetByText("1 with errors")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("wrong check digit")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import 1 physicians" })).ToHaveCountAsync(0);

        var good = $"NPI,Name,Department,Email\n1234567893,Elin Sorensen,Cardiology,elin-{suffix}@example.org\n1245319599,Tendai Mbeki,Cardiology,\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "roster.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(good) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Import 2 physicians" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Imported: 2 added, 0 updated.")).ToBeVisibleAsync();

        // The physician, signed in, finds their record and claims their X profile.
        var own = await fixture.NewPageAsync();
        await fixture.LoginAsync(own, physician.Email!);
        await own.GotoAsync($"/o/{org.Slug}");
        await own.GetByRole(AriaRole.Link, new() { Name = "My physician record" }).First.ClickAsync();
        await Assertions.Expect(own.GetByText("1234567893")).ToBeVisibleAsync();
        await own.GetByLabel("Network", new() { Exact = true }).SelectOptionAsync("x");
        await own.GetByLabel("Your handle or profile address").FillAsync("https://x.com/ElinSorensenMD");
        await own.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(own.GetByText("Claimed by the physician while signed in.")).ToBeVisibleAsync();
        await Assertions.Expect(own.GetByRole(AriaRole.Cell, new() { Name = "@ElinSorensenMD" })).ToBeVisibleAsync();

        // The admin takes the week's snapshot; half of Cardiology has a confirmed X profile, and that half is Elin.
        await page.GotoAsync($"/o/{org.Slug}/engagement/dashboard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Take this week's snapshot now" }).ClickAsync();
        await Assertions.Expect(page.GetByText("2 physicians, 0 profiles read")).ToBeVisibleAsync();
        await page.GetByLabel("Network (departments and trend)").SelectOptionAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var cardiology = page.Locator("section[aria-labelledby=departments-heading] tr", new() { HasText = "Cardiology" });
        await Assertions.Expect(cardiology.GetByRole(AriaRole.Link, new() { Name = "50%" })).ToBeVisibleAsync();
        await cardiology.GetByRole(AriaRole.Link, new() { Name = "50%" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Physicians with a confirmed profile on X (Twitter) in Cardiology" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Elin Sorensen" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Tendai Mbeki")).ToHaveCountAsync(0);
    }
}
