using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>
/// An email domain was claimed by posting its name: any admin could take another organization's domain and see
/// its people, their addresses and whether they used two-factor sign-in. A domain now admits people only once a
/// TXT record proves the organization controls it, and never twice.
/// </summary>
public abstract class DomainProofTests(RoundsFactory app)
{
    private static string NewDomain() => $"d{Guid.NewGuid():N}"[..12] + ".example";

    private static string NewSlug() => "dom-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Claiming_a_domain_another_organization_verified_is_a_conflict_and_moves_nobody()
    {
        var domain = NewDomain();
        var alice = await app.CreateUserAsync($"alice@{domain}", "Alice Victim");
        var victim = await app.CreateOrganizationAsync(NewSlug(), alice);
        var colleague = await app.CreateUserAsync($"colleague@{domain}", "Colleague Victim");
        await app.AddVerifiedDomainAsync(victim, alice, domain);
        var mallory = await app.CreateUserAsync($"mallory-{Guid.NewGuid():N}@example.org");
        var own = await app.CreateOrganizationAsync(NewSlug(), mallory);
        var client = await app.ApiClientAsync(mallory);

        var claim = await client.PostAsJsonAsync($"/api/v1/orgs/{own.Slug}/domains", new { domain });

        Assert.Equal(HttpStatusCode.Conflict, claim.StatusCode);
        Assert.Contains("another organization", await claim.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var members = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{own.Slug}/members"));
        Assert.Equal([mallory.Email!], members.EnumerateArray().Select(m => m.GetProperty("email").GetString()!));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationDomains.AnyAsync(d => d.OrganizationId == own.Id)));
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.AnyAsync(m => m.OrganizationId == victim.Id && m.UserId == colleague.Id)));
    }

    [Fact]
    public async Task Of_two_pending_claims_only_the_first_proven_admits_and_the_other_is_a_conflict()
    {
        var domain = NewDomain();
        var person = await app.CreateUserAsync($"person@{domain}");
        var firstAdmin = await app.CreateUserAsync($"first-{Guid.NewGuid():N}@example.org");
        var first = await app.CreateOrganizationAsync(NewSlug(), firstAdmin);
        var secondAdmin = await app.CreateUserAsync($"second-{Guid.NewGuid():N}@example.org");
        var second = await app.CreateOrganizationAsync(NewSlug(), secondAdmin);
        var firstClient = await app.ApiClientAsync(firstAdmin);
        var secondClient = await app.ApiClientAsync(secondAdmin);
        var firstClaim = await HttpAssert.ReadAsync<DomainDto>(await firstClient.PostAsJsonAsync($"/api/v1/orgs/{first.Slug}/domains", new { domain }));
        var secondClaim = await HttpAssert.ReadAsync<DomainDto>(await secondClient.PostAsJsonAsync($"/api/v1/orgs/{second.Slug}/domains", new { domain }));
        Assert.NotEqual(firstClaim.VerificationRecord, secondClaim.VerificationRecord);
        app.Dns.Publish(domain, firstClaim.VerificationRecord);
        app.Dns.Publish(domain, secondClaim.VerificationRecord);

        Assert.Equal(HttpStatusCode.OK, (await firstClient.PostAsync($"/api/v1/orgs/{first.Slug}/domains/{firstClaim.Id}/verification", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await secondClient.PostAsync($"/api/v1/orgs/{second.Slug}/domains/{secondClaim.Id}/verification", null)).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.True(await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == first.Id && m.UserId == person.Id));
            Assert.False(await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == second.Id && m.UserId == person.Id));
        });
    }

    [Theory]
    [InlineData("gmail.com")]
    [InlineData("GMAIL.COM")]
    [InlineData("outlook.com")]
    [InlineData("proton.me")]
    [InlineData("mail.yahoo.com")]
    [InlineData("gmx.de")]
    public async Task Public_mail_domains_cannot_be_claimed(string domain)
    {
        var admin = await app.CreateUserAsync($"admin-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var client = await app.ApiClientAsync(admin);

        var claim = await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/domains", new { domain });

        Assert.Equal(HttpStatusCode.BadRequest, claim.StatusCode);
        Assert.Contains("public mail service", await claim.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationDomains.AnyAsync(d => d.OrganizationId == org.Id)));
    }

    [Fact]
    public async Task An_unproven_domain_admits_nobody_and_the_proof_admits_its_people()
    {
        var domain = NewDomain();
        var early = await app.CreateUserAsync($"early@{domain}");
        var admin = await app.CreateUserAsync($"admin-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var client = await app.ApiClientAsync(admin);

        var claim = await HttpAssert.ReadAsync<DomainDto>(await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/domains", new { domain }));
        Assert.Equal("pending", claim.Status);
        Assert.Matches("^rounds-verification=[0-9a-f]{32}$", claim.VerificationRecord);
        Assert.False(await IsMemberAsync(org, early));

        // Confirming an address on a pending domain joins nothing either.
        var late = await app.CreateUserAsync($"late@{domain}");
        await app.WithScopeAsync(async services => await services.GetRequiredService<DomainMembership>().AddressConfirmedAsync(
            await services.GetRequiredService<RoundsDbContext>().People().FirstAsync(p => p.Id == late.Id)));
        Assert.False(await IsMemberAsync(org, late));

        var verifyUrl = $"/api/v1/orgs/{org.Slug}/domains/{claim.Id}/verification";
        var missing = await client.PostAsync(verifyUrl, null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains(claim.VerificationRecord, await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        app.Dns.Publish(domain, "rounds-verification=0123456789abcdef0123456789abcdef");
        app.Dns.Publish(domain, "v=spf1 -all");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(verifyUrl, null)).StatusCode);
        Assert.False(await IsMemberAsync(org, early));
        Assert.Empty((await HttpAssert.ReadAsync<OrganizationDto>(await client.GetAsync($"/api/v1/orgs/{org.Slug}"))).Domains);

        app.Dns.Publish(domain, claim.VerificationRecord);
        var verified = await HttpAssert.ReadAsync<DomainDto>(await client.PostAsync(verifyUrl, null));

        Assert.Equal("verified", verified.Status);
        Assert.True(await IsMemberAsync(org, early));
        Assert.True(await IsMemberAsync(org, late));
        Assert.Equal([domain], (await HttpAssert.ReadAsync<OrganizationDto>(await client.GetAsync($"/api/v1/orgs/{org.Slug}"))).Domains);
    }

    [Fact]
    public async Task A_dns_failure_leaves_the_domain_pending_with_a_clear_message()
    {
        var domain = NewDomain();
        var admin = await app.CreateUserAsync($"admin-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var client = await app.ApiClientAsync(admin);
        var claim = await HttpAssert.ReadAsync<DomainDto>(await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/domains", new { domain }));
        app.Dns.MakeUnreachable(domain);

        var response = await client.PostAsync($"/api/v1/orgs/{org.Slug}/domains/{claim.Id}/verification", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("try again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await HttpAssert.ReadAsync<List<DomainDto>>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/domains"))).Single().Status);
    }

    [Fact]
    public async Task The_settings_page_shows_the_record_to_publish_and_checks_it()
    {
        var domain = NewDomain();
        var person = await app.CreateUserAsync($"person@{domain}");
        var admin = await app.CreateUserAsync($"admin-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        var settings = $"/o/{org.Slug}/settings";

        var (_, page) = await session.SubmitAsync(settings, "add-domain", new Dictionary<string, string> { ["NewDomain.Domain"] = domain });
        var row = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationDomains.SingleAsync(d => d.OrganizationId == org.Id));
        Assert.Contains(row.TxtRecord, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("pending", page.Body.TextContent, StringComparison.Ordinal);

        (_, page) = await session.SubmitAsync(settings, "domain-action", new Dictionary<string, string> { ["DomainAction"] = $"verify:{row.Id}" });
        Assert.Contains("no TXT record", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.False(await IsMemberAsync(org, person));

        app.Dns.Publish(domain, row.TxtRecord);
        (_, page) = await session.SubmitAsync(settings, "domain-action", new Dictionary<string, string> { ["DomainAction"] = $"verify:{row.Id}" });
        Assert.Contains($"{domain} is verified", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.True(await IsMemberAsync(org, person));
    }

    /// <summary>Two-factor status told whose account was the easier one to take; only admins see it now.</summary>
    [Fact]
    public async Task A_member_who_is_not_an_admin_sees_no_two_factor_status()
    {
        var admin = await app.CreateUserAsync($"admin-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync(NewSlug(), admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);

        var (asReviewer, asAdmin) = await app.WithScopeAsync(async services =>
        {
            var members = services.GetRequiredService<Members>();
            return (await members.ListAsync(await RoundsFactory.ContextAsync(services, org, reviewer)),
                await members.ListAsync(await RoundsFactory.ContextAsync(services, org, admin)));
        });

        Assert.Equal(2, asReviewer.Count);
        Assert.All(asReviewer, m => Assert.Null(m.TwoFactorEnabled));
        Assert.All(asAdmin, m => Assert.NotNull(m.TwoFactorEnabled));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(reviewer)).GetAsync($"/api/v1/orgs/{org.Slug}/members")).StatusCode);
    }

    private Task<bool> IsMemberAsync(Organization org, Rounds.Web.Features.Identity.User user) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.AnyAsync(m => m.OrganizationId == org.Id && m.UserId == user.Id));
}

public sealed class DomainProofTestsOnSqlite(SqliteRounds app) : DomainProofTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class DomainProofTestsOnPostgres(PostgresRounds app) : DomainProofTests(app), IClassFixture<PostgresRounds>;

/// <summary>The curated list of public mail services, including their subdomains.</summary>
public sealed class PublicMailDomainsTests
{
    [Theory]
    [InlineData("gmail.com", true)]
    [InlineData("eu.mail.yahoo.com", true)]
    [InlineData("hotmail.com", true)]
    [InlineData("icloud.com", true)]
    [InlineData("aol.com", true)]
    [InlineData("mail.com", true)]
    [InlineData("northfield.org", false)]
    [InlineData("gmail.com.northfield.org", false)]
    [InlineData("notgmail.com", false)]
    public void Public_mail_services_and_their_subdomains_are_known(string domain, bool expected) =>
        Assert.Equal(expected, PublicMailDomains.Contains(domain));
}
