using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// The month and week views cover exactly their days in the configured zone (America/New_York by default),
/// through the use case, the page and the API.
/// </summary>
public abstract class CalendarTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Admin, User Contributor, User Member, SocialAccount X, SocialAccount Instagram);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("cal-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"contributor-{suffix}@example.org", "Casey Contributor");
        var member = await app.CreateUserAsync($"member-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        var x = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var instagram = await PostRows.AccountAsync(app, org, "@northfield", Platform.Instagram);
        return new Cast(org, admin, contributor, member, x, instagram);
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private Task<List<CalendarEntry>> ListAsync(Cast c, CalendarView view, DateOnly date, Guid? account = null) => app.WithScopeAsync(async services =>
    {
        var zone = services.GetRequiredService<Rounds.Web.Features.Shared.Time.ViewerTime>();
        var period = CalendarPeriod.For(view, date);
        var context = await RoundsFactory.ContextAsync(services, c.Org, c.Admin);
        return await services.GetRequiredService<PublishingCalendar>().ListAsync(context, zone.StartOf(period.First), zone.StartOf(period.Last.AddDays(1)), account);
    });

    private static string? TimeShown(IHtmlDocument page, Guid postId) => page.QuerySelector($"#post-{postId:N} .calendar-time")?.TextContent;

    [Fact]
    public async Task A_month_holds_exactly_its_days_in_the_configured_time_zone()
    {
        var c = await CastAsync();
        var accounts = new[] { c.X };

        // New York is UTC-4 until 1 November 2026 at 2:00 and UTC-5 after.
        var lastOfOctober = await PostRows.PostAsync(app, c.Org, c.Admin, "Halloween safety tips", Utc("2026-11-01T03:59:00Z"), PostStatus.Approved, accounts);
        var firstOfNovember = await PostRows.PostAsync(app, c.Org, c.Admin, "November is diabetes awareness month", Utc("2026-11-01T04:00:00Z"), PostStatus.Approved, accounts);
        var lastOfNovember = await PostRows.PostAsync(app, c.Org, c.Admin, "Giving Tuesday thanks to our donors", Utc("2026-12-01T04:59:00Z"), PostStatus.InReview, accounts);
        var firstOfDecember = await PostRows.PostAsync(app, c.Org, c.Admin, "December flu clinic hours", Utc("2026-12-01T05:00:00Z"), PostStatus.Draft, accounts);

        var november = await ListAsync(c, CalendarView.Month, new DateOnly(2026, 11, 17));
        Assert.Equal([firstOfNovember.Id, lastOfNovember.Id], november.Select(e => e.PostId));
        Assert.Equal([lastOfOctober.Id], (await ListAsync(c, CalendarView.Month, new DateOnly(2026, 10, 1))).Select(e => e.PostId));
        Assert.Equal([firstOfDecember.Id], (await ListAsync(c, CalendarView.Month, new DateOnly(2026, 12, 31))).Select(e => e.PostId));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var page = await pages.GetAsync($"/o/{c.Org.Slug}/calendar?date=2026-11-17");
        Assert.Equal("November 2026", page.QuerySelector("#period-heading")?.TextContent);
        Assert.Equal("00:00", TimeShown(page, firstOfNovember.Id));
        Assert.Equal("23:59", TimeShown(page, lastOfNovember.Id));
        Assert.Null(TimeShown(page, lastOfOctober.Id));
        Assert.Null(TimeShown(page, firstOfDecember.Id));
        Assert.Contains("Giving Tuesday thanks", page.QuerySelector($"#post-{lastOfNovember.Id:N}")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("in review", page.QuerySelector($"#post-{lastOfNovember.Id:N}")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("X (Twitter) @NorthfieldHealth", page.QuerySelector($"#post-{lastOfNovember.Id:N}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/o/{c.Org.Slug}/posts/{lastOfNovember.Id}", page.QuerySelector($"#post-{lastOfNovember.Id:N} a")!.GetAttribute("href"));

        // The entry sits in the cell of its local day: the 30th, not the 1st of December.
        var cell = page.QuerySelector($"#post-{lastOfNovember.Id:N}")!.Closest("td")!;
        Assert.StartsWith("30", cell.QuerySelector(".calendar-day")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/o/{c.Org.Slug}/calendar?view=month&date=2026-12-01", page.QuerySelectorAll("nav[aria-label='Calendar period'] a").First(a => a.TextContent == "Next month").GetAttribute("href"));
    }

    [Fact]
    public async Task A_week_runs_from_monday_to_sunday_in_the_configured_time_zone()
    {
        var c = await CastAsync();
        var accounts = new[] { c.X };
        var sundayBefore = await PostRows.PostAsync(app, c.Org, c.Admin, "Sunday before", Utc("2026-11-23T04:59:00Z"), PostStatus.Approved, accounts);
        var monday = await PostRows.PostAsync(app, c.Org, c.Admin, "Monday midnight", Utc("2026-11-23T05:00:00Z"), PostStatus.Approved, accounts);
        var sunday = await PostRows.PostAsync(app, c.Org, c.Admin, "Sunday late", Utc("2026-11-30T04:59:00Z"), PostStatus.Approved, accounts);
        var mondayAfter = await PostRows.PostAsync(app, c.Org, c.Admin, "Monday after", Utc("2026-11-30T05:00:00Z"), PostStatus.Approved, accounts);

        Assert.Equal([monday.Id, sunday.Id], (await ListAsync(c, CalendarView.Week, new DateOnly(2026, 11, 29))).Select(e => e.PostId));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var page = await pages.GetAsync($"/o/{c.Org.Slug}/calendar?view=week&date=2026-11-25");
        Assert.Equal("23 November – 29 November 2026", page.QuerySelector("#period-heading")?.TextContent);
        Assert.Equal("00:00", TimeShown(page, monday.Id));
        Assert.Equal("23:59", TimeShown(page, sunday.Id));
        Assert.Contains("Sunday late", page.QuerySelector("#day-2026-11-29")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Null(TimeShown(page, sundayBefore.Id));
        Assert.Null(TimeShown(page, mondayAfter.Id));

        var api = await app.ApiClientAsync(c.Contributor);
        var from = Uri.EscapeDataString("2026-11-23T00:00:00-05:00");
        var to = Uri.EscapeDataString("2026-11-30T00:00:00-05:00");
        var entries = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?from={from}&to={to}"));
        Assert.Equal([monday.Id, sunday.Id], entries.EnumerateArray().Select(e => e.GetProperty("postId").GetGuid()));
        Assert.Equal("approved", entries[0].GetProperty("status").GetString());
        Assert.Equal("@NorthfieldHealth", entries[0].GetProperty("accounts")[0].GetProperty("handle").GetString());
    }

    [Fact]
    public async Task Published_posts_show_when_they_went_out_and_the_filter_rejected_posts_and_other_organizations_are_kept_apart()
    {
        var c = await CastAsync();
        var publishedAt = Utc("2026-11-10T15:00:00Z");
        var published = await PostRows.PostAsync(app, c.Org, c.Admin, "Published on approval", null, PostStatus.Published, [c.X], DeliveryStatus.Published, publishedAt);
        var instagram = await PostRows.PostAsync(app, c.Org, c.Admin, "Only on Instagram", Utc("2026-11-12T15:00:00Z"), PostStatus.Approved, [c.Instagram]);
        await PostRows.PostAsync(app, c.Org, c.Admin, "Rejected one", Utc("2026-11-12T16:00:00Z"), PostStatus.Rejected, [c.X]);
        await PostRows.PostAsync(app, c.Org, c.Admin, "Never scheduled draft", null, PostStatus.Draft, [c.X]);

        var strangerAdmin = await app.CreateUserAsync($"stranger-{Guid.NewGuid():N}@example.org");
        var stranger = await app.CreateOrganizationAsync("stranger-" + Guid.NewGuid().ToString("N")[..8], strangerAdmin);
        var strangerAccount = await PostRows.AccountAsync(app, stranger, "@StrangerHealth");
        await PostRows.PostAsync(app, stranger, strangerAdmin, "Stranger's secret launch", Utc("2026-11-12T15:00:00Z"), PostStatus.Approved, [strangerAccount]);

        var all = await ListAsync(c, CalendarView.Month, new DateOnly(2026, 11, 1));
        Assert.Equal([published.Id, instagram.Id], all.Select(e => e.PostId));
        Assert.Equal(publishedAt, all[0].At);
        Assert.Equal(DeliveryStatus.Published, Assert.Single(all[0].Copies).Status);
        Assert.Equal([published.Id], (await ListAsync(c, CalendarView.Month, new DateOnly(2026, 11, 1), c.X.Id)).Select(e => e.PostId));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var page = await pages.GetAsync($"/o/{c.Org.Slug}/calendar?date=2026-11-01&account={c.Instagram.Id}");
        Assert.NotNull(TimeShown(page, instagram.Id));
        Assert.Null(TimeShown(page, published.Id));
        Assert.DoesNotContain("Stranger", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        // A published post can no longer move: its entry offers no reschedule form.
        var whole = await pages.GetAsync($"/o/{c.Org.Slug}/calendar?date=2026-11-01");
        Assert.Null(whole.QuerySelector($"#post-{published.Id:N} form"));
    }

    [Fact]
    public async Task The_calendar_api_checks_its_range_and_the_role()
    {
        var c = await CastAsync();
        var api = await app.ApiClientAsync(c.Contributor);
        var missing = await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?to=2026-12-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("\"from\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?from=2026-01-01T00:00:00Z&to=2027-03-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z")).StatusCode);

        var member = await app.ApiClientAsync(c.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/v1/orgs/{c.Org.Slug}/calendar?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z")).StatusCode);
    }
}

public sealed class CalendarTestsOnSqlite(SqliteRounds app) : CalendarTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarTestsOnPostgres(PostgresRounds app) : CalendarTests(app), IClassFixture<PostgresRounds>;
