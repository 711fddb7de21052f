using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>
/// The review queue and the posts list answer one bounded page at a time (they used to return every waiting post,
/// and 500 posts, in one response): pages follow the Link header's cursor with no duplicates or gaps, in a stable
/// order, while posts are added between pages; ties on time are broken by id.
/// </summary>
public abstract class PostPagingTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Reviewer, User Contributor, SocialAccount Account);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("page-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var account = await PostRows.AccountAsync(app, org, "@PagingClinic", Platform.X);
        return new Cast(org, reviewer, contributor, account);
    }

    /// <summary>Posts in review written in one go; several share a time so that only the id orders them.</summary>
    private Task<List<Guid>> InReviewAsync(Cast c, int count, DateTimeOffset? firstAt, DateTimeOffset submitted) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var post = new Post
            {
                OrganizationId = c.Org.Id, AuthorId = c.Contributor.Id, AuthorName = c.Contributor.DisplayName, Text = $"Clinic hours update {i}",
                ScheduledAt = firstAt?.AddHours(i / 3), Status = PostStatus.InReview, CreatedAt = submitted, UpdatedAt = submitted.AddSeconds(i / 4), SubmittedAt = submitted,
            };
            db.Add(post);
            db.Add(new PostRevision { OrganizationId = c.Org.Id, PostId = post.Id, Revision = 1, EditorId = c.Contributor.Id, EditorName = c.Contributor.DisplayName, At = submitted, Texts = "{}" });
            db.Add(new PostTarget { OrganizationId = c.Org.Id, PostId = post.Id, AccountId = c.Account.Id, IdempotencyKey = Guid.NewGuid().ToString("N") });
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
    public async Task Review_queue_pages_follow_the_cursor_without_duplicates_or_gaps_while_posts_arrive()
    {
        var c = await CastAsync();
        var now = DateTimeOffset.UtcNow;
        var unscheduled = await InReviewAsync(c, 5, null, now.AddHours(-5));
        var scheduled = await InReviewAsync(c, 115, now.AddDays(1), now.AddHours(-4));
        var client = await app.ApiClientAsync(c.Reviewer);

        var seen = new List<Guid>();
        var url = $"/api/v1/orgs/{c.Org.Slug}/review-queue";
        var pages = 0;
        while (url is not null)
        {
            var (items, next) = await PageAsync(client, url);
            Assert.InRange(items.Count, 1, PostQueries.QueuePageSize);
            seen.AddRange(items.Select(i => i.GetProperty("id").GetGuid()));
            if (pages++ == 0)
            {
                // Arrives after the first page, due last: it shows up on a later page, and nothing shifts.
                scheduled.AddRange(await InReviewAsync(c, 1, now.AddDays(30), now));
            }

            url = next!;
        }

        Assert.Equal(3, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Unscheduled posts first (they go out as soon as approved), then by time; equal times keep one order.
        Assert.Equal(unscheduled.Concat(scheduled).Order().ToList(), seen.Order().ToList());
        Assert.Equal(unscheduled.ToHashSet(), seen.Take(5).ToHashSet());
    }

    [Fact]
    public async Task Each_row_names_its_accounts_by_network_then_handle_in_the_queue_and_the_list()
    {
        var c = await CastAsync();
        var bluesky = await PostRows.AccountAsync(app, c.Org, "clinic.bsky.social", Platform.Bluesky);
        var second = await PostRows.AccountAsync(app, c.Org, "@AnotherClinic", Platform.X);
        var ids = await InReviewAsync(c, 1, null, DateTimeOffset.UtcNow.AddHours(-1));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(new PostTarget { OrganizationId = c.Org.Id, PostId = ids[0], AccountId = bluesky.Id, IdempotencyKey = Guid.NewGuid().ToString("N") });
            db.Add(new PostTarget { OrganizationId = c.Org.Id, PostId = ids[0], AccountId = second.Id, IdempotencyKey = Guid.NewGuid().ToString("N") });
            await db.SaveChangesAsync();
        });

        string[] expected = ["@AnotherClinic (X (Twitter))", "@PagingClinic (X (Twitter))", "clinic.bsky.social (Bluesky)"];
        var (queue, _) = await PageAsync(await app.ApiClientAsync(c.Reviewer), $"/api/v1/orgs/{c.Org.Slug}/review-queue");
        var (list, _) = await PageAsync(await app.ApiClientAsync(c.Contributor), $"/api/v1/orgs/{c.Org.Slug}/posts?mine=true");
        foreach (var item in new[] { queue.Single(), list.Single() })
        {
            Assert.Equal(expected, item.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()).ToArray());
        }
    }

    [Fact]
    public async Task Review_queue_and_posts_list_refuse_a_cursor_they_did_not_issue()
    {
        var c = await CastAsync();
        var client = await app.ApiClientAsync(c.Reviewer);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{c.Org.Slug}/review-queue?after=x.1.2.nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{c.Org.Slug}/posts?after=12345")).StatusCode);
    }

    [Fact]
    public async Task Posts_list_pages_follow_the_cursor_newest_change_first()
    {
        var c = await CastAsync();
        var now = DateTimeOffset.UtcNow;
        var ids = await InReviewAsync(c, 230, now.AddDays(1), now.AddHours(-1));
        var client = await app.ApiClientAsync(c.Contributor);

        var seen = new List<JsonElement>();
        string? url = $"/api/v1/orgs/{c.Org.Slug}/posts?mine=true";
        var pages = 0;
        while (url is not null)
        {
            var (items, next) = await PageAsync(client, url);
            Assert.InRange(items.Count, 1, PostQueries.ListPageSize);
            Assert.True(next is null || next.Contains("mine=true", StringComparison.Ordinal), next);
            seen.AddRange(items);
            if (pages++ == 0)
            {
                // A new post goes to the top of the list, which has been read already: later pages neither repeat nor skip.
                await InReviewAsync(c, 1, now.AddDays(2), now);
            }

            url = next;
        }

        Assert.Equal(3, pages);
        var seenIds = seen.Select(i => i.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Order().ToList(), seenIds.Order().ToList());
        var updated = seen.Select(i => i.GetProperty("updatedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(updated.OrderDescending().ToList(), updated);
    }
}

public sealed class PostPagingTestsOnSqlite(SqliteRounds app) : PostPagingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostPagingTestsOnPostgres(PostgresRounds app) : PostPagingTests(app), IClassFixture<PostgresRounds>;
