using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// Each calendar day, and its "and N more" count, must be one range seek on the (organization, placement, id,
/// status) index, in its order: before the placement was stored, posts without a time were found by walking every
/// copy published in the range on the copies' index, the calendar's main cost at a million posts.
/// </summary>
public abstract partial class CalendarPlanTests(RoundsFactory app)
{
    [Fact]
    public async Task The_month_reads_each_day_and_its_count_as_a_range_of_the_placement_index_without_the_copies()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("plan-" + suffix, admin);
        SocialAccount[] accounts = [await PostRows.AccountAsync(app, org, "@NorthfieldHealth")];
        var day = new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 8; i++)
        {
            // Half without a time, placed where their copy went out.
            await PostRows.PostAsync(app, org, admin, $"Clinic update {i}", i % 2 == 0 ? day.AddMinutes(i) : null, PostStatus.Published, accounts, DeliveryStatus.Published, day.AddMinutes(i));
        }

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        using var log = SqlCommandLog.Start(app);
        var response = await pages.Client.SendAsync(log.Get($"/o/{org.Slug}/calendar?view=month&date=2026-03-01"));
        response.EnsureSuccessStatusCode();
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(Rounds.Web.Features.Publishing.Calendar.Pages.CalendarPage.PerDayInMonth, document.QuerySelectorAll(".calendar-entry").Length);

        var days = log.Commands.Where(c => c.Contains("\"CalendarAt\" >=", StringComparison.Ordinal)).ToList();
        // The days' entries, each day's rows carrying its count, in one command.
        Assert.Single(days);
        Assert.Contains("count(*)", days[0], StringComparison.OrdinalIgnoreCase);
        Assert.All(days, c => Assert.DoesNotContain("\"PublishedAt\"", c, StringComparison.Ordinal));

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
            foreach (var sql in days)
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
                Assert.Contains("IX_Post_OrganizationId_CalendarAt_Id_Status (OrganizationId=? AND CalendarAt>? AND CalendarAt<?)", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("PostTarget", plan, StringComparison.Ordinal);
                // Read in index order, never sorted.
                Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan, StringComparison.Ordinal);
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

public sealed class CalendarPlanTestsOnSqlite(SqliteRounds app) : CalendarPlanTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarPlanTestsOnPostgres(PostgresRounds app) : CalendarPlanTests(app), IClassFixture<PostgresRounds>;
