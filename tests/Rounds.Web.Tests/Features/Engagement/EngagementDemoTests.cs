using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Demo;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>The demo organization has a roster whose NPIs pass their own check, and the engagement pages render it.</summary>
public sealed class EngagementDemoTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task Northfield_has_a_valid_physician_roster_and_its_pages_render()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var physicians = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var org = await db.Organizations.SingleAsync(o => o.Slug == DemoSeeder.OrganizationSlug);
            return await db.Set<Physician>().Where(p => p.OrganizationId == org.Id).ToListAsync();
        });

        Assert.True(physicians.Count >= 5);
        Assert.All(physicians, p => Assert.Null(Npi.Problem(p.Npi)));
        var left = Assert.Single(physicians, p => p.EndDate is not null);

        var pages = FormSession.Create(app);
        await pages.LoginAsync("admin@northfield.example", DemoSeeder.Password);
        var slug = DemoSeeder.OrganizationSlug;
        var sorensen = physicians.Single(p => p.Email == "dr.sorensen@northfield.example");
        foreach (var (path, expected) in new[]
        {
            ($"/o/{slug}/engagement", "Elin Sorensen"),
            ($"/o/{slug}/engagement?includeLeft=true", left.Name),
            ($"/o/{slug}/engagement/physicians/{sorensen.Id}", sorensen.Npi),
            ($"/o/{slug}/engagement/import", "Import the physician roster"),
        })
        {
            var response = await pages.Client.GetAsync(path);
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains(expected, body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(left.Name, WebUtility.HtmlDecode(await pages.Client.GetStringAsync($"/o/{slug}/engagement")), StringComparison.Ordinal);

        // The dashboard draws the demo's eight weeks as a line chart with its table, and a number opens the physicians behind it.
        var dashboard = WebUtility.HtmlDecode(await pages.Client.GetStringAsync($"/o/{slug}/engagement/dashboard?network=bluesky"));
        Assert.Contains("<polyline", dashboard, StringComparison.Ordinal);
        Assert.Contains("shares of physicians by week as a table", dashboard, StringComparison.Ordinal);
        var week = Rounds.Web.Features.Engagement.EngagementSnapshot.WeekOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var link = $"/o/{slug}/engagement/dashboard/physicians?week={week}&network=bluesky&measure=confirmed";
        Assert.Contains(link, dashboard, StringComparison.Ordinal);
        var drill = WebUtility.HtmlDecode(await pages.Client.GetStringAsync(link));
        Assert.Contains("Elin Sorensen", drill, StringComparison.Ordinal);
        Assert.DoesNotContain("Tendai Mbeki", drill, StringComparison.Ordinal);

        // A physician signs in and sees their own record, with the suggestion kept apart from the facts.
        var mbeki = FormSession.Create(app);
        await mbeki.LoginAsync("dr.mbeki@northfield.example", DemoSeeder.Password);
        var own = WebUtility.HtmlDecode(await mbeki.Client.GetStringAsync($"/o/{slug}/engagement/me"));
        Assert.Contains("@DrTMbeki", own, StringComparison.Ordinal);
        Assert.True(own.IndexOf("@tmbeki.bsky.social", StringComparison.Ordinal) > own.IndexOf("Suggested, not confirmed", StringComparison.Ordinal));
    }
}
