using System.Net;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>Dates at the ends of what a date can hold (0001-01-01, 9999-12-31) made the calendar answer 500.</summary>
public abstract class CalendarDateRangeTests(RoundsFactory app)
{
    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1999-12-31")]
    public async Task The_calendar_page_answers_400_with_a_message_for_a_date_it_cannot_show(string date)
    {
        var (slug, session, _) = await SetUpAsync();

        var response = await session.Client.GetAsync($"/o/{slug}/calendar?view=month&date={date}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose a date from 2000-01-01 to 2999-12-31", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.Client.GetAsync($"/o/{slug}/calendar?view=week&date={date}")).StatusCode);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00-04:00", "2026-01-01T00:00:00Z", "from")]
    [InlineData("2026-01-01T00:00:00Z", "9999-12-31T00:00:00-05:00", "to")]
    [InlineData("9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z", "from")]
    public async Task The_calendar_api_answers_400_naming_the_field(string from, string to, string field)
    {
        var (slug, _, api) = await SetUpAsync();

        var response = await api.GetAsync($"/api/v1/orgs/{slug}/calendar?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"{field}\"", body, StringComparison.Ordinal);
        Assert.Contains("2999-12-31", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dates_inside_the_range_still_work()
    {
        var (slug, session, api) = await SetUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/o/{slug}/calendar?view=month&date=2000-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/o/{slug}/calendar?view=week&date=2999-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/orgs/{slug}/calendar?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z")).StatusCode);
    }

    private async Task<(string Slug, FormSession Session, HttpClient Api)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"range-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("range-" + suffix, admin);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        return (org.Slug, session, await app.ApiClientAsync(admin));
    }
}

public sealed class CalendarDateRangeTestsOnSqlite(SqliteRounds app) : CalendarDateRangeTests(app), IClassFixture<SqliteRounds>;
