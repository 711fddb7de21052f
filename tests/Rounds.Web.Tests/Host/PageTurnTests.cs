using System.Net;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rounds.Web.Host;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Host;

/// <summary>A host that renders one page at a time, the narrowest the limit can be.</summary>
public sealed class OnePageAtATimeRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    protected override int? PagesAtOnce => 1;
}

/// <summary>With <c>RateLimits:PagesAtOnce</c> set, pages are rendered that many at a time; the rest wait their turn and none is lost.</summary>
public sealed class PageTurnTests(OnePageAtATimeRounds app) : IClassFixture<OnePageAtATimeRounds>
{
    [Fact]
    public async Task Many_pages_asked_at_once_of_a_one_page_host_are_all_answered_in_turn()
    {
        var admin = await app.CreateUserAsync($"turns-{Guid.NewGuid():N}@example.org");
        var organization = await app.CreateOrganizationAsync($"turns{Guid.NewGuid():N}"[..20], admin);
        var stranger = await app.CreateUserAsync($"stranger-{Guid.NewGuid():N}@example.org");
        var elsewhere = await app.CreateOrganizationAsync($"else{Guid.NewGuid():N}"[..20], stranger);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        // Organization pages (the gate, the menu and the page each read the database); another organization's page,
        // which the gate answers "not found" from inside its turn, and whose not-found page then runs the pipeline
        // again and must not wait for the turn its first run held; and an API read, which takes no turn at all.
        var paths = Enumerable.Range(0, 24).Select(i => (i % 4) switch
        {
            0 => $"/o/{organization.Slug}/posts",
            1 => $"/o/{organization.Slug}/calendar",
            2 => $"/o/{elsewhere.Slug}/posts",
            _ => "/api/v1/me",
        }).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var responses = await Task.WhenAll(paths.Select(path => session.Client.GetAsync(path, timeout.Token)));

        for (var i = 0; i < paths.Count; i++)
        {
            var expected = paths[i].Contains(elsewhere.Slug, StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.True(expected == responses[i].StatusCode, $"{paths[i]} answered {(int)responses[i].StatusCode}, not {(int)expected}");
        }
    }

    [Fact]
    public void A_page_waits_while_another_holds_the_only_turn_and_the_api_never_waits()
    {
        var limiter = app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;

        using var first = limiter.AttemptAcquire(Request("GET", page: true));
        Assert.True(first.IsAcquired);
        using (var second = limiter.AttemptAcquire(Request("GET", page: true)))
        {
            Assert.False(second.IsAcquired);
        }

        using (var api = limiter.AttemptAcquire(Request("GET", page: false)))
        {
            Assert.True(api.IsAcquired);
        }

        using (var post = limiter.AttemptAcquire(Request("POST", page: true)))
        {
            Assert.True(post.IsAcquired);
        }

        first.Dispose();
        using var third = limiter.AttemptAcquire(Request("GET", page: true));
        Assert.True(third.IsAcquired);
    }

    [Theory]
    [InlineData("GET", true, true)]
    [InlineData("HEAD", true, true)]
    [InlineData("POST", true, false)]
    [InlineData("GET", false, false)]
    [InlineData("DELETE", false, false)]
    public void Only_reads_that_render_a_page_take_a_turn(string method, bool component, bool takesTurn) =>
        Assert.Equal(takesTurn, RateLimits.RendersPage(Request(method, component)));

    [Fact]
    public void A_request_that_reached_no_endpoint_takes_no_turn()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";

        Assert.False(RateLimits.RendersPage(context));
    }

    internal static DefaultHttpContext Request(string method, bool page)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/x";
        var metadata = page ? new EndpointMetadataCollection(new ComponentTypeMetadata(typeof(Rounds.Web.Components.App))) : new EndpointMetadataCollection();
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/x"), 0, metadata, "x"));
        return context;
    }
}

/// <summary>Without <c>RateLimits:PagesAtOnce</c>, pages never wait.</summary>
public sealed class PageTurnsOffTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public void Without_the_setting_every_page_is_rendered_at_once()
    {
        var limiter = app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var pages = Enumerable.Range(0, 64).Select(_ => limiter.AttemptAcquire(PageTurnTests.Request("GET", page: true))).ToList();

        Assert.All(pages, lease => Assert.True(lease.IsAcquired));
        pages.ForEach(lease => lease.Dispose());
    }
}
