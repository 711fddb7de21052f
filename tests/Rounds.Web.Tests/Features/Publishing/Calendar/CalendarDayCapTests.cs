using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
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

    /// <summary>
    /// Each entry once carried its own reschedule form and antiforgery token, which made a full month 375 KB; now
    /// entries are links and only the chosen post's form is rendered, so a full month stays well under 150 KB.
    /// </summary>
    [Fact]
    public async Task A_full_month_of_movable_posts_renders_light_entries_and_one_reschedule_form()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("full-" + suffix, admin);
        SocialAccount[] accounts = [await PostRows.AccountAsync(app, org, "@NorthfieldHealth"), await PostRows.AccountAsync(app, org, "@NorthfieldCareers")];
        var next = DateTime.UtcNow.AddMonths(2);
        var first = new DateTimeOffset(next.Year, next.Month, 1, 14, 0, 0, TimeSpan.Zero);
        var days = DateTime.DaysInMonth(next.Year, next.Month);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var now = DateTimeOffset.UtcNow;
            for (var day = 0; day < days; day++)
            {
                for (var i = 0; i < CalendarPage.PerDayInMonth; i++)
                {
                    var post = new Post
                    {
                        OrganizationId = org.Id, AuthorId = admin.Id, AuthorName = admin.DisplayName, Status = PostStatus.Approved, CreatedAt = now, UpdatedAt = now, ApprovedAt = now,
                        Text = $"Community health update number {day}-{i}: screenings, classes and visiting hours at the main campus this week.",
                        ScheduledAt = first.AddDays(day).AddMinutes(10 * i),
                    };
                    db.Add(post);
                    foreach (var account in accounts)
                    {
                        db.Add(new PostTarget { OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, Status = DeliveryStatus.Waiting, IdempotencyKey = Guid.NewGuid().ToString("N") });
                    }
                }
            }

            await db.SaveChangesAsync();
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var url = $"/o/{org.Slug}/calendar?view=month&date={first:yyyy-MM}-01";
        var response = await pages.Client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var month = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var entries = month.QuerySelectorAll(".calendar-entry");
        Assert.Equal(days * CalendarPage.PerDayInMonth, entries.Length);
        Assert.Empty(month.QuerySelectorAll(".calendar-entries form"));
        Assert.Empty(month.QuerySelectorAll(".calendar-entries input"));
        Assert.All(entries, e => Assert.NotNull(e.QuerySelector("a.calendar-move")));
        // Every entry movable and on two accounts: the heaviest a month gets.
        Assert.True(html.Length < 150_000, $"the month page is {html.Length} characters; an entry: {entries[0].OuterHtml}");

        // Choosing one post opens its form, and only that one.
        var chosen = await pages.GetAsync(entries[3].QuerySelector("a.calendar-move")!.GetAttribute("href")!);
        var form = Assert.Single(chosen.QuerySelectorAll(".calendar-entries form"));
        Assert.Equal(entries[3].Id, form.Closest(".calendar-entry")!.Id);
        Assert.Single(form.QuerySelectorAll("input[name=__RequestVerificationToken]"));
    }
}

public sealed class CalendarDayCapTestsOnSqlite(SqliteRounds app) : CalendarDayCapTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarDayCapTestsOnPostgres(PostgresRounds app) : CalendarDayCapTests(app), IClassFixture<PostgresRounds>;
