using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>Finding a post among many (filters on the list and the API) and approving several from the queue at once.</summary>
public abstract class PostFilterTests(RoundsFactory app)
{
    private static async Task<List<Guid>> PostIdsAsync(HttpClient api, Organization org, string query)
    {
        var response = await api.GetAsync($"/api/v1/orgs/{org.Slug}/posts?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
    }

    [Fact]
    public async Task The_words_filter_ignores_case_in_every_script()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("filter-" + suffix, admin);
        var x = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var posts = new List<Guid>();
        foreach (var name in UnicodeCase.Pairs.Select(p => p.Stored).Append(UnicodeCase.Unrelated))
        {
            posts.Add((await PostRows.PostAsync(app, org, admin, $"Welcome to the ward, {name}", null, PostStatus.Draft, [x])).Id);
        }

        var api = await app.ApiClientAsync(admin);
        foreach (var (typed, i) in UnicodeCase.Pairs.Select((p, i) => (p.Typed, i)))
        {
            Assert.Equal([posts[i]], await PostIdsAsync(api, org, "q=" + Uri.EscapeDataString(typed)));
        }
    }

    [Fact]
    public async Task Posts_are_filtered_by_status_account_author_day_and_words_and_bad_filters_are_named()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("filter-" + suffix, admin);
        var nurse = await app.CreateUserAsync($"nurse-{suffix}@example.org", "Nia Nurse");
        await app.AddMemberAsync(org, nurse, Role.Contributor);
        var x = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var bluesky = await PostRows.AccountAsync(app, org, "@northfield.bsky.social", Platform.Bluesky);
        var day = new DateTimeOffset(2031, 3, 12, 15, 0, 0, TimeSpan.Zero);
        var flu = await PostRows.PostAsync(app, org, admin, "FLU shots at the Eastside clinic", day, PostStatus.Approved, [x]);
        var blood = await PostRows.PostAsync(app, org, nurse, "Blood drive in the lobby", day.AddDays(5), PostStatus.InReview, [bluesky]);
        var both = await PostRows.PostAsync(app, org, nurse, "Thank you, nurses of the night shift", null, PostStatus.Draft, [x, bluesky]);

        var api = await app.ApiClientAsync(admin);
        Task<List<Guid>> IdsAsync(string query) => PostIdsAsync(api, org, query);

        Assert.Equal([flu.Id], await IdsAsync("q=flu+SHOTS"));
        Assert.Equal([blood.Id], await IdsAsync("status=in_review"));
        Assert.Equal([both.Id, flu.Id], (await IdsAsync($"account={x.Id}")).OrderBy(id => id == flu.Id).ToList());
        Assert.Equal([both.Id, blood.Id], (await IdsAsync($"author={nurse.Id}")).OrderBy(id => id == blood.Id).ToList());
        Assert.Equal([flu.Id], await IdsAsync("from=2031-03-12&to=2031-03-12"));
        Assert.Equal([blood.Id], await IdsAsync($"from=2031-03-13&author={nurse.Id}"));
        Assert.Empty(await IdsAsync($"q=flu&account={bluesky.Id}"));

        foreach (var (query, field) in new[] { ("from=12/03/2031", "from"), ("from=2031-03-20&to=2031-03-10", "to"), ("q=" + new string('a', 201), "q"), ("status=lost", "status") })
        {
            var response = await api.GetAsync($"/api/v1/orgs/{org.Slug}/posts?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), query);
        }

        // The page reads the same filters from its form, and says when a day cannot be read.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var page = await pages.GetAsync($"/o/{org.Slug}/posts?q=blood&account={bluesky.Id}");
        var all = page.QuerySelector("#all-heading")!.ParentElement!;
        Assert.Contains("Blood drive in the lobby", all.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("FLU shots", all.TextContent, StringComparison.Ordinal);
        var bad = await pages.GetAsync($"/o/{org.Slug}/posts?from=yesterday");
        Assert.Contains("yyyy-mm-dd", bad.QuerySelector("[role=alert]")?.TextContent ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_posts_are_approved_from_the_queue_at_once_each_checked_on_its_own()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("bulk-" + suffix, admin);
        var nurse = await app.CreateUserAsync($"nurse-{suffix}@example.org", "Nia Nurse");
        await app.AddMemberAsync(org, nurse, Role.Contributor);
        var x = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var first = await PostRows.PostAsync(app, org, nurse, "Blood drive in the lobby", DateTimeOffset.UtcNow.AddDays(2), PostStatus.InReview, [x]);
        var second = await PostRows.PostAsync(app, org, nurse, "Flu shots on Saturday", DateTimeOffset.UtcNow.AddDays(3), PostStatus.InReview, [x]);
        var blocked = await PostRows.PostAsync(app, org, nurse, "Get well soon to our patient in bed 4", DateTimeOffset.UtcNow.AddDays(4), PostStatus.InReview, [x]);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Set<Post>().SingleAsync(p => p.Id == blocked.Id)).Verdict = Rounds.Screening.Verdict.Block;
            await db.SaveChangesAsync();
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var queue = await pages.GetAsync($"/o/{org.Slug}/posts");
        Assert.NotNull(queue.QuerySelector($"#select-{first.Id:N}"));
        var token = queue.QuerySelectorAll("form").First(f => f.QuerySelector("input[name=_handler]")?.GetAttribute("value") == "bulk-approve")
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await pages.Client.PostAsync($"/o/{org.Slug}/posts", new FormUrlEncodedContent(
        [
            new("_handler", "bulk-approve"), new("__RequestVerificationToken", token),
            new("ids", first.Id.ToString()), new("ids", second.Id.ToString()), new("ids", blocked.Id.ToString()),
        ]));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Approved 2 of 3.", text, StringComparison.Ordinal);
        Assert.Contains("Screening blocked this post", text, StringComparison.Ordinal);

        var statuses = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Post>()
            .Where(p => p.OrganizationId == org.Id).ToDictionaryAsync(p => p.Id, p => p.Status));
        Assert.Equal(PostStatus.Approved, statuses[first.Id]);
        Assert.Equal(PostStatus.Approved, statuses[second.Id]);
        Assert.Equal(PostStatus.InReview, statuses[blocked.Id]);
    }
}

public sealed class PostFilterTestsOnSqlite(SqliteRounds app) : PostFilterTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostFilterTestsOnPostgres(PostgresRounds app) : PostFilterTests(app), IClassFixture<PostgresRounds>;
