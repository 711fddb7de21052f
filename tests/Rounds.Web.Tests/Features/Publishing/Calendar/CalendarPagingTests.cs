using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// The calendar API answered every entry of its range at once (2 MB for four weeks at 100,000 posts) and the feed
/// a year and a quarter of every organization: the API now pages in time order with a cursor in the Link header,
/// with no duplicates or gaps while posts are added, and the feed holds a bounded number of posts.
/// </summary>
public abstract class CalendarPagingTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Admin, SocialAccount Account);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("calpage-" + suffix, admin);
        return new Cast(org, admin, await PostRows.AccountAsync(app, org, "@NorthfieldHealth"));
    }

    /// <summary>Approved posts, three to an hour so that only the id orders some; unscheduled ones sit at their copy's publication.</summary>
    private Task<List<Guid>> PostsAsync(Cast c, int count, DateTimeOffset first, bool scheduled = true) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var at = first.AddHours(i / 3);
            var post = new Post
            {
                OrganizationId = c.Org.Id, AuthorId = c.Admin.Id, AuthorName = c.Admin.DisplayName, Text = $"Vaccination clinic {i}",
                ScheduledAt = scheduled ? at : null, CalendarAt = at, Status = scheduled ? PostStatus.Approved : PostStatus.Published, CreatedAt = now, UpdatedAt = now, ApprovedAt = now,
            };
            db.Add(post);
            db.Add(new PostTarget
            {
                OrganizationId = c.Org.Id, PostId = post.Id, AccountId = c.Account.Id, IdempotencyKey = Guid.NewGuid().ToString("N"),
                Status = scheduled ? DeliveryStatus.Waiting : DeliveryStatus.Published, PublishedAt = scheduled ? null : at,
            });
            ids.Add(post.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    });

    private static async Task<(List<JsonElement> Items, string? Next)> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
        return (items, link is null ? null : link[1..link.IndexOf('>', StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task Calendar_api_pages_follow_the_cursor_in_time_order_without_duplicates_or_gaps_while_posts_arrive()
    {
        var c = await CastAsync();
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(10), TimeSpan.Zero);
        var expected = await PostsAsync(c, CalendarEndpoints.PageSize + 30, start);
        // Published as soon as approved, at the same hours as scheduled ones: the two kinds interleave.
        expected.AddRange(await PostsAsync(c, 9, start.AddHours(60), scheduled: false));
        var client = await app.ApiClientAsync(c.Admin);

        var from = Uri.EscapeDataString(start.ToString("O"));
        var to = Uri.EscapeDataString(start.AddDays(30).ToString("O"));
        string? url = $"/api/v1/orgs/{c.Org.Slug}/calendar?from={from}&to={to}";
        var seen = new List<JsonElement>();
        var pages = 0;
        while (url is not null)
        {
            var (items, next) = await PageAsync(client, url);
            Assert.InRange(items.Count, 1, CalendarEndpoints.PageSize);
            seen.AddRange(items);
            if (pages++ == 0)
            {
                // One arrives after the page read (it shows up later), one before it (already read past: not repeated, nothing shifts).
                expected.AddRange(await PostsAsync(c, 1, start.AddDays(20)));
                await PostsAsync(c, 1, start);
            }

            url = next;
        }

        Assert.Equal(2, pages);
        var ids = seen.Select(i => i.GetProperty("postId").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Order().ToList(), ids.Order().ToList());
        var keys = seen.Select(i => (At: i.GetProperty("at").GetDateTimeOffset(), Id: i.GetProperty("postId").GetGuid())).ToList();
        Assert.Equal(keys.OrderBy(k => k.At).ThenBy(k => k.Id).ToList(), keys);
    }

    [Fact]
    public async Task Calendar_api_refuses_a_cursor_it_did_not_issue()
    {
        var c = await CastAsync();
        var client = await app.ApiClientAsync(c.Admin);
        var response = await client.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&after=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("after", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_calendar_feed_holds_at_most_its_limit_the_earliest_of_its_range()
    {
        var c = await CastAsync();
        var start = DateTimeOffset.UtcNow.AddDays(1);
        var ids = await PostsAsync(c, CalendarFeeds.MaxPosts + 20, start);
        var token = await app.WithScopeAsync(services => services.GetRequiredService<CalendarFeeds>().ResetAsync(c.Admin.Id));

        var ics = await app.CreateClient().GetStringAsync($"/calendar/{token}.ics");
        var events = ics.Split("BEGIN:VEVENT").Length - 1;
        Assert.Equal(CalendarFeeds.MaxPosts, events);
        Assert.Contains($"{ids[0]:N}", ics, StringComparison.Ordinal);
        Assert.DoesNotContain($"{ids[^1]:N}", ics, StringComparison.Ordinal);
    }
}

public sealed class CalendarPagingTestsOnSqlite(SqliteRounds app) : CalendarPagingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarPagingTestsOnPostgres(PostgresRounds app) : CalendarPagingTests(app), IClassFixture<PostgresRounds>;
