using System.Net;
using System.Text.Json;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// A member's own events calendar: before it existed a member could subscribe only to the network's public feed,
/// which never holds the online link, so their calendar program never knew where to join.
/// </summary>
public abstract class MemberCalendarTests(MembershipRounds app)
{
    private async Task<Guid> FreeWebinarAsync(MembershipCast cast, string title)
    {
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title, start = app.Clock.GetUtcNow().AddDays(5).ToString("yyyy-MM-dd'T'12:00"), timeZone = "America/Chicago",
            durationMinutes = 60, capacity = 50, price = 0m, onlineLink = "https://meet.example/" + title.Replace(' ', '-'),
        }));
        return created.GetProperty("id").GetGuid();
    }

    private async Task<string> FeedPathAsync(Rounds.Web.Features.Identity.User user, MembershipCast cast)
    {
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!, RoundsFactory.Password);
        var page = await session.GetAsync($"/membership/{cast.Network.Slug}/account");
        return page.QuerySelectorAll("a").Select(a => a.GetAttribute("href") ?? "").Single(href => href.Contains("/calendar/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_members_secret_feed_lists_their_events_with_the_online_link_and_no_one_elses()
    {
        var cast = await app.CastAsync();
        var mine = await FreeWebinarAsync(cast, "Mine only " + Guid.NewGuid().ToString("N")[..6]);
        var theirs = await FreeWebinarAsync(cast, "Theirs only " + Guid.NewGuid().ToString("N")[..6]);
        var member = await app.CreateUserAsync($"cal-{Guid.NewGuid():N}@individual.example", "Cal Member");
        var other = await app.CreateUserAsync($"other-{Guid.NewGuid():N}@individual.example", "Oli Other");
        Assert.Equal("confirmed", (await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/events/{mine}/registrations", new { }))).GetProperty("status").GetString());
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(other, $"/api/v1/membership/{cast.Network.Slug}/events/{theirs}/registrations", new { }));

        var path = await FeedPathAsync(member, cast);
        Assert.NotEmpty(path);
        // Fetched without signing in, as a calendar program does.
        var feed = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var ics = await feed.Content.ReadAsStringAsync();
        Assert.Contains($"{mine}@rounds", ics, StringComparison.Ordinal);
        Assert.Contains("https://meet.example/Mine-only", ics, StringComparison.Ordinal);
        Assert.DoesNotContain($"{theirs}@rounds", ics, StringComparison.Ordinal);

        // The other member's feed is theirs; a forged or altered token and another seller's address find nothing.
        var otherPath = await FeedPathAsync(other, cast);
        Assert.NotEqual(path, otherPath);
        Assert.DoesNotContain($"{mine}@rounds", await app.CreateClient().GetStringAsync(otherPath), StringComparison.Ordinal);
        var token = path.Split('/')[^1][..^4];
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/membership/{cast.Network.Slug}/calendar/{member.Id}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/membership/{cast.Network.Slug}/calendar/{token[..^2]}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/membership/{cast.Hospital.Slug}/calendar/{token}.ics")).StatusCode);

        // A cancelled seat leaves the feed.
        var registration = (await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray().Single().GetProperty("id").GetGuid();
        var cancelled = await (await app.ApiClientAsync(member)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{registration}");
        Assert.True(cancelled.IsSuccessStatusCode, $"Cancelling was answered {(int)cancelled.StatusCode}.");
        Assert.DoesNotContain($"{mine}@rounds", await app.CreateClient().GetStringAsync(path), StringComparison.Ordinal);
    }
}

public sealed class MemberCalendarTestsOnSqlite(SqliteMembershipRounds app) : MemberCalendarTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MemberCalendarTestsOnPostgres(PostgresMembershipRounds app) : MemberCalendarTests(app), IClassFixture<PostgresMembershipRounds>;
