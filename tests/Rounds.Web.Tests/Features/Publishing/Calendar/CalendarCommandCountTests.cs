using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar.Pages;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// The month page once sent one query per day and a count per busy day (73 SQL commands for the request of a busy month,
/// each a round-trip on a loaded server): a month with every day full must cost the same few commands as an
/// empty one, and still show each day's first entries and how many more it has.
/// </summary>
public abstract class CalendarCommandCountTests(RoundsFactory app)
{
    [Fact]
    public async Task A_busy_month_costs_a_bounded_number_of_sql_commands_whatever_the_days_hold()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("sqlcount-" + suffix, admin);
        var account = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var busyMonth = new DateTimeOffset(2026, 3, 1, 14, 0, 0, TimeSpan.Zero);
        var days = DateTime.DaysInMonth(busyMonth.Year, busyMonth.Month);
        var perDay = CalendarPage.PerDayInMonth + 2;
        var unscheduled = new List<Guid>();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var now = DateTimeOffset.UtcNow;
            for (var day = 0; day < days; day++)
            {
                for (var i = 0; i < perDay; i++)
                {
                    // The last of each day went out when approved, without a time: it sits at its copy's publication.
                    var placed = i == perDay - 1;
                    var at = busyMonth.AddDays(day).AddMinutes(10 * i);
                    var post = new Post
                    {
                        OrganizationId = org.Id, AuthorId = admin.Id, AuthorName = admin.DisplayName, Status = placed ? PostStatus.Published : PostStatus.Approved,
                        CreatedAt = now, UpdatedAt = now, ApprovedAt = now, Text = $"Clinic update {day}-{i}", ScheduledAt = placed ? null : at, CalendarAt = at,
                    };
                    db.Add(post);
                    db.Add(new PostTarget
                    {
                        OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, IdempotencyKey = Guid.NewGuid().ToString("N"),
                        Status = placed ? DeliveryStatus.Published : DeliveryStatus.Waiting, PublishedAt = placed ? at : null,
                    });
                    if (placed)
                    {
                        unscheduled.Add(post.Id);
                    }
                }
            }

            await db.SaveChangesAsync();
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        using var log = SqlCommandLog.Start(app);

        var quiet = await pages.Client.SendAsync(log.Get($"/o/{org.Slug}/calendar?view=month&date=2026-05-01"));
        quiet.EnsureSuccessStatusCode();
        var quietCommands = log.Commands.Count;
        log.Clear();

        var busy = await pages.Client.SendAsync(log.Get($"/o/{org.Slug}/calendar?view=month&date=2026-03-01"));
        busy.EnsureSuccessStatusCode();
        var busyCommands = log.Commands.Count;
        var month = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await busy.Content.ReadAsStringAsync());

        Assert.True(quietCommands > 0, "no SQL command was recorded for the request");
        // The days' counts ride on the days' own command: a busy month costs no command more than an empty one.
        Assert.True(busyCommands <= quietCommands, $"an empty month took {quietCommands} SQL commands, a busy one {busyCommands}:\n{string.Join("\n---\n", log.Commands)}");
        // About ten for the request itself (the session, the organization, the account filter, the feed), two for the days.
        Assert.True(busyCommands <= 14, $"a busy month took {busyCommands} SQL commands");

        // Still each day's first entries in time order and the rest counted.
        Assert.Equal(days * CalendarPage.PerDayInMonth, month.QuerySelectorAll(".calendar-entry").Length);
        var more = month.QuerySelectorAll(".calendar-more a");
        Assert.Equal(days, more.Length);
        Assert.All(more, m => Assert.Contains("and 2 more", m.TextContent, StringComparison.Ordinal));
    }
}

public sealed class CalendarCommandCountTestsOnSqlite(SqliteRounds app) : CalendarCommandCountTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarCommandCountTestsOnPostgres(PostgresRounds app) : CalendarCommandCountTests(app), IClassFixture<PostgresRounds>;
