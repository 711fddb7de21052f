using System.Net;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Rounds.Web.Host;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Host;

/// <summary>A host that renders one page at a time, the narrowest the limit can be.</summary>
public sealed class OnePageAtATimeRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    protected override int? PagesAtOnce => 1;
}

/// <summary>Pages are rendered a few at a time; the rest wait their turn and none is refused or lost.</summary>
public sealed class PageTurnTests(OnePageAtATimeRounds app) : IClassFixture<OnePageAtATimeRounds>
{
    [Fact]
    public async Task Many_pages_asked_at_once_of_a_one_page_host_are_all_answered_in_turn()
    {
        var admin = await app.CreateUserAsync($"turns-{Guid.NewGuid():N}@example.org");
        var organization = await app.CreateOrganizationAsync($"turns{Guid.NewGuid():N}"[..20], admin);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        // Organization pages (the gate, the menu and the page each read the database), a missing page (answered by
        // running the pipeline again for the not-found page, which must not wait for the turn its first run holds),
        // and an API read, which does not take a turn at all.
        var paths = Enumerable.Range(0, 24).Select(i => (i % 4) switch
        {
            0 => $"/o/{organization.Slug}/posts",
            1 => $"/o/{organization.Slug}/calendar",
            2 => $"/o/{organization.Slug}/no-such-page-{i}",
            _ => "/api/v1/me",
        }).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var responses = await Task.WhenAll(paths.Select(path => session.Client.GetAsync(path, timeout.Token)));

        for (var i = 0; i < paths.Count; i++)
        {
            var expected = paths[i].Contains("no-such-page", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.True(expected == responses[i].StatusCode, $"{paths[i]} answered {(int)responses[i].StatusCode}, not {(int)expected}");
        }
    }

    [Theory]
    [InlineData("GET", true, true)]
    [InlineData("HEAD", true, true)]
    [InlineData("POST", true, false)]
    [InlineData("GET", false, false)]
    [InlineData("DELETE", false, false)]
    public void Only_reads_that_render_a_page_take_a_turn(string method, bool component, bool takesTurn)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var metadata = component ? new EndpointMetadataCollection(new ComponentTypeMetadata(typeof(Rounds.Web.Components.App))) : new EndpointMetadataCollection();
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/x"), 0, metadata, "x"));

        Assert.Equal(takesTurn, RateLimits.RendersPage(context));
    }

    [Fact]
    public void A_request_that_reached_no_endpoint_takes_no_turn()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";

        Assert.False(RateLimits.RendersPage(context));
    }
}
