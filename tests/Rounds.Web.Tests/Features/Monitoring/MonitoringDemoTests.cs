using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Demo;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>The demo organization's inbox has conversations waiting and answered, an open alert, and its pages render them.</summary>
public sealed class MonitoringDemoTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task Northfield_has_an_inbox_with_waiting_and_answered_conversations_and_an_open_alert()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var (conversations, alert) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var org = await db.Organizations.SingleAsync(o => o.Slug == DemoSeeder.OrganizationSlug);
            return (await db.Set<Conversation>().Where(c => c.OrganizationId == org.Id).ToListAsync(), await db.Set<MonitoringAlert>().SingleAsync(a => a.OrganizationId == org.Id));
        });
        Assert.Equal(4, conversations.Count);
        Assert.Equal(2, conversations.Count(c => c.WaitingSince is not null));
        Assert.Single(conversations, c => c.AssignedTo is not null);
        Assert.Null(alert.ResolvedAt);

        var pages = FormSession.Create(app);
        await pages.LoginAsync("admin@northfield.example", DemoSeeder.Password);
        var slug = DemoSeeder.OrganizationSlug;
        var waiting = conversations.Where(c => c.WaitingSince is not null).OrderBy(c => c.WaitingSince).First();
        foreach (var (path, expected) in new[]
        {
            ($"/o/{slug}/inbox", "sleep trial"),
            ($"/o/{slug}/inbox/{waiting.Id}", "hand to media relations"),
            ($"/o/{slug}/inbox/alerts", "MRN"),
            ($"/o/{slug}/inbox/candidates", "northfield-peds-unit.bsky.social"),
            ($"/o/{slug}/inbox/alerts/{alert.Id}", "Mark resolved"),
            ($"/o/{slug}/accounts/{alert.AccountId}", "Replies, mentions and quotes"),
        })
        {
            var response = await pages.Client.GetAsync(path);
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains(expected, body, StringComparison.Ordinal);
        }
    }
}
