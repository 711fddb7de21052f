using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Reminders by mail a week and a day before an event, on the test clock: before they existed a person who
/// registered weeks ahead heard nothing more until the day had passed. The fixture's clock only moves forward, so
/// every event here is placed relative to the clock's current time.
/// </summary>
public abstract partial class EventReminderTests(MembershipRounds app)
{
    private const string Zone = "America/Chicago";

    /// <summary>A free webinar with a venue and an online link, starting at noon in Chicago some days from now.</summary>
    private async Task<(Guid Id, DateTimeOffset StartsAt, string Title)> WebinarAsync(MembershipCast cast, double daysAhead)
    {
        var title = "Reminded webinar " + Guid.NewGuid().ToString("N")[..8];
        var chicago = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var local = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow().AddDays(daysAhead), chicago);
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title, start = local.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), timeZone = Zone,
            durationMinutes = 60, capacity = 50, price = 0m, venue = "Harbor Hall room 4", onlineLink = "https://meet.example/" + title.Replace(' ', '-'),
        }));
        var id = created.GetProperty("id").GetGuid();
        var starts = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().Where(e => e.Id == id).Select(e => e.StartsAt).SingleAsync());
        return (id, starts, title);
    }

    private async Task<Guid> RegisterAsync(User member, MembershipCast cast, Guid eventId)
    {
        var registration = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        Assert.Equal("confirmed", registration.GetProperty("status").GetString());
        return registration.GetProperty("id").GetGuid();
    }

    private Task<int> SendAsync() => app.WithScopeAsync(services => services.GetRequiredService<EventReminders>().SendDueAsync());

    private async Task<User> MemberAsync(string name) => await app.CreateUserAsync($"{name}-{Guid.NewGuid():N}@individual.example", name);

    private List<string> Reminders(User member, string title) => app.MailTo(member.Email!).Where(m => m.Contains(title, StringComparison.Ordinal)).ToList();

    /// <summary>Moves the clock to a moment, never back: another test of this class may have moved it further already.</summary>
    private void MoveTo(DateTimeOffset moment)
    {
        if (moment > app.Clock.GetUtcNow())
        {
            app.Clock.SetUtcNow(moment);
        }
    }

    [GeneratedRegex(@"http://localhost/membership/[^""\\\s]+\.ics")]
    private static partial Regex FeedLink();

    [Fact]
    public async Task A_week_and_a_day_before_the_start_each_reminder_goes_once_with_the_event_details_and_public_links()
    {
        var cast = await app.CastAsync();
        var (eventId, starts, title) = await WebinarAsync(cast, 10);
        var member = await MemberAsync("rhea");
        await RegisterAsync(member, cast, eventId);

        await SendAsync();
        Assert.Empty(Reminders(member, title));

        MoveTo(starts - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(10));
        await SendAsync();
        await SendAsync();
        var reminder = Assert.Single(Reminders(member, title));

        // The start as held in Chicago, with its offset from UTC, the venue and the link, and links on the public address.
        var local = TimeZoneInfo.ConvertTime(starts, TimeZoneInfo.FindSystemTimeZoneById(Zone));
        var offset = (local.Offset < TimeSpan.Zero ? "-" : "+") + local.Offset.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(local.ToString("d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture), reminder, StringComparison.Ordinal);
        Assert.Contains($"{Zone} time (UTC{offset})", reminder, StringComparison.Ordinal);
        Assert.Contains("Harbor Hall room 4", reminder, StringComparison.Ordinal);
        Assert.Contains("https://meet.example/" + title.Replace(' ', '-'), reminder, StringComparison.Ordinal);
        Assert.Contains($"http://localhost/membership/{cast.Network.Slug}/account#tickets-heading", reminder, StringComparison.Ordinal);
        var feed = FeedLink().Match(reminder);
        Assert.True(feed.Success, "The reminder has no link to the member's calendar feed.");
        var ics = await app.CreateClient().GetAsync(new Uri(feed.Value).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, ics.StatusCode);
        Assert.Contains($"{eventId}@rounds", await ics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        MoveTo(starts - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(10));
        await SendAsync();
        await SendAsync();
        Assert.Equal(2, Reminders(member, title).Count);

        // Once the event has started there is nothing left to remind of.
        MoveTo(starts + TimeSpan.FromMinutes(5));
        await SendAsync();
        Assert.Equal(2, Reminders(member, title).Count);
    }

    [Fact]
    public async Task Two_instances_sending_at_once_send_each_reminder_once()
    {
        var cast = await app.CastAsync();
        var (eventId, starts, title) = await WebinarAsync(cast, 9);
        var members = new List<User>();
        for (var i = 0; i < 3; i++)
        {
            var member = await MemberAsync($"twin{i}");
            await RegisterAsync(member, cast, eventId);
            members.Add(member);
        }

        MoveTo(starts - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(10));
        await Task.WhenAll(SendAsync(), SendAsync(), SendAsync(), SendAsync());
        Assert.All(members, m => Assert.Single(Reminders(m, title)));

        MoveTo(starts - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(10));
        var sent = await Task.WhenAll(SendAsync(), SendAsync(), SendAsync(), SendAsync());
        Assert.All(members, m => Assert.Equal(2, Reminders(m, title).Count));
        Assert.True(sent.Sum() >= members.Count, "The runs reported fewer reminders than they sent.");
    }

    [Fact]
    public async Task A_registration_three_days_ahead_gets_only_the_day_before_reminder_and_one_less_than_a_day_ahead_gets_none()
    {
        var cast = await app.CastAsync();
        var (eventId, starts, title) = await WebinarAsync(cast, 3);
        var late = await MemberAsync("late");
        await RegisterAsync(late, cast, eventId);

        // The week-before moment passed before this registration was made.
        await SendAsync();
        Assert.Empty(Reminders(late, title));

        MoveTo(starts - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(10));
        var lastMinute = await MemberAsync("lastminute");
        await RegisterAsync(lastMinute, cast, eventId);
        await SendAsync();
        await SendAsync();
        var reminder = Assert.Single(Reminders(late, title));
        Assert.Contains("starts", reminder, StringComparison.Ordinal);

        // Registered after the day-before moment: no reminder at all.
        Assert.Empty(Reminders(lastMinute, title));
    }

    [Fact]
    public async Task A_cancelled_registration_gets_no_reminder()
    {
        var cast = await app.CastAsync();
        var (eventId, starts, title) = await WebinarAsync(cast, 12);
        var member = await MemberAsync("cancelled");
        var staying = await MemberAsync("staying");
        var registration = await RegisterAsync(member, cast, eventId);
        await RegisterAsync(staying, cast, eventId);
        var cancelled = await (await app.ApiClientAsync(member)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{registration}");
        Assert.True(cancelled.IsSuccessStatusCode, $"Cancelling was answered {(int)cancelled.StatusCode}.");

        MoveTo(starts - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(10));
        await SendAsync();
        MoveTo(starts - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(10));
        await SendAsync();
        Assert.Empty(Reminders(member, title));
        Assert.Equal(2, Reminders(staying, title).Count);
    }
}

public sealed class EventReminderTestsOnSqlite(SqliteMembershipRounds app) : EventReminderTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class EventReminderTestsOnPostgres(PostgresMembershipRounds app) : EventReminderTests(app), IClassFixture<PostgresMembershipRounds>;
