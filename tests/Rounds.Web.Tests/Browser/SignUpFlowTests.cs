using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class SignUpFlowTests(BrowserFixture fixture)
{
    [GeneratedRegex("(/invitations/[0-9a-f]+)")]
    private static partial Regex InvitationLink();

    [Fact]
    public async Task Register_confirm_login_two_factor_and_switch_organization()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var domain = $"riverside{suffix}.example";
        var email = $"jordan@{domain}";
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var riverside = await app.CreateOrganizationAsync("riverside-" + suffix, admin);
        var lakeshore = await app.CreateOrganizationAsync("lakeshore-" + suffix, admin, requireTwoFactor: true);
        await app.AddVerifiedDomainAsync(riverside, admin, domain);
        await app.WithScopeAsync(async services =>
        {
            var invited = await services.GetRequiredService<Members>().InviteAsync(await RoundsFactory.ContextAsync(services, lakeshore, admin), email, Role.Reviewer);
            Assert.True(invited.Succeeded);
        });

        var page = await fixture.NewPageAsync(width: 390, height: 844);

        // Register.
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Full name").FillAsync("Jordan Pell");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Long-enough-pass-1");
        await page.GetByLabel("Confirm Password").FillAsync("Long-enough-pass-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();

        // Confirm through the link in the mailbox.
        var confirmation = app.MailTo(email).Single(m => m.Contains("Confirm your email", StringComparison.Ordinal));
        var body = JsonDocument.Parse(confirmation).RootElement.GetProperty("htmlBody").GetString()!;
        var link = System.Net.WebUtility.HtmlDecode(Regex.Match(body, "href=\"([^\"]+)\"").Groups[1].Value);
        Assert.Contains("ConfirmEmail", link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByText("Thank you for confirming your email")).ToBeVisibleAsync();

        // Log in: the verified address on Riverside's domain made Jordan a member there.
        await fixture.LoginAsync(page, email, "Long-enough-pass-1");
        await page.GotoAsync("/");
        await page.WaitForURLAsync($"**/o/{riverside.Slug}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(riverside.Name);

        // Turn on two-factor sign-in with an authenticator app.
        await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        var key = await page.Locator("kbd").First.InnerTextAsync();
        var enabledAt = DateTimeOffset.UtcNow;
        await page.GetByLabel("Verification Code").FillAsync(Totp.Code(key, enabledAt));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your authenticator app has been verified")).ToBeVisibleAsync();
        Assert.Equal(10, await page.Locator(".recovery-code").CountAsync());

        // Sign out and back in: now a code is asked for.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("Long-enough-pass-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync("**/Account/LoginWith2fa**");
        // A person types the code their app shows now, not the one already used to turn two-factor on.
        await Task.Delay(Totp.UntilNextStep(enabledAt));
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/", StringComparison.Ordinal));

        // Accept the invitation to Lakeshore, which requires two-factor sign-in of reviewers.
        var invitationMail = app.MailTo(email).Single(m => m.Contains("invited", StringComparison.Ordinal));
        await page.GotoAsync(InvitationLink().Match(invitationMail).Groups[1].Value);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Join {lakeshore.Name}" }).ClickAsync();
        await page.WaitForURLAsync($"**/o/{lakeshore.Slug}");
        await Assertions.Expect(page.GetByText("You are Reviewer here.")).ToBeVisibleAsync();

        // Switch organization with the switcher.
        await page.Locator(".org-switcher summary").ClickAsync();
        await page.Locator(".org-switcher").GetByRole(AriaRole.Link, new() { Name = riverside.Name }).ClickAsync();
        await page.WaitForURLAsync($"**/o/{riverside.Slug}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(riverside.Name);
        await Assertions.Expect(page.GetByText("You are Member here.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_form_with_bad_input_shows_field_errors_and_keeps_what_was_typed()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Full name").FillAsync("Sam Typist");
        await page.GetByLabel("Email").FillAsync("sam@example.org");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Long-enough-pass-1");
        await page.GetByLabel("Confirm Password").FillAsync("something-else-22");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        await Assertions.Expect(page.GetByText("The password and confirmation password do not match.").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Full name")).ToHaveValueAsync("Sam Typist");
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync("sam@example.org");
        Assert.Empty(fixture.App.MailTo("sam@example.org"));
    }
}
