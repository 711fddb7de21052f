using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Accounts;

/// <summary>
/// The registry list (page and API) answered every matching account at once; a health system has thousands. It
/// now pages in (platform, handle) order with a cursor, with no duplicates or gaps while accounts are added, and
/// the filters and the count are computed in the database.
/// </summary>
public abstract class AccountPagingTests(RoundsFactory app)
{
    private async Task<(Organization Org, User Admin)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        return (await app.CreateOrganizationAsync("accpage-" + suffix, admin), admin);
    }

    private Task<List<Guid>> AccountsAsync(Organization org, string prefix, int count, Platform platform, AccountStatus status = AccountStatus.Active) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var handle = $"@{prefix}{i:D3}";
            var account = new SocialAccount
            {
                OrganizationId = org.Id, Platform = platform, Handle = handle, NormalizedHandle = handle.TrimStart('@').ToLowerInvariant(), Kind = AccountKind.Department,
                Status = status, Owners = "owner@example.org", Backup = "", CreatedAt = now, StatusChangedAt = now,
            };
            db.Add(account);
            ids.Add(account.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    });

    [Fact]
    public async Task Account_api_pages_follow_the_cursor_without_duplicates_or_gaps_while_accounts_are_added()
    {
        var (org, admin) = await OrgAsync();
        var expected = await AccountsAsync(org, "clinic", 130, Platform.X);
        expected.AddRange(await AccountsAsync(org, "clinic", 90, Platform.Facebook));
        await AccountsAsync(org, "retired", 5, Platform.X, AccountStatus.Retired);
        var client = await app.ApiClientAsync(admin);

        var seen = new List<JsonElement>();
        string? url = $"/api/v1/orgs/{org.Slug}/accounts?status=active";
        var pages = 0;
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, AccountRegistry.PageSize);
            seen.AddRange(items);
            var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
            url = link is null ? null : link[1..link.IndexOf('>', StringComparison.Ordinal)];
            Assert.True(url is null || url.Contains("status=active", StringComparison.Ordinal), url);
            if (pages++ == 0)
            {
                // Sorts before the page read (not repeated, nothing shifts) and after it (shows up later).
                await AccountsAsync(org, "aaa", 1, Platform.Facebook);
                expected.AddRange(await AccountsAsync(org, "zzz", 1, Platform.X));
            }
        }

        Assert.Equal(3, pages);
        var ids = seen.Select(i => i.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Order().ToList(), ids.Order().ToList());
        Assert.All(seen, i => Assert.Equal("active", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Account_api_refuses_a_cursor_it_did_not_issue()
    {
        var (org, admin) = await OrgAsync();
        var client = await app.ApiClientAsync(admin);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?after=nowhere.clinic")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?after=12345")).StatusCode);
    }

    [Fact]
    public async Task The_accounts_page_shows_one_page_the_total_and_a_next_page_link_that_keeps_the_filter()
    {
        var (org, admin) = await OrgAsync();
        await AccountsAsync(org, "dept", AccountRegistry.PageSize + 20, Platform.Instagram);
        await AccountsAsync(org, "other", 3, Platform.X);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);

        var first = await pages.GetAsync($"/o/{org.Slug}/accounts?platform=instagram");
        Assert.Equal(AccountRegistry.PageSize, first.QuerySelectorAll("tbody tr").Length);
        Assert.Contains($"{AccountRegistry.PageSize + 20} accounts", first.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var next = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        Assert.Contains("platform=instagram", next, StringComparison.Ordinal);

        var second = await pages.GetAsync(next);
        var handles = second.QuerySelectorAll("tbody tr td.account-handle").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(Enumerable.Range(AccountRegistry.PageSize, 20).Select(i => $"@dept{i:D3}"), handles);
        Assert.Null(second.QuerySelector(".pager a[rel=next]"));
        Assert.NotNull(second.QuerySelector(".pager a:not([rel])"));
    }
}

public sealed class AccountPagingTestsOnSqlite(SqliteRounds app) : AccountPagingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AccountPagingTestsOnPostgres(PostgresRounds app) : AccountPagingTests(app), IClassFixture<PostgresRounds>;
