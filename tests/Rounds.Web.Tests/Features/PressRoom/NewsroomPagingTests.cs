using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.PressRoom;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// The public newsroom read every lifted release of the organization into memory and sorted it there, showed only
/// the newest 50 with no way to older ones, and the sitemap read up to 50,000. The newsroom page and the API now
/// answer pages in lift order from the database, with page links and a Link header, and the sitemap is capped.
/// </summary>
public abstract partial class NewsroomPagingTests(PressRounds app)
{
    [Fact]
    public async Task Newsroom_pages_follow_the_cursor_without_duplicates_or_gaps_while_releases_lift()
    {
        var cast = await app.CastAsync();
        // Three releases share each lift instant, so the id has to break ties the same way on every page.
        var lifted = await AddPublicAsync(cast, 130, i => app.Clock.GetUtcNow().AddMinutes(-10 - i / 3));
        var api = await app.ApiClientAsync(cast.Stranger);

        var seen = new List<Guid>();
        string? next = $"/api/v1/press/{cast.Org.Slug}/releases";
        var pages = 0;
        while (next is not null)
        {
            var response = await api.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(page.Count, 1, Newsroom.PageSize);
            seen.AddRange(page);
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;

            // A release lifting meanwhile is newer than every page so far: it belongs before them, not in a later page.
            var added = await AddPublicAsync(cast, 1, _ => app.Clock.GetUtcNow().AddSeconds(-pages));
            Assert.DoesNotContain(added.Keys.Single(), seen);
        }

        Assert.Equal(3, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(lifted.Keys.Order(), seen.Order());
        var times = seen.Select(id => lifted[id]).ToList();
        Assert.Equal(times.OrderDescending(), times);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/press/{cast.Org.Slug}/releases?after=yesterday")).StatusCode);
    }

    [Fact]
    public async Task The_newsroom_page_links_to_older_releases_and_keeps_embargoed_ones_out()
    {
        var cast = await app.CastAsync();
        var lifted = await AddPublicAsync(cast, Newsroom.PageSize + 20, i => app.Clock.GetUtcNow().AddHours(-1 - i));
        var (embargoed, _) = await app.EmbargoedReleaseAsync(cast, "Not yet", TimeSpan.FromDays(2));
        var anonymous = FormSession.Create(app);

        var first = await anonymous.GetAsync($"/press/{cast.Org.Slug}");
        Assert.Equal(Newsroom.PageSize, Releases(first).Count);
        Assert.Null(Link(first, "First page"));
        var second = await anonymous.GetAsync(Link(first, "Next page")!);
        Assert.Equal(20, Releases(second).Count);
        Assert.Null(Link(second, "Next page"));
        Assert.NotNull(Link(second, "First page"));
        var all = Releases(first).Concat(Releases(second)).ToList();
        Assert.Equal(lifted.Keys.Order(), all.Order());
        Assert.DoesNotContain(embargoed, all);

        var refused = await anonymous.GetAsync($"/press/{cast.Org.Slug}?after=not-a-cursor");
        Assert.Contains("not one this newsroom gave out", refused.QuerySelector("main")!.TextContent);
        Assert.Equal(Releases(first), Releases(refused));
    }

    [Fact]
    public async Task The_sitemap_and_the_feed_name_only_the_newest_releases()
    {
        var cast = await app.CastAsync();
        var lifted = await AddPublicAsync(cast, NewsroomSitemap.MaxReleases + 10, i => app.Clock.GetUtcNow().AddMinutes(-1 - i));
        var anonymous = app.CreateClient();

        var sitemap = await anonymous.GetStringAsync($"/press/{cast.Org.Slug}/sitemap.xml");
        var named = ReleaseAddress().Matches(sitemap).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(NewsroomSitemap.MaxReleases, named.Count);
        Assert.Equal(lifted.OrderByDescending(r => r.Value).Take(NewsroomSitemap.MaxReleases).Select(r => r.Key).Order(), named.Order());

        var feed = await anonymous.GetStringAsync($"/press/{cast.Org.Slug}/feed.atom");
        Assert.Equal(30, Regex.Count(feed, "<entry>"));
    }

    [GeneratedRegex(@"/releases/([0-9a-f-]{36})</loc>")]
    private static partial Regex ReleaseAddress();

    private static List<Guid> Releases(IDocument page) =>
        page.QuerySelectorAll("section[aria-labelledby=releases-heading] li a").Select(a => Guid.Parse(a.GetAttribute("href")!.Split('/')[^1])).ToList();

    private static string? Link(IDocument page, string text) =>
        page.QuerySelectorAll("nav.pager a").FirstOrDefault(a => a.TextContent.Trim() == text)?.GetAttribute("href");

    /// <summary>Public releases as the lift job leaves them, at the given lift instants.</summary>
    private Task<Dictionary<Guid, DateTimeOffset>> AddPublicAsync(PressCast cast, int count, Func<int, DateTimeOffset> liftAt) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var added = new Dictionary<Guid, DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            var at = liftAt(i);
            var release = new PressRelease
            {
                OrganizationId = cast.Org.Id, Title = $"Release {i}", Summary = "Summary", Body = "Body", Status = ReleaseStatus.Public,
                LiftAt = at, LiftZone = "UTC", PublishedAt = at, CreatedAt = at.AddDays(-1), UpdatedAt = at,
            };
            added[release.Id] = at;
            db.Add(release);
        }

        await db.SaveChangesAsync();
        return added;
    });
}

public sealed class NewsroomPagingTestsOnSqlite(SqlitePressRounds app) : NewsroomPagingTests(app), IClassFixture<SqlitePressRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class NewsroomPagingTestsOnPostgres(PostgresPressRounds app) : NewsroomPagingTests(app), IClassFixture<PostgresPressRounds>;
