using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>
/// The roster read every physician of the organization into memory and searched them there, and answered them all
/// at once. It now answers pages in (name, NPI) order from the database, filtered and counted there, with the next
/// page's cursor in the Link header and next and previous links on the page.
/// </summary>
public abstract class RosterPagingTests(RoundsFactory app)
{
    private const int Rows = 260;

    [Fact]
    public async Task Roster_pages_follow_the_cursor_without_duplicates_or_gaps_while_physicians_are_added()
    {
        var (org, admin) = await OrgAsync();
        // Three physicians share each name, so the NPI must break ties the same way on every page.
        var expected = await AddAsync(org, Enumerable.Range(0, Rows).Select(i => ($"Physician {i / 3:000}", 1_000_000_000L + i)).ToList());
        var api = await app.ApiClientAsync(admin);

        var seen = new List<(Guid Id, string Name, string Npi)>();
        string? next = $"/api/v1/orgs/{org.Slug}/engagement/physicians";
        var pages = 0;
        while (next is not null)
        {
            var response = await api.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
                .Select(p => (p.GetProperty("id").GetGuid(), p.GetProperty("name").GetString()!, p.GetProperty("npi").GetString()!)).ToList();
            Assert.InRange(page.Count, 1, Roster.PageSize);
            seen.AddRange(page);
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
            Assert.Equal(next is not null, response.Headers.Contains("X-Next-Cursor"));

            // Physicians added meanwhile: one sorting before every page so far, one sharing the last name read, one after.
            var last = page[^1].Item2;
            await AddAsync(org, [("Physician 000", 1_100_000_000L + pages), (last, 1_200_000_000L + pages), ($"Physician {500 + pages:000}", 1_300_000_000L + pages)]);
        }

        Assert.Equal(3, pages);
        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Empty(expected.Except(seen.Select(s => s.Id)));
        var keys = seen.Select(s => (s.Name, s.Npi)).ToList();
        Assert.Equal(keys.OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Npi, StringComparer.Ordinal), keys);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians?after=not-a-cursor")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians?after=12345.Physician")).StatusCode);
    }

    [Fact]
    public async Task Filters_and_search_are_applied_by_the_database_and_ignore_case_beyond_ascii()
    {
        var (org, admin) = await OrgAsync();
        await AddAsync(org, Enumerable.Range(0, 150).Select(i => ($"Physician {i:000}", 1_000_000_000L + i)).ToList(), department: i => i % 2 == 0 ? "Cardiology" : "Oncology", left: i => i % 10 == 0);
        await AddAsync(org, [("Émile Ødegaard", 1_999_999_999L)], department: _ => "Oncology");
        var api = await app.ApiClientAsync(admin);
        var roster = $"/api/v1/orgs/{org.Slug}/engagement/physicians";

        // Cardiology has 75, of whom 15 have left: 60 now, over one page.
        var cardiology = await ReadAllAsync(api, $"{roster}?department=Cardiology");
        Assert.Equal(60, cardiology.Count);
        Assert.Equal(75, (await ReadAllAsync(api, $"{roster}?department=Cardiology&includeLeft=true")).Count);

        // A search matches names whatever their case, on SQLite (whose lower() knows only ASCII) as on PostgreSQL, and NPIs from their start.
        Assert.Equal("Émile Ødegaard", Assert.Single(await ReadAllAsync(api, $"{roster}?search=%C3%A9MILE %C3%B8DE")).GetProperty("name").GetString());
        Assert.Equal(10, (await ReadAllAsync(api, $"{roster}?search=physician 01&includeLeft=true")).Count);
        Assert.Equal(10, (await ReadAllAsync(api, $"{roster}?search=100000001&includeLeft=true")).Count);
        Assert.Empty(await ReadAllAsync(api, $"{roster}?search=00000001"));
    }

    [Fact]
    public async Task The_roster_page_counts_every_match_and_links_to_the_next_and_previous_pages()
    {
        var (org, admin) = await OrgAsync();
        await AddAsync(org, Enumerable.Range(0, Rows).Select(i => ($"Physician {i:000}", 1_000_000_000L + i)).ToList());
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);

        var first = await pages.GetAsync($"/o/{org.Slug}/engagement");
        Assert.Contains($"{Rows} physicians", first.QuerySelector("main")!.TextContent);
        Assert.Equal(Roster.PageSize, Names(first).Count);
        Assert.Null(Link(first, "Previous page"));

        var second = await pages.GetAsync(Link(first, "Next page")!);
        Assert.Equal("Physician 100", Names(second)[0]);
        var third = await pages.GetAsync(Link(second, "Next page")!);
        Assert.Equal(Rows - 2 * Roster.PageSize, Names(third).Count);
        Assert.Null(Link(third, "Next page"));

        var back = await pages.GetAsync(Link(third, "Previous page")!);
        Assert.Equal(Names(second), Names(back));
        var start = await pages.GetAsync(Link(back, "Previous page")!);
        Assert.Equal(Names(first), Names(start));
        Assert.Null(Link(start, "Previous page"));

        var refused = await pages.GetAsync($"/o/{org.Slug}/engagement?after=yesterday");
        Assert.Contains("not one this roster gave out", refused.QuerySelector("main")!.TextContent);
        Assert.Equal(Names(first), Names(refused));
    }

    private static List<string> Names(IDocument page) =>
        page.QuerySelectorAll("table tbody tr td:first-child a").Select(a => a.TextContent.Trim()).ToList();

    private static string? Link(IDocument page, string text) =>
        page.QuerySelectorAll("nav.pager a").FirstOrDefault(a => a.TextContent.Trim() == text)?.GetAttribute("href");

    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient api, string url)
    {
        var all = new List<JsonElement>();
        for (string? next = url; next is not null;)
        {
            var response = await api.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            all.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
        }

        return all;
    }

    private Task<List<Guid>> AddAsync(Organization org, List<(string Name, long Npi)> people, Func<int, string>? department = null, Func<int, bool>? left = null) =>
        app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var added = people.Select((p, i) => new Physician
            {
                OrganizationId = org.Id, Npi = p.Npi.ToString(System.Globalization.CultureInfo.InvariantCulture), Name = p.Name, Department = department?.Invoke(i) ?? "Medicine",
                EndDate = left?.Invoke(i) == true ? today.AddYears(-1) : null, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            }).ToList();
            db.AddRange(added);
            await db.SaveChangesAsync();
            return added.Select(p => p.Id).ToList();
        });

    private async Task<(Organization, User)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"roster-paging-{suffix}@example.org");
        return (await app.CreateOrganizationAsync("roster-paging-" + suffix, admin), admin);
    }
}

public sealed class RosterPagingTestsOnSqlite(SqliteRounds app) : RosterPagingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class RosterPagingTestsOnPostgres(PostgresRounds app) : RosterPagingTests(app), IClassFixture<PostgresRounds>;
