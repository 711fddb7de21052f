using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// An event's registrations page acts only on that event's registrations: a cancellation or a check-in posted to
/// one event's page for a registration of another is refused with the reason and changes nothing.
/// </summary>
public sealed class EventRegistrationsPageTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    [Fact]
    public async Task Cancel_and_check_in_on_one_events_page_refuse_a_registration_of_another_event_and_change_nothing()
    {
        var cast = await app.CastAsync();
        async Task<Guid> FreeEventAsync(string title) => (await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title, start = app.Clock.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago", durationMinutes = 60, capacity = 5, price = 0m,
        }))).GetProperty("id").GetGuid();
        var (first, second) = (await FreeEventAsync("First webinar"), await FreeEventAsync("Second webinar"));
        var attendee = await app.CreateUserAsync($"two-{Guid.NewGuid():N}@individual.example", "Tam Twice");
        async Task<Guid> RegisterAsync(Guid eventId)
        {
            var held = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(attendee, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
            Assert.Equal("confirmed", held.GetProperty("status").GetString());
            return held.GetProperty("id").GetGuid();
        }

        var (atFirst, atSecond) = (await RegisterAsync(first), await RegisterAsync(second));
        Task<(RegistrationStatus Status, DateTimeOffset? CheckedInAt)> StateAsync(Guid id) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Registration>()
            .Where(r => r.Id == id).Select(r => new ValueTuple<RegistrationStatus, DateTimeOffset?>(r.Status, r.CheckedInAt)).SingleAsync());

        var page = FormSession.Create(app);
        await page.LoginAsync(cast.NetworkAdmin.Email!);
        var firstPath = $"/o/{cast.Network.Slug}/membership/events/{first}/registrations";
        var listed = await page.GetAsync(firstPath);
        Assert.NotNull(listed.QuerySelector($"#registration-{atFirst} button[form='cancel-registration'][value='{atFirst}']"));
        Assert.Null(listed.QuerySelector($"#registration-{atSecond}"));

        foreach (var action in new[] { "cancel", "check-in" })
        {
            var (response, refused) = await page.SubmitAsync(firstPath, action, new Dictionary<string, string> { ["registration"] = atSecond.ToString() });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("That registration is for another event, not First webinar; nothing was changed.", refused.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
            Assert.Equal((RegistrationStatus.Confirmed, (DateTimeOffset?)null), await StateAsync(atSecond));
        }

        // A seat of no bundle is refused by the same check before the bundle's own rule is asked.
        var (_, alone) = await page.SubmitAsync(firstPath, "cancel-alone", new Dictionary<string, string> { ["registration"] = atSecond.ToString() });
        Assert.Contains("for another event", alone.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        var (_, nothing) = await page.SubmitAsync(firstPath, "cancel", new Dictionary<string, string> { ["registration"] = "not-an-id" });
        Assert.Contains("nothing was changed", nothing.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal((RegistrationStatus.Confirmed, (DateTimeOffset?)null), await StateAsync(atSecond));

        // The same forms act on the event's own registration.
        var (_, checkedIn) = await page.SubmitAsync(firstPath, "check-in", new Dictionary<string, string> { ["registration"] = atFirst.ToString() });
        Assert.Contains("Checked in: Tam Twice.", checkedIn.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull((await StateAsync(atFirst)).CheckedInAt);
        var (_, cancelled) = await page.SubmitAsync(firstPath, "cancel", new Dictionary<string, string> { ["registration"] = atFirst.ToString() });
        Assert.Contains("The registration is cancelled.", cancelled.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Cancelled, (await StateAsync(atFirst)).Status);
        Assert.Equal((RegistrationStatus.Confirmed, (DateTimeOffset?)null), await StateAsync(atSecond));
    }
}
