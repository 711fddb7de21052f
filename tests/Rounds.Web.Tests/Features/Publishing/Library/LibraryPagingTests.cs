using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Library;

/// <summary>
/// A library search for a common word answered up to 200 items at once and no more, with no way to the rest. It
/// now answers pages of 50 newest first, read by the database up to one page, with the next page's cursor in the
/// Link header and page links on the page.
/// </summary>
public abstract class LibraryPagingTests(RoundsFactory app)
{
    [Fact]
    public async Task A_common_word_pages_without_duplicates_or_gaps_while_items_are_added()
    {
        var (org, admin) = await OrgAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        // Three items share each moment, so the id has to break ties the same way on every page; every fifth lacks the word.
        var matching = (await AddAsync(org, 260, i => start.AddMinutes(i / 3), i => i % 5 == 0 ? "Visiting hours" : "Our clinic opens early"))
            .Where(m => m.Value.Text.Contains("clinic", StringComparison.Ordinal)).ToDictionary(m => m.Key, m => m.Value.At);
        var api = await app.ApiClientAsync(admin);

        var seen = new List<Guid>();
        string? next = $"/api/v1/orgs/{org.Slug}/library?q=CLINIC";
        var pages = 0;
        while (next is not null)
        {
            var response = await api.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(page.Count, 1, LibraryCatalog.PageSize);
            seen.AddRange(page);
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;

            // An item added meanwhile is newer than every page so far: it belongs before them, not in a later page.
            var added = await AddAsync(org, 1, _ => DateTimeOffset.UtcNow, _ => "Another clinic");
            Assert.DoesNotContain(added.Keys.Single(), seen);
        }

        Assert.Equal(208, matching.Count);
        Assert.Equal(5, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(matching.Keys.Order(), seen.Order());
        var times = seen.Select(id => matching[id]).ToList();
        Assert.Equal(times.OrderDescending(), times);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/library?q=clinic&after=12.not-an-id")).StatusCode);
    }

    [Fact]
    public async Task The_library_page_links_to_the_next_page_keeping_the_words()
    {
        var (org, admin) = await OrgAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        await AddAsync(org, LibraryCatalog.PageSize + 7, i => start.AddMinutes(i), _ => "Flu shots at every clinic");
        await AddAsync(org, 3, i => start.AddDays(1).AddMinutes(i), _ => "Visiting hours");
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);

        var first = await pages.GetAsync($"/o/{org.Slug}/library?q=clinic");
        Assert.Equal(LibraryCatalog.PageSize, Items(first).Count);
        var nextLink = Link(first, "Next page")!;
        Assert.Contains("q=clinic", nextLink, StringComparison.Ordinal);
        var second = await pages.GetAsync(nextLink);
        Assert.Equal(7, Items(second).Count);
        Assert.Null(Link(second, "Next page"));
        Assert.Empty(Items(first).Intersect(Items(second)));
        Assert.NotNull(Link(second, "First page"));

        var refused = await pages.GetAsync($"/o/{org.Slug}/library?q=clinic&after=nonsense");
        Assert.Contains("not one this library gave out", refused.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Items(first), Items(refused));
    }

    private static List<string> Items(IDocument page) => page.QuerySelectorAll("article.library-item").Select(a => a.GetAttribute("aria-labelledby")!).ToList();

    private static string? Link(IDocument page, string text) =>
        page.QuerySelectorAll("nav.pager a").FirstOrDefault(a => a.TextContent.Trim() == text)?.GetAttribute("href");

    private Task<Dictionary<Guid, (DateTimeOffset At, string Text)>> AddAsync(Organization org, int count, Func<int, DateTimeOffset> at, Func<int, string> text) =>
        app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var added = new Dictionary<Guid, (DateTimeOffset, string)>();
            for (var i = 0; i < count; i++)
            {
                // Whole seconds, which PostgreSQL (microseconds) and SQLite store alike.
                var when = DateTimeOffset.FromUnixTimeSeconds(at(i).ToUnixTimeSeconds());
                var item = new LibraryItem { OrganizationId = org.Id, Title = $"Item {i}", Text = text(i), Tags = "news", CreatedBy = "Avery Admin", CreatedAt = when };
                added[item.Id] = (when, item.Text);
                db.Add(item);
            }

            await db.SaveChangesAsync();
            return added;
        });

    private async Task<(Organization, User)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"library-paging-{suffix}@example.org");
        return (await app.CreateOrganizationAsync("library-paging-" + suffix, admin), admin);
    }
}

public sealed class LibraryPagingTestsOnSqlite(SqliteRounds app) : LibraryPagingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class LibraryPagingTestsOnPostgres(PostgresRounds app) : LibraryPagingTests(app), IClassFixture<PostgresRounds>;
