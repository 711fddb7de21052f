using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>The organization pages work as plain HTML forms: no script needed to invite, configure or change roles.</summary>
public abstract class OrganizationPageTests(RoundsFactory app)
{
    [Fact]
    public async Task Settings_form_shows_the_error_beside_the_input_and_keeps_what_was_typed()
    {
        var admin = await app.CreateUserAsync($"pages-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("pages-" + Guid.NewGuid().ToString("N")[..8], admin);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        var (response, page) = await session.SubmitAsync($"/o/{org.Slug}/settings", "add-domain", new Dictionary<string, string> { ["NewDomain.Domain"] = "not a domain" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter a domain such as northfield.org", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("not a domain", page.QuerySelector("#domain")!.GetAttribute("value"));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationDomains.AnyAsync(d => d.OrganizationId == org.Id)));

        (_, page) = await session.SubmitAsync($"/o/{org.Slug}/settings", "general", new Dictionary<string, string> { ["General.Name"] = "", ["General.RequireTwoFactorForStaff"] = "false" });
        Assert.Contains("Enter the organization's name.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(org.Name, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Organizations.Where(o => o.Id == org.Id).Select(o => o.Name).SingleAsync()));

        (_, page) = await session.SubmitAsync($"/o/{org.Slug}/settings", "general", new Dictionary<string, string> { ["General.Name"] = "Renamed Health", ["General.RequireTwoFactorForStaff"] = "true" });
        Assert.Contains("Settings saved.", page.Body!.TextContent, StringComparison.Ordinal);
        var saved = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Organizations.SingleAsync(o => o.Id == org.Id));
        Assert.Equal("Renamed Health", saved.Name);
        Assert.True(saved.RequireTwoFactorForStaff);
    }

    [Fact]
    public async Task Members_page_invites_and_the_member_page_changes_roles()
    {
        var admin = await app.CreateUserAsync($"pages-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("pages-" + Guid.NewGuid().ToString("N")[..8], admin);
        var colleague = await app.CreateUserAsync($"colleague-{Guid.NewGuid():N}@example.org", "Robin Colleague");
        await app.AddMemberAsync(org, colleague, Role.Contributor);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        var (_, page) = await session.SubmitAsync($"/o/{org.Slug}/members", "invite", new Dictionary<string, string> { ["Invite.Email"] = "nope", ["Invite.Role"] = "Reviewer" });
        Assert.Contains("Enter an email address such as name@example.org.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("nope", page.QuerySelector("#invite-email")!.GetAttribute("value"));

        var invitee = $"invitee-{Guid.NewGuid():N}@example.org";
        (_, page) = await session.SubmitAsync($"/o/{org.Slug}/members", "invite", new Dictionary<string, string> { ["Invite.Email"] = invitee, ["Invite.Role"] = "Reviewer" });
        Assert.Contains($"Invitation sent to {invitee}.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Single(app.MailTo(invitee));

        var membershipId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.Where(m => m.UserId == colleague.Id && m.OrganizationId == org.Id).Select(m => m.Id).SingleAsync());
        (_, page) = await session.SubmitAsync($"/o/{org.Slug}/members/{membershipId}", "role", new Dictionary<string, string> { ["RoleChange.Role"] = "AccountManager" });
        Assert.Contains("Role saved.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Role.AccountManager, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.Where(m => m.Id == membershipId).Select(m => m.Role).SingleAsync()));

        // The contributor cannot open the admin pages of their own organization.
        var contributorSession = FormSession.Create(app);
        var contributor = await app.CreateUserAsync($"contrib-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await contributorSession.LoginAsync(contributor.Email!);
        var refused = await contributorSession.Client.GetAsync($"/o/{org.Slug}/members");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(colleague.Email!, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_without_two_factor_are_sent_to_set_it_up_when_the_organization_requires_it()
    {
        var admin = await app.CreateUserAsync($"pages-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("pages-" + Guid.NewGuid().ToString("N")[..8], admin, requireTwoFactor: true);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        var response = await session.Client.GetAsync($"/o/{org.Slug}/members");
        Assert.Equal("/Account/Manage/TwoFactorAuthentication", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("requires two-factor sign-in for your role", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class OrganizationPageTestsOnSqlite(SqliteRounds app) : OrganizationPageTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class OrganizationPageTestsOnPostgres(PostgresRounds app) : OrganizationPageTests(app), IClassFixture<PostgresRounds>;
