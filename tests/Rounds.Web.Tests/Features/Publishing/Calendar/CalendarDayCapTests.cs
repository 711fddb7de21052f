using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar.Pages;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// A busy day no longer turns the month into thousands of entries (each with its own form): the month shows the
/// first few of a day and "and N more" linking to the week, which shows more. Quiet days show everything.
/// </summary>
public abstract class CalendarDayCapTests(RoundsFactory app)
{
    [Fact]
    public async Task A_busy_day_shows_its_first_entries_and_how_many_more_in_the_month()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("cap-" + suffix, admin);
        SocialAccount[] accounts = [await PostRows.AccountAsync(app, org, "@NorthfieldHealth")];

        // 15 June 2026, 13:00 to 13:14 UTC (9 am in New York); and one post on a quiet day.
        var busy = new List<Post>();
        for (var i = 0; i < CalendarPage.PerDayInMonth + 4; i++)
        {
            busy.Add(await PostRows.PostAsync(app, org, admin, $"Clinic update {i}", new DateTimeOffset(2026, 6, 15, 13, i, 0, TimeSpan.Zero), PostStatus.Approved, accounts));
        }

        var quiet = await PostRows.PostAsync(app, org, admin, "Quiet day", new DateTimeOffset(2026, 6, 17, 13, 0, 0, TimeSpan.Zero), PostStatus.Approved, accounts);

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var month = await pages.GetAsync($"/o/{org.Slug}/calendar?view=month&date=2026-06-01");
        var shown = busy.Where(p => month.QuerySelector($"#post-{p.Id:N}") is not null).ToList();
        Assert.Equal(busy.Take(CalendarPage.PerDayInMonth).Select(p => p.Id), shown.Select(p => p.Id));
        Assert.NotNull(month.QuerySelector($"#post-{quiet.Id:N}"));
        var more = Assert.Single(month.QuerySelectorAll(".calendar-more a"));
        Assert.Contains("and 4 more", more.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/o/{org.Slug}/calendar?view=week&date=2026-06-15", more.GetAttribute("href"));

        var week = await pages.GetAsync(more.GetAttribute("href")!);
        Assert.All(busy, p => Assert.NotNull(week.QuerySelector($"#post-{p.Id:N}")));
        Assert.Empty(week.QuerySelectorAll(".calendar-more"));
    }
}

public sealed class CalendarDayCapTestsOnSqlite(SqliteRounds app) : CalendarDayCapTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarDayCapTestsOnPostgres(PostgresRounds app) : CalendarDayCapTests(app), IClassFixture<PostgresRounds>;
