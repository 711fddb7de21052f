using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Demo;
using Rounds.Web.Features.Requests;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Accounts;

/// <summary>The demo organization shows a realistic registry, and every registry page renders it.</summary>
public sealed class DemoRegistryTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task Northfield_has_a_realistic_registry_and_its_pages_render()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var (accounts, requests) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var org = await db.Organizations.SingleAsync(o => o.Slug == DemoSeeder.OrganizationSlug);
            return (await db.Set<SocialAccount>().Where(a => a.OrganizationId == org.Id).ToListAsync(), await db.Set<AccountRequest>().Where(r => r.OrganizationId == org.Id).ToListAsync());
        });

        Platform[] major = [Platform.X, Platform.Facebook, Platform.Instagram, Platform.LinkedIn, Platform.YouTube];
        Assert.All(major, p => Assert.Single(accounts, a => a.Kind == AccountKind.Enterprise && a.Platform == p));
        Assert.True(accounts.Count(a => a.Kind != AccountKind.Enterprise) >= 12);
        Assert.Single(accounts, a => a.Status == AccountStatus.Unregistered);
        Assert.Single(accounts, a => a.Status == AccountStatus.Dormant);
        var trial = Assert.Single(accounts, a => a.Status == AccountStatus.Trial);
        Assert.True(requests.Select(r => r.Status).Where(s => !RequestLifecycle.IsClosed(s)).Distinct().Count() >= 2);

        // The seeded rows satisfy the rules the app enforces.
        Assert.All(accounts.Where(a => a.Status is AccountStatus.Active or AccountStatus.Trial && a.Kind != AccountKind.Enterprise), a => Assert.True(a.OwnerList.Any() && a.Backup.Length > 0, a.Handle));
        Assert.Equal(accounts.Count, accounts.Select(a => (a.Platform, a.NormalizedHandle)).Distinct().Count());

        var pages = FormSession.Create(app);
        await pages.LoginAsync("admin@northfield.example", DemoSeeder.Password);
        var slug = DemoSeeder.OrganizationSlug;
        var request = requests.First(r => r.Status == RequestStatus.Requirements);
        foreach (var (path, expected) in new[]
        {
            ($"/o/{slug}/accounts", "@NorthfieldHeart"),
            ($"/o/{slug}/accounts?status=unregistered", "@northfield_er_nurses_unofficial"),
            ($"/o/{slug}/accounts/{trial.Id}", "Posts per week during the trial"),
            ($"/o/{slug}/accounts/dashboard", "Trials ending within 14 days"),
            ($"/o/{slug}/requests", "@northfield_skin"),
            ($"/o/{slug}/requests/{request.Id}", "the backup has not passed"),
            ($"/o/{slug}/training", "facebook-instagram"),
            ($"/o/{slug}/notifications", "Notifications"),
        })
        {
            var response = await pages.Client.GetAsync(path);
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains(expected, body, StringComparison.Ordinal);
        }

        Assert.Contains("@northfield_kids", WebUtility.HtmlDecode(await pages.Client.GetStringAsync($"/o/{slug}/accounts/dashboard")), StringComparison.Ordinal);
    }
}

/// <summary>What each demo role may reach among the registry pages.</summary>
public sealed class RegistryPageAccessTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Theory]
    [InlineData("nurse.castellano@northfield.example", "/accounts", HttpStatusCode.OK)]
    [InlineData("nurse.castellano@northfield.example", "/accounts/dashboard", HttpStatusCode.OK)]
    [InlineData("nurse.castellano@northfield.example", "/requests", HttpStatusCode.Forbidden)]
    [InlineData("nurse.castellano@northfield.example", "/requests/new", HttpStatusCode.Forbidden)]
    [InlineData("contributor@northfield.example", "/requests/new", HttpStatusCode.OK)]
    [InlineData("contributor@northfield.example", "/accounts/import", HttpStatusCode.Forbidden)]
    [InlineData("contributor@northfield.example", "/accounts/new", HttpStatusCode.Forbidden)]
    [InlineData("accounts@northfield.example", "/accounts/import", HttpStatusCode.OK)]
    [InlineData("accounts@northfield.example", "/training", HttpStatusCode.Forbidden)]
    [InlineData("accounts@northfield.example", "/accounts/policy", HttpStatusCode.Forbidden)]
    [InlineData("admin@northfield.example", "/accounts/policy", HttpStatusCode.OK)]
    public async Task Pages_answer_each_role_as_documented(string email, string path, HttpStatusCode expected)
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var pages = FormSession.Create(app);
        await pages.LoginAsync(email, DemoSeeder.Password);
        var response = await pages.Client.GetAsync($"/o/{DemoSeeder.OrganizationSlug}{path}");
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_import_page_previews_then_imports_what_was_previewed()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var pages = FormSession.Create(app);
        await pages.LoginAsync("accounts@northfield.example", DemoSeeder.Password);
        var url = $"/o/{DemoSeeder.OrganizationSlug}/accounts/import";
        const string Csv = "Network;Account;Dept\nX;@NorthfieldHeart;Cardiology and vascular\nInstagram;@northfield_gift_shop;Gift shop\nFriendster;@old;Marketing\n";

        var (_, preview) = await pages.SubmitAsync(url, "import", new Dictionary<string, string> { ["Input.Csv"] = Csv, ["Input.Confirm"] = "False" });
        var text = WebUtility.HtmlDecode(preview.QuerySelector("main")!.TextContent);
        Assert.Contains("3 rows: 1 new, 1 to update, 0 unchanged, 1 with errors", text, StringComparison.Ordinal);
        Assert.Contains("Unknown platform 'Friendster'", text, StringComparison.Ordinal);
        Assert.False(await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().AnyAsync(a => a.NormalizedHandle == "northfield_gift_shop")));

        var (_, imported) = await pages.SubmitAsync(url, "import", new Dictionary<string, string> { ["Input.Csv"] = Csv, ["Input.Confirm"] = "True" });
        Assert.Contains("Imported: 1 added, 1 updated.", WebUtility.HtmlDecode(imported.QuerySelector("main")!.TextContent), StringComparison.Ordinal);
        var giftShop = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().SingleAsync(a => a.NormalizedHandle == "northfield_gift_shop"));
        Assert.Equal(AccountStatus.Unregistered, giftShop.Status);
        Assert.Equal("Gift shop", giftShop.Department);

        // The sheet had no owner columns: the owners recorded for the updated account stay.
        var heart = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().SingleAsync(a => a.NormalizedHandle == "northfieldheart"));
        Assert.Equal("Cardiology and vascular", heart.Department);
        Assert.Equal("dr.sorensen@northfield.example", heart.Owners);
        Assert.Equal("contributor@northfield.example", heart.Backup);
    }

    [Fact]
    public async Task A_member_sees_the_registry_without_the_controls_that_change_it()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var accountId = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().Where(a => a.NormalizedHandle == "northfieldheart").Select(a => a.Id).SingleAsync());
        var pages = FormSession.Create(app);
        await pages.LoginAsync("nurse.castellano@northfield.example", DemoSeeder.Password);
        var list = await pages.Client.GetStringAsync($"/o/{DemoSeeder.OrganizationSlug}/accounts");
        Assert.DoesNotContain("Import an audit spreadsheet", list, StringComparison.Ordinal);
        var detail = await pages.Client.GetStringAsync($"/o/{DemoSeeder.OrganizationSlug}/accounts/{accountId}");
        Assert.Contains("Cardiology", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Change status", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Save details", detail, StringComparison.Ordinal);
    }
}
