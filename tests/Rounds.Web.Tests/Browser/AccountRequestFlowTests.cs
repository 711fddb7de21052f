using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

/// <summary>An account request walked through the pages, each step by the person whose step it is.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class AccountRequestFlowTests(BrowserFixture fixture)
{
    [GeneratedRegex("/requests/([0-9a-f-]{36})$")]
    private static partial Regex RequestUrl();

    private sealed record Cast(Organization Org, User Admin, User Reviewer, User Manager, User Contributor, User Backup);

    private async Task<Cast> CastAsync()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("flow-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org", "Riley Reviewer");
        var manager = await app.CreateUserAsync($"manager-{suffix}@example.org", "Morgan Manager");
        var contributor = await app.CreateUserAsync($"nurse-{suffix}@example.org", "Casey Contributor");
        var backup = await app.CreateUserAsync($"backup-{suffix}@example.org", "Bailey Backup");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, manager, Role.AccountManager);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, backup, Role.Contributor);
        return new Cast(org, admin, reviewer, manager, contributor, backup);
    }

    private async Task<IPage> AsAsync(User user)
    {
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, user.Email!);
        return page;
    }

    private static async Task<string> SubmitRequestAsync(IPage page, Cast c)
    {
        await page.GotoAsync($"/o/{c.Org.Slug}/requests/new");
        await page.GetByLabel("Platform").SelectOptionAsync("instagram");
        await page.GetByLabel("Proposed handle").FillAsync("@northfield_kids");
        await page.GetByLabel("Department").FillAsync("Pediatrics");
        await page.GetByLabel("Justification: why the main channels are not enough").FillAsync("Parents ask for our family events weekly.");
        await page.GetByLabel("Goals").FillAsync("Fill the family events.");
        await page.GetByLabel("Audience").FillAsync("Parents of young patients.");
        await page.GetByLabel("How it helps patients").FillAsync("Children arrive prepared for their visit.");
        await page.GetByLabel("Owner's email").FillAsync(c.Contributor.Email!);
        await page.GetByLabel("Owner's time (FTE)").FillAsync("0.2");
        await page.GetByLabel("Backup's email").FillAsync(c.Backup.Email!);
        await page.GetByLabel("Content plan").FillAsync("Event announcements, preparation tips, staff stories with consent.");
        await page.GetByLabel("Posts per week").FillAsync("4");
        await page.GetByLabel("Answers comments within (hours)").FillAsync("24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await page.WaitForURLAsync(RequestUrl(), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".request-status")).ToHaveTextAsync("submitted");
        return new Uri(page.Url).AbsolutePath;
    }

    private static async Task StepAsync(IPage page, string button, string expectedStatus, string? note = null)
    {
        if (note is not null)
        {
            await page.Locator("#step-note").FillAsync(note);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Assertions.Expect(page.Locator(".request-status")).ToHaveTextAsync(expectedStatus);
    }

    [Fact]
    public async Task Request_consult_requirements_committee_trial_and_activation()
    {
        var c = await CastAsync();
        var contributor = await AsAsync(c.Contributor);
        var path = await SubmitRequestAsync(contributor, c);

        // The communications team holds the consult and checks the requirements.
        var manager = await AsAsync(c.Manager);
        await manager.GotoAsync(path);
        await StepAsync(manager, "Start the consult", "in consult");
        await StepAsync(manager, "Consult done: check requirements", "checking requirements", "Consult held: the main channels cannot carry weekly event posts.");
        await Assertions.Expect(manager.GetByText("the owner has not passed introduction, professionalism, facebook-instagram")).ToBeVisibleAsync();
        Assert.Equal(1, await manager.GetByRole(AriaRole.Button, new() { Name = "Send to the committee" }).CountAsync());
        await StepAsync(manager, "Send to the committee", "checking requirements");
        await Assertions.Expect(manager.GetByRole(AriaRole.Alert)).ToContainTextAsync("The requirements are not met");

        // An admin records the training both people took in a classroom session.
        var admin = await AsAsync(c.Admin);
        await admin.GotoAsync($"/o/{c.Org.Slug}/training");
        foreach (var person in new[] { c.Contributor, c.Backup })
        {
            foreach (var module in new[] { "introduction", "professionalism", "facebook-instagram" })
            {
                await admin.GetByLabel("Person's email").FillAsync(person.Email!);
                await admin.GetByLabel("Module").SelectOptionAsync(module);
                await admin.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();
                await Assertions.Expect(admin.GetByText($"Recorded {module} for {person.Email}")).ToBeVisibleAsync();
            }
        }

        await manager.GotoAsync(path);
        foreach (var box in new[] { "The owner accepted the social media policy", "The backup accepted the social media policy", "The owner has a seat on the management platform", "The backup has a seat on the management platform" })
        {
            await manager.GetByLabel(box).CheckAsync();
        }

        await manager.GetByRole(AriaRole.Button, new() { Name = "Save requirements" }).ClickAsync();
        await Assertions.Expect(manager.GetByText("All requirements are met.")).ToBeVisibleAsync();
        await StepAsync(manager, "Send to the committee", "in committee review");

        // The committee votes and decides with reasons; the account starts its trial.
        var reviewer = await AsAsync(c.Reviewer);
        await reviewer.GotoAsync(path);
        await reviewer.GetByLabel("Comment").FillAsync("Staffed, with a backup and a plan.");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Vote to approve" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByText("Riley Reviewer: approve")).ToBeVisibleAsync();
        await StepAsync(reviewer, "Approve (starts the trial)", "approved", "Clear audience, trained owners, realistic plan.");
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "The account in the registry" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("@northfield_kids");
        await Assertions.Expect(reviewer.Locator("h1 .status")).ToHaveTextAsync("Trial");
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Img, new() { Name = "Posts per week during the trial" })).ToBeVisibleAsync();

        // The committee activates it at the end of the trial.
        await reviewer.GetByLabel("New status").SelectOptionAsync("active");
        await reviewer.GetByLabel("Note").FillAsync("Kept to the plan.");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Change status" }).ClickAsync();
        await Assertions.Expect(reviewer.Locator("h1 .status")).ToHaveTextAsync("Active");

        // The requester was told at each step.
        await contributor.GotoAsync($"/o/{c.Org.Slug}/notifications");
        await Assertions.Expect(contributor.GetByRole(AriaRole.Link, new() { Name = "Account request @northfield_kids on Instagram: approved." })).ToBeVisibleAsync();
        await Assertions.Expect(contributor.GetByRole(AriaRole.Link, new() { Name = "@northfield_kids (Instagram) is now active." })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_consult_redirects_the_request_to_the_main_channels()
    {
        var c = await CastAsync();
        var contributor = await AsAsync(c.Contributor);
        var path = await SubmitRequestAsync(contributor, c);

        var manager = await AsAsync(c.Manager);
        await manager.GotoAsync(path);
        await StepAsync(manager, "Start the consult", "in consult");
        await StepAsync(manager, "Redirect to the main channels", "in consult");
        await Assertions.Expect(manager.GetByRole(AriaRole.Alert)).ToContainTextAsync("a note is required to redirect");
        await StepAsync(manager, "Redirect to the main channels", "redirected", "Submit the event posts to the main Instagram account instead.");
        Assert.Equal(0, await manager.Locator("#step-note").CountAsync());

        await contributor.GotoAsync(path);
        await Assertions.Expect(contributor.Locator(".request-status")).ToHaveTextAsync("redirected");
        await Assertions.Expect(contributor.GetByText("Submit the event posts to the main Instagram account instead.").First).ToBeVisibleAsync();
        Assert.Contains(fixture.App.MailTo(c.Contributor.Email!), m => m.Contains("redirected", StringComparison.Ordinal));
    }
}
