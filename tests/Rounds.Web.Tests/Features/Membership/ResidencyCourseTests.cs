using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Learning;
using Rounds.Web.Features.Membership;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// A residency gives the certificate course: a confirmed seat opens the course in the network's Learning, once
/// however often the payment is reported, and a seat that goes back takes it back. Before, the residency's
/// description promised the course and nothing gave it.
/// </summary>
public abstract class ResidencyCourseTests(MembershipRounds app)
{
    private async Task<Guid> ResidencyAsync(MembershipCast cast, decimal price, string? course = ShippedCourse.Key)
    {
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "residency", title = "Residency " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(40).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 480, capacity = 5, price, venue = "Harbor Hall", course,
            refundRule = new[] { new { daysBefore = 14, percent = 100m } },
        }));
        return created.GetProperty("id").GetGuid();
    }

    private Task<List<CourseGrant>> GrantsAsync(string userId) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CourseGrant>().Where(g => g.UserId == userId).ToListAsync());

    private Task<MemberSource?> NetworkMembershipAsync(MembershipCast cast, string userId) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers
        .Where(m => m.OrganizationId == cast.Network.Id && m.UserId == userId).Select(m => (MemberSource?)m.Source).FirstOrDefaultAsync());

    private async Task<List<string>> CourseKeysAsync(MembershipCast cast, Rounds.Web.Features.Identity.User user)
    {
        var response = await (await app.ApiClientAsync(user)).GetAsync($"/api/v1/orgs/{cast.Network.Slug}/courses");
        return response.StatusCode == HttpStatusCode.NotFound ? [] : (await HttpAssert.ReadAsync<JsonElement>(response)).EnumerateArray().Select(c => c.GetProperty("key").GetString()!).ToList();
    }

    [Fact]
    public async Task A_free_seat_gives_the_course_at_once_and_cancelling_it_takes_back_what_the_seat_gave_and_nothing_else()
    {
        var cast = await app.CastAsync();
        await app.WithScopeAsync(async s =>
        {
            // A second course of the network's that the registrant is not given and must not see.
            var db = s.GetRequiredService<RoundsDbContext>();
            db.Add(new Course { OrganizationId = cast.Network.Id, Key = "staff-only", Title = "Staff only", UpdatedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        var eventId = await ResidencyAsync(cast, 0m);
        var outsider = await app.CreateUserAsync($"res-{Guid.NewGuid():N}@elsewhere.example", "Rhea Resident");
        Assert.Empty(await CourseKeysAsync(cast, outsider));

        var registered = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(outsider, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        Assert.Equal("confirmed", registered.GetProperty("status").GetString());
        var grant = Assert.Single(await GrantsAsync(outsider.Id));
        Assert.Equal((ResidencyCourse.KeyFor(registered.GetProperty("id").GetGuid()), (DateTimeOffset?)null), (grant.GrantKey, grant.WithdrawnAt));
        Assert.Equal(MemberSource.CourseGrant, await NetworkMembershipAsync(cast, outsider.Id));
        Assert.Equal([ShippedCourse.Key], await CourseKeysAsync(cast, outsider));
        var session = FormSession.Create(app);
        await session.LoginAsync(outsider.Email!);
        var account = await session.GetAsync($"/membership/{cast.Network.Slug}/account");
        Assert.Contains("Includes the course", account.QuerySelector(".granted-course")?.TextContent ?? "", StringComparison.Ordinal);

        // Someone who belongs to the network already is given the course and keeps the membership they had.
        var registeredAdmin = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        Assert.Single(await GrantsAsync(cast.NetworkAdmin.Id));
        Assert.Equal(MemberSource.Manual, await NetworkMembershipAsync(cast, cast.NetworkAdmin.Id));

        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(outsider)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{registered.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.NotNull(Assert.Single(await GrantsAsync(outsider.Id)).WithdrawnAt);
        Assert.Null(await NetworkMembershipAsync(cast, outsider.Id));
        Assert.Empty(await CourseKeysAsync(cast, outsider));

        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(cast.NetworkAdmin)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{registeredAdmin.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(MemberSource.Manual, await NetworkMembershipAsync(cast, cast.NetworkAdmin.Id));
        Assert.Contains("staff-only", await CourseKeysAsync(cast, cast.NetworkAdmin));
    }

    [Fact]
    public async Task A_paid_seat_gives_the_course_once_however_often_Stripe_reports_the_payment_and_a_full_refund_takes_it_back()
    {
        var cast = await app.CastAsync();
        var eventId = await ResidencyAsync(cast, 795m);
        var payer = await app.CreateUserAsync($"paid-{Guid.NewGuid():N}@elsewhere.example", "Pat Payer");
        var held = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        Assert.Empty(await GrantsAsync(payer.Id));
        var orderId = held.GetProperty("orderId").GetGuid();
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString()).Key;
        var completed = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session);
        var succeeded = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.async_payment_succeeded", session);
        foreach (var (payload, signature) in new[] { completed, succeeded, completed })
        {
            Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(payload, signature)).StatusCode);
        }

        Assert.Single(await GrantsAsync(payer.Id));
        Assert.Equal(MemberSource.CourseGrant, await NetworkMembershipAsync(cast, payer.Id));
        Assert.Equal([ShippedCourse.Key], await CourseKeysAsync(cast, payer));

        // A partial refund leaves the seat, and with it the course; a refund of the rest gives the seat back.
        var invoiceId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Where(i => i.OrderId == orderId).Select(i => i.Id).SingleAsync());
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoiceId}/partial-refund", new { amount = 95m, reason = "Lunch was not served" }));
        Assert.Null(Assert.Single(await GrantsAsync(payer.Id)).WithdrawnAt);
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoiceId}/refund", new { reason = "Could not come" }));
        Assert.NotNull(Assert.Single(await GrantsAsync(payer.Id)).WithdrawnAt);
        Assert.Null(await NetworkMembershipAsync(cast, payer.Id));
    }

    [Fact]
    public async Task Only_a_residency_gives_a_course_and_only_one_of_the_networks_and_a_refused_change_changes_nothing()
    {
        var cast = await app.CastAsync();
        var residency = await ResidencyAsync(cast, 795m, course: null);
        var events = $"/api/v1/orgs/{cast.Network.Slug}/membership/events";
        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        Task<Guid?> CourseOfAsync(Guid id) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().Where(e => e.Id == id).Select(e => e.GrantsCourseId).SingleAsync());

        var unknown = await client.PutAsJsonAsync($"{events}/{residency}/course", new { course = "no-such-course" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains(ShippedCourse.Key, await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await CourseOfAsync(residency));

        // The admin page offers the network's courses for a residency; a key not among them is refused there too.
        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        var page = $"/o/{cast.Network.Slug}/membership";
        var (_, wrong) = await admin.SubmitAsync(page, $"course-{residency}", new Dictionary<string, string> { ["course"] = "no-such-course" });
        Assert.Contains("Choose one of the network's courses", wrong.QuerySelector("[role=alert]")?.TextContent ?? wrong.Body?.TextContent, StringComparison.Ordinal);
        Assert.Null(await CourseOfAsync(residency));
        var (_, saved) = await admin.SubmitAsync(page, $"course-{residency}", new Dictionary<string, string> { ["course"] = ShippedCourse.Key });
        Assert.Contains("from now on give the course", saved.Body?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(await CourseOfAsync(residency));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"{events}/{residency}/course", new { course = ShippedCourse.Key })).StatusCode);
        Assert.NotNull(await CourseOfAsync(residency));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"{events}/{residency}/course", new { course = (string?)null })).StatusCode);
        Assert.Null(await CourseOfAsync(residency));

        var webinar = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().Where(e => e.OrganizationId == cast.Network.Id && e.Kind == ProductKind.Webinar).Select(e => e.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"{events}/{webinar}/course", new { course = ShippedCourse.Key })).StatusCode);
        Assert.Null(await CourseOfAsync(webinar));
        var before = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().CountAsync(e => e.OrganizationId == cast.Network.Id));
        var refused = await client.PostAsJsonAsync(events, new
        {
            kind = "webinar", title = "Webinar with a course", start = app.Clock.GetUtcNow().AddDays(10).ToString("yyyy-MM-dd'T'12:00"), timeZone = "America/Chicago",
            durationMinutes = 60, capacity = 50, price = 95m, course = ShippedCourse.Key,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().CountAsync(e => e.OrganizationId == cast.Network.Id)));

        // A member of the network who is not its admin may not change it.
        var member = await app.CreateUserAsync($"m-{Guid.NewGuid():N}@harbor.example", "Max Member");
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = cast.Network.Id, UserId = member.Id, Role = Role.Member });
            await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(member)).PutAsJsonAsync($"{events}/{residency}/course", new { course = ShippedCourse.Key })).StatusCode);
        Assert.Null(await CourseOfAsync(residency));
    }

    /// <summary>
    /// Two first grants to one person at the same moment, as when two residencies are confirmed together. Before,
    /// each added the person's membership of the network with its own save, the unique index refused the second,
    /// and that registration or payment failed with a server error.
    /// </summary>
    [Fact]
    public async Task Two_first_grants_to_one_person_at_the_same_moment_both_stand_on_one_membership()
    {
        var cast = await app.CastAsync();
        var person = await app.CreateUserAsync($"twice-{Guid.NewGuid():N}@elsewhere.example", "Tess Twice");
        var courseId = await app.WithScopeAsync(async s => (await s.GetRequiredService<ICourseGrants>().CoursesAsync(cast.Network.Id)).Single(c => c.Key == ShippedCourse.Key).Id);

        async Task<bool> GrantAsync(IServiceProvider services, string key, bool ownTransaction)
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            // As the callers do, in a transaction. On SQLite a transaction that has read holds the database against
            // the other grant's write, so there the grant the other one comes between saves in its own.
            await using var transaction = ownTransaction || db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal) ? await db.Database.BeginTransactionAsync() : null;
            var granted = await services.GetRequiredService<ICourseGrants>().GrantAsync(cast.Network.Id, courseId, person.Id, $"test-{key}-{person.Id}", "Two residencies");
            await db.SaveChangesAsync();
            if (transaction is not null)
            {
                await transaction.CommitAsync();
            }

            return granted;
        }

        // The other grant is made and committed between this one's look for a membership and its save.
        app.Saves.BeforeNextSave(() => app.WithScopeAsync(s => GrantAsync(s, "first", ownTransaction: true)));
        Assert.True(await app.WithScopeAsync(s => GrantAsync(s, "second", ownTransaction: false)));

        Assert.Equal(2, (await GrantsAsync(person.Id)).Count(g => g.WithdrawnAt is null));
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().OrganizationMembers.CountAsync(m => m.OrganizationId == cast.Network.Id && m.UserId == person.Id)));
        Assert.Equal(MemberSource.CourseGrant, await NetworkMembershipAsync(cast, person.Id));
    }

    /// <summary>
    /// A person given the course whose address is on a domain the network proves. Before, the place the grant
    /// gave stayed a grant's: they saw only the granted course instead of everything the network gives its
    /// people, and lost their place altogether when the grant was withdrawn though their address was still on it.
    /// </summary>
    [Fact]
    public async Task A_person_given_the_course_becomes_a_member_by_a_proven_domain_while_on_it_and_keeps_the_course_when_the_address_leaves()
    {
        var cast = await app.CastAsync();
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            db.Add(new Course { OrganizationId = cast.Network.Id, Key = "staff-only", Title = "Staff only", UpdatedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        var eventId = await ResidencyAsync(cast, 0m);
        var domain = $"n{Guid.NewGuid():N}"[..9] + ".example";
        var person = await app.CreateUserAsync($"rhea@{domain}", "Rhea Resident");
        var registered = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(person, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        Assert.Equal(MemberSource.CourseGrant, await NetworkMembershipAsync(cast, person.Id));
        Assert.Equal([ShippedCourse.Key], await CourseKeysAsync(cast, person));

        // The network proves the domain: the person is one of its people, with all it teaches.
        await app.AddVerifiedDomainAsync(cast.Network, cast.NetworkAdmin, domain);
        Assert.Equal(MemberSource.Domain, await NetworkMembershipAsync(cast, person.Id));
        Assert.Contains("staff-only", await CourseKeysAsync(cast, person));

        async Task MoveAddressAsync(string email) => await app.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<User>>();
            var user = (await users.FindByIdAsync(person.Id))!;
            user.Email = email;
            user.NormalizedEmail = email.ToUpperInvariant();
            user.EmailConfirmed = true;
            Assert.True((await users.UpdateAsync(user)).Succeeded);
            await s.GetRequiredService<DomainMembership>().SyncAsync(new PersonCard { Id = user.Id, DisplayName = user.DisplayName, Email = email, NormalizedEmail = user.NormalizedEmail, EmailConfirmed = true });
        });

        // The address leaves the domain: the place goes back to the grant's, and the course with it stays.
        await MoveAddressAsync($"rhea-{Guid.NewGuid():N}@elsewhere.example");
        Assert.Equal(MemberSource.CourseGrant, await NetworkMembershipAsync(cast, person.Id));
        Assert.Equal([ShippedCourse.Key], await CourseKeysAsync(cast, person));

        // Confirmed on the domain again, and then the grant withdrawn: the domain keeps the place.
        await MoveAddressAsync($"rhea@{domain}");
        Assert.Equal(MemberSource.Domain, await NetworkMembershipAsync(cast, person.Id));
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(person)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{registered.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.NotNull(Assert.Single(await GrantsAsync(person.Id)).WithdrawnAt);
        Assert.Equal(MemberSource.Domain, await NetworkMembershipAsync(cast, person.Id));
        Assert.Contains("staff-only", await CourseKeysAsync(cast, person));

        // Off the domain with no grant left, nothing keeps the place.
        await MoveAddressAsync($"rhea-{Guid.NewGuid():N}@elsewhere.example");
        Assert.Null(await NetworkMembershipAsync(cast, person.Id));
    }
}

public sealed class ResidencyCourseTestsOnSqlite(SqliteMembershipRounds app) : ResidencyCourseTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ResidencyCourseTestsOnPostgres(PostgresMembershipRounds app) : ResidencyCourseTests(app), IClassFixture<PostgresMembershipRounds>;
