using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

public abstract class OrganizationApiTests(RoundsFactory app)
{
    private static string NewEmail(string who = "person") => $"{who}-{Guid.NewGuid():N}@example.org";

    private static string NewSlug() => "org-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Me_lists_organizations_with_roles()
    {
        var admin = await app.CreateUserAsync(NewEmail("admin"), "Ada Admin");
        var first = await app.CreateOrganizationAsync(NewSlug(), admin);
        var second = await app.CreateOrganizationAsync(NewSlug(), await app.CreateUserAsync(NewEmail()));
        await app.AddMemberAsync(second, admin, Role.Reviewer);

        var client = await app.ApiClientAsync(admin);
        var me = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync("/api/v1/me"));

        Assert.Equal(admin.Email, me.GetProperty("email").GetString());
        Assert.Equal("Ada Admin", me.GetProperty("displayName").GetString());
        var roles = me.GetProperty("organizations").EnumerateArray().ToDictionary(o => o.GetProperty("slug").GetString()!, o => o.GetProperty("role").GetString());
        Assert.Equal("admin", roles[first.Slug]);
        Assert.Equal("reviewer", roles[second.Slug]);
    }

    [Fact]
    public async Task Creating_an_organization_validates_and_keeps_slugs_unique()
    {
        var user = await app.CreateUserAsync(NewEmail());
        var client = await app.ApiClientAsync(user);
        var slug = NewSlug();

        var bad = await client.PostAsJsonAsync("/api/v1/orgs", new { name = "Bad", slug = "Not A Slug!" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Slug", out _));

        var missing = await client.PostAsJsonAsync("/api/v1/orgs", new { slug });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/orgs", new { name = "Lakeside", slug })).StatusCode);
        var duplicate = await client.PostAsJsonAsync("/api/v1/orgs", new { name = "Other", slug });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Organizations.CountAsync(o => o.Slug == slug)));
    }

    [Fact]
    public async Task Malformed_json_gets_a_problem_not_a_stack_trace()
    {
        var client = await app.ApiClientAsync(await app.CreateUserAsync(NewEmail()));
        var response = await client.PostAsync("/api/v1/orgs", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_by_email_is_accepted_by_the_invited_address_only()
    {
        var admin = await app.CreateUserAsync(NewEmail("admin"));
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var invitee = await app.CreateUserAsync(NewEmail("invitee"));
        var stranger = await app.CreateUserAsync(NewEmail("stranger"));
        var client = await app.ApiClientAsync(admin);

        var badRole = await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/invitations", new { email = invitee.Email, role = "overlord" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        var badEmail = await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/invitations", new { email = "not-an-address", role = "reviewer" });
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Empty(app.MailTo(invitee.Email!));

        var sent = await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/invitations", new { email = invitee.Email, role = "reviewer" });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var mail = Assert.Single(app.MailTo(invitee.Email!));
        var secret = System.Text.RegularExpressions.Regex.Match(mail, "/invitations/([0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(secret);

        await app.WithScopeAsync(async services =>
        {
            var members = services.GetRequiredService<Members>();
            var people = services.GetRequiredService<RoundsDbContext>().People();
            var wrong = await members.AcceptAsync(secret, await people.FirstAsync(p => p.Id == stranger.Id));
            Assert.False(wrong.Succeeded);
            Assert.Contains(invitee.Email!, wrong.Status.Message, StringComparison.Ordinal);
            var right = await members.AcceptAsync(secret, await people.FirstAsync(p => p.Id == invitee.Id));
            Assert.True(right.Succeeded, right.Status.Message);
            var again = await members.AcceptAsync(secret, await people.FirstAsync(p => p.Id == invitee.Id));
            Assert.False(again.Succeeded);
        });

        var list = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/members"));
        var roles = list.EnumerateArray().ToDictionary(m => m.GetProperty("email").GetString()!, m => m.GetProperty("role").GetString());
        Assert.Equal("reviewer", roles[invitee.Email!]);
        Assert.False(roles.ContainsKey(stranger.Email!));
    }

    [Fact]
    public async Task Only_admins_manage_members_and_the_last_admin_stays()
    {
        var admin = await app.CreateUserAsync(NewEmail("admin"));
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var contributor = await app.CreateUserAsync(NewEmail("contributor"));
        await app.AddMemberAsync(org, contributor, Role.Contributor);

        var asContributor = await app.ApiClientAsync(contributor);
        Assert.Equal(HttpStatusCode.Forbidden, (await asContributor.GetAsync($"/api/v1/orgs/{org.Slug}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asContributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/invitations", new { email = NewEmail(), role = "admin" })).StatusCode);

        var asAdmin = await app.ApiClientAsync(admin);
        var members = await HttpAssert.ReadAsync<JsonElement>(await asAdmin.GetAsync($"/api/v1/orgs/{org.Slug}/members"));
        var adminMembership = members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == admin.Email).GetProperty("id").GetGuid();

        var demote = await asAdmin.PatchAsJsonAsync($"/api/v1/orgs/{org.Slug}/members/{adminMembership}", new { role = "member" });
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("at least one admin", await demote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var remove = await asAdmin.DeleteAsync($"/api/v1/orgs/{org.Slug}/members/{adminMembership}");
        Assert.Equal(HttpStatusCode.Conflict, remove.StatusCode);

        var role = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.Where(m => m.Id == adminMembership).Select(m => m.Role).SingleAsync());
        Assert.Equal(Role.Admin, role);
    }

    [Fact]
    public async Task Verified_addresses_on_a_domain_join_and_leave_with_the_address()
    {
        var admin = await app.CreateUserAsync(NewEmail("admin"));
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var domain = $"d{Guid.NewGuid():N}"[..12] + ".example";
        var early = await app.CreateUserAsync($"early@{domain}");
        var unverified = await app.CreateUserAsync($"unverified@{domain}", confirmed: false);
        var client = await app.ApiClientAsync(admin);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/domains", new { domain = "not a domain" })).StatusCode);
        var claimed = await HttpAssert.ReadAsync<DomainDto>(await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/domains", new { domain = "@" + domain.ToUpperInvariant() }));
        Assert.Equal((domain, "pending"), (claimed.Domain, claimed.Status));
        app.Dns.Publish(domain, claimed.VerificationRecord);
        Assert.Equal("verified", (await HttpAssert.ReadAsync<DomainDto>(await client.PostAsync($"/api/v1/orgs/{org.Slug}/domains/{claimed.Id}/verification", null))).Status);

        var late = await app.CreateUserAsync($"late@{domain}", confirmed: false);
        await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rounds.Web.Features.Identity.User>>();
            var sync = services.GetRequiredService<DomainMembership>();
            var person = (await users.FindByIdAsync(late.Id))!;
            var token = await users.GenerateEmailConfirmationTokenAsync(person);
            Assert.True((await users.ConfirmEmailAsync(person, token)).Succeeded);
            await sync.AddressConfirmedAsync(await services.GetRequiredService<RoundsDbContext>().People().FirstAsync(p => p.Id == person.Id));
        });

        async Task<Dictionary<string, string?>> MembersAsync() =>
            (await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/members")))
                .EnumerateArray().ToDictionary(m => m.GetProperty("email").GetString()!, m => m.GetProperty("source").GetString());

        var members = await MembersAsync();
        Assert.Equal("domain", members[early.Email!]);
        Assert.Equal("domain", members[late.Email!]);
        Assert.False(members.ContainsKey(unverified.Email!));

        // Changing the address away from the domain removes the automatic membership.
        await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rounds.Web.Features.Identity.User>>();
            var person = (await users.FindByIdAsync(early.Id))!;
            var newEmail = NewEmail("moved");
            var token = await users.GenerateChangeEmailTokenAsync(person, newEmail);
            Assert.True((await users.ChangeEmailAsync(person, newEmail, token)).Succeeded);
            await services.GetRequiredService<DomainMembership>().AddressConfirmedAsync(await services.GetRequiredService<RoundsDbContext>().People().FirstAsync(p => p.Id == person.Id));
        });

        members = await MembersAsync();
        Assert.False(members.ContainsKey(early.Email!));
        Assert.DoesNotContain(members.Keys, k => k.StartsWith("moved-", StringComparison.Ordinal));
        Assert.True(members.ContainsKey(late.Email!));
    }

    [Fact]
    public async Task Two_factor_is_required_for_staff_when_the_organization_says_so()
    {
        var admin = await app.CreateUserAsync(NewEmail("admin"));
        var org = await app.CreateOrganizationAsync(NewSlug(), admin, requireTwoFactor: true);
        var member = await app.CreateUserAsync(NewEmail("member"));
        await app.AddMemberAsync(org, member, Role.Member);

        var asAdmin = await app.ApiClientAsync(admin);
        var refused = await asAdmin.GetAsync($"/api/v1/orgs/{org.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("two-factor", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // Members are not staff: the rule does not apply to them.
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(member)).GetAsync($"/api/v1/orgs/{org.Slug}")).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rounds.Web.Features.Identity.User>>();
            await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(admin.Id))!, true);
        });
        Assert.Equal(HttpStatusCode.OK, (await asAdmin.GetAsync($"/api/v1/orgs/{org.Slug}")).StatusCode);
    }
}

public sealed class OrganizationApiTestsOnSqlite(SqliteRounds app) : OrganizationApiTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class OrganizationApiTestsOnPostgres(PostgresRounds app) : OrganizationApiTests(app), IClassFixture<PostgresRounds>;
