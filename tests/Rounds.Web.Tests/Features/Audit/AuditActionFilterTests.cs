using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Audit;

/// <summary>
/// The action filter is a prefix. Sent to the database as LIKE, it used no index (SQLite's LIKE ignores case,
/// PostgreSQL's needs the C collation): the count and the page read the organization's log until they had
/// enough, the whole log for a rare action (1.1 s at a million entries). It must seek each matching action on
/// the (organization, action, at) index and still return exactly the entries whose action starts with the filter.
/// </summary>
public abstract partial class AuditActionFilterTests(RoundsFactory app)
{
    private async Task<(Organization Org, User Admin)> SeededAsync(int entries)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("audf-" + suffix, admin);
        var plan = new SeedPlan(org.Id, [new(admin.Id, admin.Email!, admin.DisplayName, Role.Admin)], Posts: 0, Accounts: 0, AuditEntries: entries, DateTimeOffset.UtcNow);
        await app.WithScopeAsync(services => services.GetServices<ISeedData>().Single(s => s.GetType().Name == "SeedAudit").SeedAsync(plan));
        return (org, admin);
    }

    [Theory]
    [InlineData("post.approved")]
    [InlineData("POST.R")]
    [InlineData("account.")]
    [InlineData("organization.updated")]
    [InlineData("nothing.like.this")]
    public async Task A_prefix_finds_exactly_the_entries_whose_action_starts_with_it_newest_first_across_pages(string prefix)
    {
        var (org, _) = await SeededAsync(1500);
        await app.WithScopeAsync(async services =>
        {
            var query = services.GetRequiredService<AuditQuery>();
            var db = services.GetRequiredService<RoundsDbContext>();
            var expected = (await db.AuditEntries.Where(a => a.OrganizationId == org.Id).Select(a => new { a.Id, a.At, a.Action }).ToListAsync())
                .Where(a => a.Action.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Id).ToList();

            var seen = new List<long>();
            AuditCursor? after = null;
            do
            {
                var page = await query.FindAsync(org.Id, new AuditFilter(Action: prefix, After: after, PageSize: 40));
                Assert.Equal(expected.Count, page.Total);
                seen.AddRange(page.Entries.Select(e => e.Id));
                after = page.Next;
            }
            while (after is not null);

            Assert.Equal(expected, seen);
        });
    }

    [Fact]
    public async Task The_filtered_audit_page_seeks_each_action_on_the_action_index_instead_of_matching_a_pattern()
    {
        var (org, admin) = await SeededAsync(2000);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        using var log = SqlCommandLog.Start(app);
        // "account." names three actions (read together, merged), "organization." one.
        foreach (var prefix in new[] { "account.", "organization." })
        {
            var response = await pages.Client.SendAsync(log.Get($"/o/{org.Slug}/audit?action={prefix}"));
            response.EnsureSuccessStatusCode();
        }

        var filtered = log.Commands.Where(c => c.Contains("\"AuditEntries\"", StringComparison.Ordinal) && c.Contains("\"Action\" ", StringComparison.Ordinal)
            && !c.Contains("\"Action\" > ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(filtered);
        Assert.All(filtered, c => Assert.DoesNotContain(" LIKE ", c, StringComparison.OrdinalIgnoreCase));

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            if (!db.Database.IsSqlite())
            {
                return;
            }

            // The plan is fixed when the statement is prepared, so unbound (null) parameters show it as well.
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            foreach (var sql in filtered)
            {
                await using var explain = connection.CreateCommand();
                explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
                foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct())
                {
                    var parameter = explain.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = DBNull.Value;
                    explain.Parameters.Add(parameter);
                }

                var plan = await ReadPlanAsync(explain);
                Assert.Contains("IX_AuditEntries_OrganizationId_Action_At (OrganizationId=? AND Action=?", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("IX_AuditEntries_OrganizationId_At", plan, StringComparison.Ordinal);
            }
        });
    }

    private static async Task<string> ReadPlanAsync(DbCommand explain)
    {
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}

public sealed class AuditActionFilterTestsOnSqlite(SqliteRounds app) : AuditActionFilterTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AuditActionFilterTestsOnPostgres(PostgresRounds app) : AuditActionFilterTests(app), IClassFixture<PostgresRounds>;
