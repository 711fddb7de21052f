using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The conference's admin page changes tracks and sessions with plain forms: what the API does, with each error
/// beside its field in the form that was sent, and a refusal (a track with sessions, a session someone chose) told
/// in words rather than failing.
/// </summary>
public abstract class ProgrammeAdminPageTests(MembershipRounds app)
{
    private static string Local(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm");

    [Fact]
    public async Task An_admin_adds_renames_and_removes_tracks_and_sessions_with_forms_and_sees_errors_and_refusals_in_the_page()
    {
        var cast = await app.CastAsync();
        var (eventId, start) = await ProgrammeTests.ConferenceAsync(app, cast);
        var page = FormSession.Create(app);
        await page.LoginAsync(cast.NetworkAdmin.Email!);
        var path = $"/o/{cast.Network.Slug}/membership/events/{eventId}/programme";

        var (_, added) = await page.SubmitAsync(path, "new-track", new Dictionary<string, string> { ["name"] = "Strategy" });
        Assert.Contains("The track is added.", added.Body?.TextContent, StringComparison.Ordinal);
        var (_, twice) = await page.SubmitAsync(path, "new-track", new Dictionary<string, string> { ["name"] = "strategy" });
        Assert.Equal("The conference has a track of this name already.", twice.QuerySelector("#new-track-Name-error")?.TextContent);
        Assert.Equal("true", twice.QuerySelector("#new-track-name")?.GetAttribute("aria-invalid"));

        var track = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventTrack>().SingleAsync(t => t.EventId == eventId));
        var (_, renamed) = await page.SubmitAsync(path, $"track-{track.Id}", new Dictionary<string, string> { ["name"] = "Strategy and planning" });
        Assert.Contains("The track is renamed.", renamed.Body?.TextContent, StringComparison.Ordinal);

        // A session with an end before its start is refused beside the field, and what was typed stays in the form.
        var (_, wrong) = await page.SubmitAsync(path, "new-session", new Dictionary<string, string>
        {
            ["title"] = "Measuring reach", ["track"] = "Strategy and planning", ["start"] = Local(start.AddHours(2)), ["end"] = Local(start.AddHours(1)), ["capacity"] = "2",
        });
        Assert.NotNull(wrong.QuerySelector("#new-session-End-error"));
        Assert.Equal("Measuring reach", wrong.QuerySelector("#new-session-title")?.GetAttribute("value"));
        var (_, session) = await page.SubmitAsync(path, "new-session", new Dictionary<string, string>
        {
            ["title"] = "Measuring reach", ["track"] = "Strategy and planning", ["start"] = Local(start.AddHours(1)), ["end"] = Local(start.AddHours(2)), ["capacity"] = "2",
        });
        Assert.Contains("The session is added.", session.Body?.TextContent, StringComparison.Ordinal);
        var sessionId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventSession>().Where(x => x.EventId == eventId).Select(x => x.Id).SingleAsync());

        // The track has a session: removing it is refused in words.
        var (refusedResponse, refusedTrack) = await page.SubmitAsync(path, $"delete-track-{track.Id}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, refusedResponse.StatusCode);
        Assert.Contains("has sessions: move them to another track or remove them first", refusedTrack.Body?.TextContent, StringComparison.Ordinal);

        // A registrant chooses the session: it can no longer be removed, nor its capacity set below them.
        var user = await app.CreateUserAsync($"chooser-{Guid.NewGuid():N}@individual.example", "Cho Chooser");
        var registration = (await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/registrations/{registration}/sessions", new { session = sessionId })).StatusCode);
        var (chosenResponse, chosen) = await page.SubmitAsync(path, $"delete-session-{sessionId}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, chosenResponse.StatusCode);
        Assert.Contains("it cannot be removed while they hold seats in it", chosen.Body?.TextContent, StringComparison.Ordinal);
        var (_, shrunk) = await page.SubmitAsync(path, $"session-{sessionId}", new Dictionary<string, string>
        {
            ["title"] = "Measuring reach", ["track"] = "", ["start"] = Local(start.AddHours(1)), ["end"] = Local(start.AddHours(2)), ["capacity"] = "",
        });
        Assert.NotNull(shrunk.QuerySelector($"#session-{sessionId}-Capacity-error"));
        Assert.Equal(2, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventSession>().Where(x => x.Id == sessionId).Select(x => x.Capacity).SingleAsync()));

        // Given up, the session is removed, then the empty track.
        Assert.Equal(HttpStatusCode.NoContent, (await (await app.ApiClientAsync(user)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{registration}/sessions/{sessionId}")).StatusCode);
        Assert.Contains("The session is removed.", (await page.SubmitAsync(path, $"delete-session-{sessionId}", new Dictionary<string, string>())).Page.Body?.TextContent, StringComparison.Ordinal);
        Assert.Contains("The track is removed.", (await page.SubmitAsync(path, $"delete-track-{track.Id}", new Dictionary<string, string>())).Page.Body?.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventTrack>().CountAsync(t => t.EventId == eventId)));
    }
}

/// <summary>The events table's form schedules an event as the API does, each error beside its field and what was typed kept.</summary>
public sealed class EventCreationPageTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    [Fact]
    public async Task An_admin_schedules_an_event_with_the_form_and_a_wrong_field_is_told_beside_it_with_nothing_saved()
    {
        var cast = await app.CastAsync();
        var page = FormSession.Create(app);
        await page.LoginAsync(cast.NetworkAdmin.Email!);
        var path = $"/o/{cast.Network.Slug}/membership";
        var start = app.Clock.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'09:00", System.Globalization.CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>
        {
            ["kind"] = "webinar", ["title"] = "Measuring reach", ["description"] = "An hour on reach.", ["start"] = start, ["timeZone"] = "America/Chicago",
            ["durationMinutes"] = "60", ["capacity"] = "0", ["price"] = "95", ["venue"] = "", ["onlineLink"] = "",
        };

        var (_, wrong) = await page.SubmitAsync(path, "new-event", fields);
        Assert.Equal("Capacity is a number of seats between 1 and 100,000.", wrong.QuerySelector("#new-event-Capacity-error")?.TextContent);
        Assert.Equal("true", wrong.QuerySelector("#new-event-capacity")?.GetAttribute("aria-invalid"));
        Assert.Equal("Measuring reach", wrong.QuerySelector("#new-event-title")?.GetAttribute("value"));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().AnyAsync(e => e.OrganizationId == cast.Network.Id && e.Title == "Measuring reach")));

        fields["capacity"] = "40";
        var (_, done) = await page.SubmitAsync(path, "new-event", fields);
        Assert.Contains("Measuring reach is scheduled.", done.Body?.TextContent, StringComparison.Ordinal);
        var created = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().SingleAsync(e => e.OrganizationId == cast.Network.Id && e.Title == "Measuring reach"));
        Assert.Equal((ProductKind.Webinar, 40, "America/Chicago"), (created.Kind, created.Capacity, created.TimeZone));
        Assert.NotNull(done.QuerySelector($"a[href='/o/{cast.Network.Slug}/membership/events/{created.Id}/registrations']"));
    }
}

public sealed class ProgrammeAdminPageTestsOnSqlite(SqliteMembershipRounds app) : ProgrammeAdminPageTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ProgrammeAdminPageTestsOnPostgres(PostgresMembershipRounds app) : ProgrammeAdminPageTests(app), IClassFixture<PostgresMembershipRounds>;
