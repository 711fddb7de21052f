using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Audit;

/// <summary>
/// Deep pages of the audit log were an offset (page 2,000 read and skipped 100,000 newer entries, and shifted
/// whenever an entry was written); they now follow a cursor, newest first, with no duplicates or gaps while the
/// log grows, in the API and on the page.
/// </summary>
public abstract class AuditPagingTests(RoundsFactory app)
{
    private Task<List<long>> EntriesAsync(Organization org, int count, DateTimeOffset first) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var added = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            // Four to a second, so that only the id orders some of them.
            var entry = new AuditEntry { OrganizationId = org.Id, ActorName = "Ada Admin", Action = "paging.checked", EntityType = "Check", EntityId = $"{i}", At = first.AddSeconds(i / 4) };
            db.AuditEntries.Add(entry);
            added.Add(entry);
        }

        await db.SaveChangesAsync();
        return added.Select(e => e.Id).ToList();
    });

    [Fact]
    public async Task Audit_api_pages_follow_the_cursor_newest_first_without_duplicates_or_gaps_while_entries_are_written()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("audpage-" + suffix, admin);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var expected = await EntriesAsync(org, 120, start);
        var client = await app.ApiClientAsync(admin);

        var seen = new List<JsonElement>();
        string? url = $"/api/v1/orgs/{org.Slug}/audit?action=paging.";
        var pages = 0;
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var entries = body.GetProperty("entries").EnumerateArray().ToList();
            Assert.InRange(entries.Count, 1, 50);
            Assert.Equal(pages == 0 ? 120 : 123, body.GetProperty("total").GetInt32());
            seen.AddRange(entries);
            var next = body.GetProperty("next").ValueKind == JsonValueKind.String ? body.GetProperty("next").GetString() : null;
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
            url = next is null ? null : $"/api/v1/orgs/{org.Slug}/audit?action=paging.&after={next}";
            if (pages++ == 0)
            {
                // Newer than everything read: it belongs to the first page, and shifts nothing on the next ones.
                await EntriesAsync(org, 3, DateTimeOffset.UtcNow);
            }
        }

        Assert.Equal(3, pages);
        var ids = seen.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Order().ToList(), ids.Order().ToList());
        var keys = seen.Select(e => (At: e.GetProperty("at").GetDateTimeOffset(), Id: e.GetProperty("id").GetInt64())).ToList();
        Assert.Equal(keys.OrderByDescending(k => k.At).ThenByDescending(k => k.Id).ToList(), keys);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/audit?after=page-2")).StatusCode);
    }

    [Fact]
    public async Task The_audit_page_links_to_the_next_page_by_cursor_and_back_to_the_first()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("audpage-" + suffix, admin);
        var ids = await EntriesAsync(org, 70, DateTimeOffset.UtcNow.AddHours(-1));
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);

        var first = await pages.GetAsync($"/o/{org.Slug}/audit?action=paging.");
        Assert.Equal(50, first.QuerySelectorAll("tbody tr").Length);
        var next = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        Assert.Contains("after=", next, StringComparison.Ordinal);
        Assert.Contains("action=paging.", next, StringComparison.Ordinal);

        var second = await pages.GetAsync(next);
        Assert.Equal(20, second.QuerySelectorAll("tbody tr").Length);
        Assert.Null(second.QuerySelector(".pager a[rel=next]"));
        Assert.Contains("70 entries", second.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var back = second.QuerySelector(".pager a:not([rel])")!.GetAttribute("href")!;
        Assert.DoesNotContain("after=", back, StringComparison.Ordinal);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}

public sealed class AuditPagingTestsOnSqlite(SqliteRounds app) : AuditPagingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AuditPagingTestsOnPostgres(PostgresRounds app) : AuditPagingTests(app), IClassFixture<PostgresRounds>;
