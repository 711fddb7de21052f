using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.PressRoom;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// The team's release list answered every release of the organization at once, read into memory and sorted
/// there. It now answers pages of 50 in the database's order, with the next page's cursor in the Link header.
/// </summary>
public abstract class PressReleasePagingTests(PressRounds app)
{
    [Fact]
    public async Task Release_pages_follow_the_cursor_without_duplicates_or_gaps_while_releases_are_added()
    {
        var cast = await app.CastAsync();
        var start = app.Clock.GetUtcNow();
        // Three releases share each change time, so the id has to break ties the same way on every page.
        var changed = new Dictionary<Guid, DateTimeOffset>();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            for (var i = 0; i < 120; i++)
            {
                var at = start.AddMinutes(-(i / 3));
                var release = new PressRelease { OrganizationId = cast.Org.Id, Title = $"Release {i}", Status = ReleaseStatus.Draft, CreatedAt = at, UpdatedAt = at };
                changed[release.Id] = at;
                db.Add(release);
            }

            return await db.SaveChangesAsync();
        });

        var team = await app.ApiClientAsync(cast.Admin);
        var seen = new List<Guid>();
        string? next = $"/api/v1/orgs/{cast.Org.Slug}/press/releases";
        var pages = 0;
        while (next is not null)
        {
            var (items, link) = await PageAsync(team, next);
            Assert.InRange(items.Count, 1, PressEndpoints.ListPageSize);
            seen.AddRange(items);
            next = link;
            pages++;

            // A release written meanwhile is newer than every page so far: it belongs before them, not in a later page.
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            var added = await app.CreateReleaseAsync(cast, $"Written while paging {pages}");
            Assert.DoesNotContain(added, seen);
        }

        Assert.Equal(3, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(changed.Keys.Order(), seen.Order());
        var times = seen.Select(id => changed[id]).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task A_cursor_the_list_did_not_issue_is_refused()
    {
        var cast = await app.CastAsync();
        var team = await app.ApiClientAsync(cast.Admin);
        var response = await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases?after=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<(List<Guid> Items, string? Next)> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
        return (items, link is null ? null : link[1..link.IndexOf('>', StringComparison.Ordinal)]);
    }
}

public sealed class PressReleasePagingTestsOnSqlite(SqlitePressRounds app) : PressReleasePagingTests(app), IClassFixture<SqlitePressRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PressReleasePagingTestsOnPostgres(PostgresPressRounds app) : PressReleasePagingTests(app), IClassFixture<PostgresPressRounds>;
