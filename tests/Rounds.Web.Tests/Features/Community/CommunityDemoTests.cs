using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Community;
using Rounds.Web.Features.Demo;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>The Harbor network's demo board renders with its quotes, mentions and likes, and keeps the team room to the team.</summary>
public sealed class CommunityDemoTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task The_networks_board_shows_quotes_mentions_and_likes_and_keeps_the_team_room_from_members()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var topic = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<CommunityTopic>()
            .Where(t => t.Title == "Branded handles for clinical leaders?").Select(t => t.Id).SingleAsync());
        var slug = DemoSeeder.NetworkSlug;
        var nurse = FormSession.Create(app);
        await nurse.LoginAsync("nurse.castellano@northfield.example", DemoSeeder.Password);

        var board = WebUtility.HtmlDecode(await nurse.Client.GetStringAsync($"/o/{slug}/community"));
        Assert.Contains("Departments asking for their own accounts", board, StringComparison.Ordinal);
        Assert.DoesNotContain("Communications team room", board, StringComparison.Ordinal);
        // Northfield's organization membership gives premium standing, so its nurse reads the premium lounge.
        Assert.Contains("Premium members' lounge", board, StringComparison.Ordinal);
        Assert.Contains("Feedback on a draft reply to a complaint", board, StringComparison.Ordinal);

        var page = await nurse.GetAsync($"/o/{slug}/community/t/{topic}");
        var third = page.QuerySelector("#post-3")!;
        Assert.Equal($"/o/{slug}/community/t/{topic}#post-2", third.QuerySelector("figure.quote a")!.GetAttribute("href"));
        Assert.Contains("Liked by Marisol Abernathy", page.QuerySelector("#post-2")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("@MarisolAbernathy", page.QuerySelector("#post-2 .mention")!.TextContent);
        Assert.Contains("Liked by Marisol Abernathy, Avery Lindqvist and Dr. Elin Sorensen", page.QuerySelector("#post-4")!.TextContent, StringComparison.Ordinal);

        var search = await nurse.GetAsync($"/o/{slug}/community/search?q=disclaimer");
        Assert.Contains("What should a physician's disclaimer say?", search.QuerySelector("ol.search-results")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Watched words", search.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var reviewer = FormSession.Create(app);
        await reviewer.LoginAsync("reviewer@northfield.example", DemoSeeder.Password);
        Assert.Contains("Communications team room", WebUtility.HtmlDecode(await reviewer.Client.GetStringAsync($"/o/{slug}/community")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.Client.GetAsync($"/o/{slug}/community/review")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.Client.GetAsync($"/o/{slug}/community/review")).StatusCode);
    }
}
