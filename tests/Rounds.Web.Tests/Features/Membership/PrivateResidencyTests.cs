using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// An organization member hosts a residency for its staff: people with a confirmed address on its proven domain
/// see it and register, nobody else learns it exists, and the network's admins see who hosts it.
/// </summary>
public abstract class PrivateResidencyTests(MembershipRounds app)
{
    private async Task MakeMemberAsync(MembershipCast cast) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var plan = await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == "organization");
        db.Add(new Rounds.Web.Features.Membership.Membership { OrganizationId = cast.Network.Id, PlanId = plan.Id, HolderOrganizationId = cast.Hospital.Id, StartsAt = app.Clock.GetUtcNow().AddDays(-1), EndsAt = app.Clock.GetUtcNow().AddDays(300) });
        await db.SaveChangesAsync();
    });

    private object Residency(string title, string? host, string kind = "residency") => new
    {
        kind, title, start = app.Clock.GetUtcNow().AddDays(20).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago", durationMinutes = 480, capacity = 12, price = 0m,
        venue = "Education Center", hostOrganization = host,
    };

    private Task<int> EventsTitledAsync(MembershipCast cast, string title) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().CountAsync(e => e.OrganizationId == cast.Network.Id && e.Title == title));

    [Fact]
    public async Task Only_staff_on_the_hosts_proven_domain_see_and_register_for_its_private_residency()
    {
        var cast = await app.CastAsync();
        var events = $"/api/v1/orgs/{cast.Network.Slug}/membership/events";
        var title = "Hospital staff residency " + Guid.NewGuid().ToString("N")[..6];

        // Not yet a member: refused, and nothing is created.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, events, Residency(title, cast.Hospital.Slug))).StatusCode);
        await MakeMemberAsync(cast);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, events, Residency(title, cast.Hospital.Slug, kind: "webinar"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, events, Residency(title, "no-such-organization"))).StatusCode);
        Assert.Equal(0, await EventsTitledAsync(cast, title));

        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, events, Residency(title, cast.Hospital.Slug)));
        var eventId = created.GetProperty("id").GetGuid();

        var colleague = await app.CreateUserAsync($"nurse-{Guid.NewGuid():N}@{cast.Domain}", "Nia Nurse");
        var unconfirmed = await app.CreateUserAsync($"new-{Guid.NewGuid():N}@{cast.Domain}", "Ned New", confirmed: false);
        var outsider = await app.CreateUserAsync($"out-{Guid.NewGuid():N}@elsewhere.example", "Otto Outsider");

        var seen = (await app.GetJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/events")).EnumerateArray().Single(e => e.GetProperty("id").GetGuid() == eventId);
        Assert.Equal(cast.Hospital.Name, seen.GetProperty("privateFor").GetString());
        foreach (var stranger in new[] { outsider, unconfirmed })
        {
            Assert.DoesNotContain((await app.GetJsonAsync(stranger, $"/api/v1/membership/{cast.Network.Slug}/events")).EnumerateArray(), e => e.GetProperty("id").GetGuid() == eventId);
            Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(stranger, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { })).StatusCode);
        }

        var registered = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        Assert.Equal("confirmed", registered.GetProperty("status").GetString());
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Registration>().CountAsync(r => r.EventId == eventId)));

        // Left out of the public feed and the signed-out catalogue; the network's admins see the host.
        var feed = await app.CreateClient().GetStringAsync($"/membership/{cast.Network.Slug}/events.ics");
        Assert.DoesNotContain(title, feed, StringComparison.Ordinal);
        Assert.DoesNotContain(title, await app.CreateClient().GetStringAsync($"/membership/{cast.Network.Slug}"), StringComparison.Ordinal);
        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        var page = await admin.GetAsync($"/o/{cast.Network.Slug}/membership");
        Assert.Contains($"{title} (private, hosted by {cast.Hospital.Name})", page.Body?.TextContent, StringComparison.Ordinal);
    }
}

public sealed class PrivateResidencyTestsOnSqlite(SqliteMembershipRounds app) : PrivateResidencyTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PrivateResidencyTestsOnPostgres(PostgresMembershipRounds app) : PrivateResidencyTests(app), IClassFixture<PostgresMembershipRounds>;
