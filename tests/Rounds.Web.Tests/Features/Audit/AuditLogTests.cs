using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Audit;

public abstract class AuditLogTests(RoundsFactory app)
{
    [Fact]
    public async Task Governance_actions_are_recorded_with_before_and_after_and_can_be_filtered()
    {
        var admin = await app.CreateUserAsync($"audit-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("audit-" + Guid.NewGuid().ToString("N")[..8], admin);
        var member = await app.CreateUserAsync($"member-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, member, Role.Member);
        var client = await app.ApiClientAsync(admin);

        var members = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/members"));
        var membership = members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == member.Email).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsJsonAsync($"/api/v1/orgs/{org.Slug}/members/{membership}", new { role = "reviewer" })).StatusCode);

        var page = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/audit?action=membership.role_changed"));
        var entry = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Contains("\"member\"", entry.GetProperty("before").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"reviewer\"", entry.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Equal(admin.Email, entry.GetProperty("actor").GetString());

        var all = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/audit"));
        Assert.Contains(all.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "organization.created");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(member)).GetAsync($"/api/v1/orgs/{org.Slug}/audit")).StatusCode);
    }

    /// <summary>The log reads as sentences with a field table, follows one record's history, and exports what it shows as CSV.</summary>
    [Fact]
    public async Task The_log_page_shows_sentences_and_field_tables_filters_by_record_and_exports_csv()
    {
        var admin = await app.CreateUserAsync($"audit-{Guid.NewGuid():N}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("audit-" + Guid.NewGuid().ToString("N")[..8], admin);
        var member = await app.CreateUserAsync($"member-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, member, Role.Member);
        var client = await app.ApiClientAsync(admin);
        var members = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/members"));
        var membership = members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == member.Email).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsJsonAsync($"/api/v1/orgs/{org.Slug}/members/{membership}", new { role = "reviewer" })).StatusCode);

        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        var page = await session.GetAsync($"/o/{org.Slug}/audit?record={membership}");
        var entry = Assert.Single(page.QuerySelectorAll(".audit-entry"));
        Assert.EndsWith("changed the role of the membership.", entry.QuerySelector(".audit-sentence")!.TextContent.Trim(), StringComparison.Ordinal);
        var changed = Assert.Single(entry.QuerySelectorAll(".audit-fields tr.audit-changed"));
        Assert.Equal(["member", "reviewer"], changed.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray());
        Assert.NotNull(page.QuerySelector($"a[href*='audit.csv?record={membership}']"));

        var export = await client.GetAsync($"/api/v1/orgs/{org.Slug}/audit.csv?record={membership}");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("at_utc,who,what,action,record_type,record_id,before,after", lines[0], StringComparison.Ordinal);
        Assert.Contains("changed the role of the membership.", lines[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(member)).GetAsync($"/api/v1/orgs/{org.Slug}/audit.csv")).StatusCode);

        var post = Guid.NewGuid();
        Assert.Equal($"/o/{org.Slug}/posts/{post}", Rounds.Web.Features.Audit.AuditReading.Link(org.Slug, new Rounds.Web.Features.Audit.AuditEntry { EntityType = "Post", EntityId = post.ToString() }));
    }

    [Fact]
    public async Task Audit_rows_cannot_be_changed_or_deleted_by_code_or_by_sql()
    {
        var admin = await app.CreateUserAsync($"audit-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("audit-" + Guid.NewGuid().ToString("N")[..8], admin);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var entry = await db.AuditEntries.FirstAsync(a => a.OrganizationId == org.Id);
            entry.Action = "rewritten";
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
            db.ChangeTracker.Clear();

            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(a => a.OrganizationId == org.Id));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            // The database refuses as well, for anything that bypasses the application.
            await Assert.ThrowsAnyAsync<Exception>(() => db.AuditEntries.Where(a => a.OrganizationId == org.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Action, "rewritten")));
            await Assert.ThrowsAnyAsync<Exception>(() => db.AuditEntries.Where(a => a.OrganizationId == org.Id).ExecuteDeleteAsync());
            Assert.Equal("organization.created", (await db.AuditEntries.AsNoTracking().FirstAsync(a => a.OrganizationId == org.Id)).Action);
        });
    }

    [Fact]
    public async Task The_actor_filter_ignores_case_in_every_script()
    {
        var admin = await app.CreateUserAsync($"audit-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("audit-" + Guid.NewGuid().ToString("N")[..8], admin);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            foreach (var name in UnicodeCase.Pairs.Select(p => p.Stored).Append(UnicodeCase.Unrelated))
            {
                db.AuditEntries.Add(new() { OrganizationId = org.Id, ActorName = name, Action = "case.checked", EntityType = "Check", EntityId = name, At = DateTimeOffset.UtcNow });
            }

            await db.SaveChangesAsync();
        });

        var client = await app.ApiClientAsync(admin);
        foreach (var (stored, typed) in UnicodeCase.Pairs)
        {
            var page = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/orgs/{org.Slug}/audit?action=case.checked&actor={Uri.EscapeDataString(typed)}"));
            Assert.Equal([stored], page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entityId").GetString()));
        }
    }
}

public sealed class AuditLogTestsOnSqlite(SqliteRounds app) : AuditLogTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AuditLogTestsOnPostgres(PostgresRounds app) : AuditLogTests(app), IClassFixture<PostgresRounds>;
