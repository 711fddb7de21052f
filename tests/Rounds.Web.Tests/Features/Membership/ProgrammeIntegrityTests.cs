using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// What a programme edit may not break: a registrant's chosen sessions never overlap after a session moves, an
/// edit and its audit entry are kept or lost together, two tracks never share a name in different cases, and a
/// person who joined a network for a granted course never keeps that place with no grant under it.
/// </summary>
public abstract class ProgrammeIntegrityTests(MembershipRounds app)
{
    private static string Local(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm");

    private static async Task<OrgContext> AdminAsync(IServiceProvider services, MembershipCast cast)
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Id == cast.Network.Id);
        var member = await db.OrganizationMembers.IgnoreQueryFilters().SingleAsync(m => m.OrganizationId == cast.Network.Id && m.UserId == cast.NetworkAdmin.Id);
        return new OrgContext(organization, member, cast.NetworkAdmin.Id);
    }

    [Fact]
    public async Task Moving_a_session_onto_another_its_holders_chose_is_refused_naming_that_session_and_a_time_clear_of_it_is_taken()
    {
        var cast = await app.CastAsync();
        var (eventId, start) = await ProgrammeTests.ConferenceAsync(app, cast);
        var morning = await ProgrammeTests.SessionAsync(app, cast, eventId, new { title = "Morning workshop", start = Local(start), end = Local(start.AddHours(1)), capacity = 10 });
        var afternoon = await ProgrammeTests.SessionAsync(app, cast, eventId, new { title = "Afternoon workshop", start = Local(start.AddHours(4)), end = Local(start.AddHours(5)), capacity = 10 });
        var unchosen = await ProgrammeTests.SessionAsync(app, cast, eventId, new { title = "Late panel", start = Local(start.AddHours(6)), end = Local(start.AddHours(7)), capacity = 10 });
        var user = await app.CreateUserAsync($"holder-{Guid.NewGuid():N}@individual.example", "Hal Holder");
        var registration = (await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }))).GetProperty("id").GetGuid();
        foreach (var session in new[] { morning, afternoon })
        {
            Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/registrations/{registration}/sessions", new { session })).StatusCode);
        }

        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        var path = $"/api/v1/orgs/{cast.Network.Slug}/membership/events/{eventId}/sessions/{morning}";
        var clash = await client.PutAsJsonAsync(path, new { title = "Morning workshop", start = Local(start.AddHours(4.5)), end = Local(start.AddHours(5.5)), capacity = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        var problem = JsonDocument.Parse(await clash.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("1 registrant who chose this session has also chosen \"Afternoon workshop\", which the new time overlaps", problem.GetProperty("errors").GetProperty("Start")[0].GetString(), StringComparison.Ordinal);
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventSession>().SingleAsync(x => x.Id == morning));
        Assert.Equal(ProgrammeTestsClock.Utc(start), stored.StartsAt.UtcDateTime);

        // Onto a session nobody who chose this one holds, or clear of every other, the move is taken.
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync(path, new { title = "Morning workshop", start = Local(start.AddHours(6)), end = Local(start.AddHours(7)), capacity = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/orgs/{cast.Network.Slug}/membership/events/{eventId}/sessions/{unchosen}",
            new { title = "Late panel", start = Local(start.AddHours(4)), end = Local(start.AddHours(5)), capacity = 10 })).StatusCode);
    }

    [Fact]
    public async Task A_programme_edit_whose_audit_entry_cannot_be_saved_is_not_kept_either()
    {
        var cast = await app.CastAsync();
        var (eventId, start) = await ProgrammeTests.ConferenceAsync(app, cast);
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events/{eventId}/tracks", new { name = "Empty track" })).StatusCode);
        var session = await ProgrammeTests.SessionAsync(app, cast, eventId, new { title = "Keynote", start = Local(start), end = Local(start.AddHours(1)) });

        await app.WithScopeAsync(async services =>
        {
            var programme = services.GetRequiredService<Programme>();
            var org = await AdminAsync(services, cast);
            var track = await services.GetRequiredService<RoundsDbContext>().Set<EventTrack>().Where(t => t.EventId == eventId).Select(t => t.Id).SingleAsync();
            async Task FailingAuditAsync(Func<Task> edit)
            {
                app.Saves.BeforeNextSave(() => throw new InvalidOperationException("The audit entry could not be written."));
                await Assert.ThrowsAsync<InvalidOperationException>(edit);
                services.GetRequiredService<RoundsDbContext>().ChangeTracker.Clear();
            }

            await FailingAuditAsync(() => programme.UpdateSessionAsync(org, eventId, session, new SessionInput("Renamed keynote", "", null, Local(start.AddHours(1)), Local(start.AddHours(2)), "", null)));
            await FailingAuditAsync(() => programme.DeleteSessionAsync(org, eventId, session));
            await FailingAuditAsync(() => programme.DeleteTrackAsync(org, eventId, track));
        });

        var kept = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventSession>().SingleAsync(x => x.Id == session));
        Assert.Equal(("Keynote", ProgrammeTestsClock.Utc(start)), (kept.Title, kept.StartsAt.UtcDateTime));
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventTrack>().CountAsync(t => t.EventId == eventId)));
    }

    [Fact]
    public async Task Track_names_differing_only_in_case_are_one_name_to_the_database_even_when_added_at_the_same_moment()
    {
        var cast = await app.CastAsync();
        var (eventId, _) = await ProgrammeTests.ConferenceAsync(app, cast);
        var names = new[] { "Ethics", "ETHICS", "ethics", "EthicS", "eThics" };
        var answers = await Task.WhenAll(names.Select(name => app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events/{eventId}/tracks", new { name })));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));

        // Written around the application's own check, the database still refuses the second.
        var refused = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            db.Add(new EventTrack { OrganizationId = cast.Network.Id, EventId = eventId, Name = "eTHICS", Position = 9 });
            try
            {
                await db.SaveChangesAsync();
                return false;
            }
            catch (DbUpdateException)
            {
                return true;
            }
        });
        Assert.True(refused);
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<EventTrack>().CountAsync(t => t.EventId == eventId)));
    }

    [Fact]
    public async Task Withdrawing_a_persons_last_two_course_grants_at_the_same_moment_takes_back_the_place_they_gave()
    {
        var cast = await app.CastAsync();
        var person = await app.CreateUserAsync($"granted-{Guid.NewGuid():N}@elsewhere.example", "Gus Granted");
        var course = (await app.WithScopeAsync(s => s.GetRequiredService<ICourseGrants>().CoursesAsync(cast.Network.Id))).Single(c => c.Key == ShippedCourse.Key).Id;
        var first = $"test-grant:{Guid.NewGuid()}";
        var second = $"test-grant:{Guid.NewGuid()}";
        await app.WithScopeAsync(async s =>
        {
            var grants = s.GetRequiredService<ICourseGrants>();
            Assert.True(await grants.GrantAsync(cast.Network.Id, course, person.Id, first, "First residency"));
            Assert.True(await grants.GrantAsync(cast.Network.Id, course, person.Id, second, "Second residency"));
            await s.GetRequiredService<RoundsDbContext>().SaveChangesAsync();
        });
        Task<bool> MemberAsync() => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == cast.Network.Id && m.UserId == person.Id));
        Assert.True(await MemberAsync());

        // The first withdrawal is made and not yet committed when the second runs, as two cancellations at once.
        using var firstScope = app.Services.CreateScope();
        var firstDb = firstScope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        await using (var transaction = await firstDb.Database.BeginTransactionAsync())
        {
            await firstScope.ServiceProvider.GetRequiredService<ICourseGrants>().WithdrawAsync(first);
            var other = Task.Run(() => app.WithScopeAsync(async s =>
            {
                var db = s.GetRequiredService<RoundsDbContext>();
                await using var own = await db.Database.BeginTransactionAsync();
                await s.GetRequiredService<ICourseGrants>().WithdrawAsync(second);
                await own.CommitAsync();
            }));
            await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(2)));
            await transaction.CommitAsync();
            await other;
        }

        Assert.Empty(await app.WithScopeAsync(s => s.GetRequiredService<ICourseGrants>().GrantedAsync(cast.Network.Id, person.Id)));
        Assert.False(await MemberAsync());
    }
}

internal static class ProgrammeTestsClock
{
    private static readonly TimeZoneInfo Chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

    public static DateTime Utc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(local, Chicago);
}

public sealed class ProgrammeIntegrityTestsOnSqlite(SqliteMembershipRounds app) : ProgrammeIntegrityTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ProgrammeIntegrityTestsOnPostgres(PostgresMembershipRounds app) : ProgrammeIntegrityTests(app), IClassFixture<PostgresMembershipRounds>;
