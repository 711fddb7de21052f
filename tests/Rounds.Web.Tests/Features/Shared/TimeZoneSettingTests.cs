using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Tests.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Shared;

/// <summary>
/// An organization's zone and a person's own (decision 54): set on the settings and profile pages, refused when
/// unknown, and used by the pages to show and read every time.
/// </summary>
public abstract class TimeZoneSettingTests(RoundsFactory app)
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private Task SetOwnZoneAsync(User user, string? zone) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var row = await db.Users.SingleAsync(u => u.Id == user.Id);
        row.TimeZone = zone;
        await db.SaveChangesAsync();
    });

    private Task<string?> OrganizationZoneAsync(Organization org) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Organizations.Where(o => o.Id == org.Id).Select(o => o.TimeZone).SingleAsync());

    [Fact]
    public async Task An_admin_sets_the_organizations_zone_and_an_unknown_one_saves_nothing()
    {
        var admin = await app.CreateUserAsync($"zone-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("zone-" + Guid.NewGuid().ToString("N")[..8], admin);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        // New organizations follow the installation's zone until an admin names another.
        Assert.Null(await OrganizationZoneAsync(org));
        var api = await app.ApiClientAsync(admin);
        Assert.Equal("America/New_York", (await HttpAssert.ReadAsync<OrganizationDto>(await api.GetAsync($"/api/v1/orgs/{org.Slug}"))).TimeZone);

        var (response, page) = await session.SubmitAsync($"/o/{org.Slug}/settings", "general", new Dictionary<string, string>
        {
            ["General.Name"] = "Renamed at the same time", ["General.RequireTwoFactorForStaff"] = "false", ["General.TimeZone"] = "Mars/Olympus_Mons",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("'Mars/Olympus_Mons' is not a time zone", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(await OrganizationZoneAsync(org));
        Assert.Equal(org.Name, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Organizations.Where(o => o.Id == org.Id).Select(o => o.Name).SingleAsync()));

        (_, page) = await session.SubmitAsync($"/o/{org.Slug}/settings", "general", new Dictionary<string, string>
        {
            ["General.Name"] = org.Name, ["General.RequireTwoFactorForStaff"] = "false", ["General.TimeZone"] = "America/Chicago",
        });
        Assert.Contains("Settings saved.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("America/Chicago", await OrganizationZoneAsync(org));
        Assert.Equal("America/Chicago", page.QuerySelector("#org-zone option[selected]")?.GetAttribute("value"));
        Assert.Equal("America/Chicago", (await HttpAssert.ReadAsync<OrganizationDto>(await api.GetAsync($"/api/v1/orgs/{org.Slug}"))).TimeZone);

        var audit = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().AuditEntries.Where(a => a.OrganizationId == org.Id && a.Action == "organization.updated").Select(a => a.After).SingleAsync());
        Assert.Contains("America/Chicago", audit, StringComparison.Ordinal);

        // Empty goes back to the installation's default.
        (_, page) = await session.SubmitAsync($"/o/{org.Slug}/settings", "general", new Dictionary<string, string>
        {
            ["General.Name"] = org.Name, ["General.RequireTwoFactorForStaff"] = "false", ["General.TimeZone"] = "",
        });
        Assert.Contains("Settings saved.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(await OrganizationZoneAsync(org));
    }

    [Fact]
    public async Task A_person_chooses_their_own_zone_and_an_unknown_one_saves_nothing()
    {
        var person = await app.CreateUserAsync($"own-zone-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        await session.LoginAsync(person.Email!);

        var (response, page) = await session.SubmitAsync("/Account/Manage", "profile", new Dictionary<string, string>
        {
            ["Input.PhoneNumber"] = "+1 312 555 0100", ["Input.TimeZone"] = "Europe/Atlantis",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("'Europe/Atlantis' is not a time zone", page.QuerySelector("#zone-error")?.TextContent, StringComparison.Ordinal);
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Users.Where(u => u.Id == person.Id).Select(u => new { u.TimeZone, u.PhoneNumber }).SingleAsync());
        Assert.Null(stored.TimeZone);
        Assert.Null(stored.PhoneNumber);

        (_, page) = await session.SubmitAsync("/Account/Manage", "profile", new Dictionary<string, string> { ["Input.PhoneNumber"] = "", ["Input.TimeZone"] = "America/Chicago" });
        Assert.Equal("America/Chicago", await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Users.Where(u => u.Id == person.Id).Select(u => u.TimeZone).SingleAsync()));
        Assert.Equal("America/Chicago", page.QuerySelector("#Input\\.TimeZone option[selected]")?.GetAttribute("value"));

        // A number that is not one is refused beside its field, and the zone chosen with it is not saved either.
        (_, page) = await session.SubmitAsync("/Account/Manage", "profile", new Dictionary<string, string> { ["Input.PhoneNumber"] = "call me maybe", ["Input.TimeZone"] = "Europe/Paris" });
        Assert.NotNull(page.QuerySelector("#phone-error"));
        Assert.Equal("America/Chicago", await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Users.Where(u => u.Id == person.Id).Select(u => u.TimeZone).SingleAsync()));

        var api = await app.ApiClientAsync(person);
        var me = await api.GetFromJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal("America/Chicago", me!.TimeZone);
    }

    [Fact]
    public async Task People_in_chicago_and_new_york_see_the_same_post_at_their_own_wall_clock_times()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var chicagoan = await app.CreateUserAsync($"chicago-{suffix}@example.org", "Cameron Chicago");
        var org = await app.CreateOrganizationAsync("two-zones-" + suffix, chicagoan);
        var newYorker = await app.CreateUserAsync($"newyork-{suffix}@example.org", "Noel New York");
        await app.AddMemberAsync(org, newYorker, Role.Admin);
        await SetOwnZoneAsync(chicagoan, "America/Chicago");

        // The organization is in Los Angeles; the New Yorker names their own zone, the Chicagoan theirs.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Organizations.SingleAsync(o => o.Id == org.Id)).TimeZone = "America/Los_Angeles";
            await db.SaveChangesAsync();
        });
        await SetOwnZoneAsync(newYorker, "America/New_York");
        var account = await PostRows.AccountAsync(app, org, "@TwoZones");
        var post = await PostRows.PostAsync(app, org, chicagoan, "Grand rounds on winter asthma", Utc("2031-01-15T15:00:00Z"), PostStatus.Approved, [account]);

        var chicago = FormSession.Create(app);
        await chicago.LoginAsync(chicagoan.Email!);
        var newYork = FormSession.Create(app);
        await newYork.LoginAsync(newYorker.Email!);

        var seenInChicago = (await chicago.GetAsync($"/o/{org.Slug}/posts/{post.Id}")).Body!.TextContent;
        var seenInNewYork = (await newYork.GetAsync($"/o/{org.Slug}/posts/{post.Id}")).Body!.TextContent;
        Assert.Contains("Scheduled for Wed 15 Jan 2031, 09:00 (America/Chicago)", seenInChicago, StringComparison.Ordinal);
        Assert.Contains("Scheduled for Wed 15 Jan 2031, 10:00 (America/New_York)", seenInNewYork, StringComparison.Ordinal);

        var chicagoCalendar = await chicago.GetAsync($"/o/{org.Slug}/calendar?view=week&date=2031-01-15");
        var newYorkCalendar = await newYork.GetAsync($"/o/{org.Slug}/calendar?view=week&date=2031-01-15");
        Assert.Equal("09:00", chicagoCalendar.QuerySelector($"#post-{post.Id:N} .calendar-time")?.TextContent);
        Assert.Equal("10:00", newYorkCalendar.QuerySelector($"#post-{post.Id:N} .calendar-time")?.TextContent);

        // Someone who names no zone of their own sees the organization's.
        await SetOwnZoneAsync(newYorker, null);
        var seenInTheOrganizationsZone = (await newYork.GetAsync($"/o/{org.Slug}/posts/{post.Id}")).Body!.TextContent;
        Assert.Contains("Scheduled for Wed 15 Jan 2031, 07:00 (America/Los_Angeles)", seenInTheOrganizationsZone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_typed_in_the_composer_is_read_in_the_authors_zone_and_a_skipped_one_is_refused()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var author = await app.CreateUserAsync($"composer-{suffix}@example.org", "Casey Composer");
        var org = await app.CreateOrganizationAsync("compose-zone-" + suffix, author);
        await SetOwnZoneAsync(author, "America/Chicago");
        var accountId = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, author);
            return (await services.GetRequiredService<AccountRegistry>().CreateAsync(context, new("mastodon", "@zones@health.social", Kind: "enterprise"))).Value!.Id;
        });
        var session = FormSession.Create(app);
        await session.LoginAsync(author.Email!);
        Task<int> PostsAsync() => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>().CountAsync(p => p.OrganizationId == org.Id));

        // 2:30 on 14 March 2027 does not happen in Chicago: the clocks go from 2:00 to 3:00.
        var (_, refused) = await session.SubmitAsync($"/o/{org.Slug}/posts/new", "compose", new Dictionary<string, string>
        {
            ["Input.Text"] = "Daylight saving starts tonight; clinic hours are unchanged.",
            [$"Input.Selected[{accountId}]"] = "true",
            ["Input.ScheduledLocal"] = "2027-03-14T02:30",
            ["Input.Action"] = "submit",
        });
        Assert.Contains("The clocks skip 2027-03-14 02:30 in America/Chicago", refused.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await PostsAsync());

        await session.SubmitAsync($"/o/{org.Slug}/posts/new", "compose", new Dictionary<string, string>
        {
            ["Input.Text"] = "Daylight saving starts tonight; clinic hours are unchanged.",
            [$"Input.Selected[{accountId}]"] = "true",
            ["Input.ScheduledLocal"] = "2027-03-13T09:00",
            ["Input.Action"] = "submit",
        });
        var scheduled = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>().Where(p => p.OrganizationId == org.Id).Select(p => p.ScheduledAt).SingleAsync());
        Assert.Equal(Utc("2027-03-13T15:00:00Z"), scheduled);
    }

    [Fact]
    public async Task The_audit_log_and_notifications_show_times_in_the_viewers_zone()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"audit-zone-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("audit-zone-" + suffix, admin);
        await SetOwnZoneAsync(admin, "America/Chicago");
        var at = Utc("2031-01-15T15:04:05Z");
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            await services.GetRequiredService<INotifier>().NotifyAsync(org.Id, [admin.Id], "zone:" + suffix, "A post is waiting for you", $"/o/{org.Slug}");
            await db.SaveChangesAsync();
            // The log is append-only, so the entry to read is written with its time rather than moved there.
            db.AuditEntries.Add(new Rounds.Web.Features.Audit.AuditEntry
            {
                OrganizationId = org.Id, ActorId = admin.Id, ActorName = admin.Email!, Action = "organization.updated", EntityType = "Organization", EntityId = org.Id.ToString(), At = at,
            });
            await db.SaveChangesAsync();
            await db.Set<Rounds.Web.Features.Notifications.Notification>().Where(n => n.UserId == admin.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, at));
        });
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        var audit = await session.GetAsync($"/o/{org.Slug}/audit");
        Assert.Equal("2031-01-15 09:04:05 CST", audit.QuerySelector(".audit-entry time")?.TextContent);
        Assert.Contains("Times are in America/Chicago (your own setting).", audit.Body!.TextContent, StringComparison.Ordinal);

        var notifications = await session.GetAsync($"/o/{org.Slug}/notifications");
        Assert.Contains("2031-01-15 09:04 CST", notifications.Body!.TextContent, StringComparison.Ordinal);

        // The same entries through the organization's zone once the person drops their own.
        await SetOwnZoneAsync(admin, null);
        audit = await session.GetAsync($"/o/{org.Slug}/audit");
        Assert.Equal("2031-01-15 10:04:05 EST", audit.QuerySelector(".audit-entry time")?.TextContent);
    }
}

public sealed class TimeZoneSettingTestsOnSqlite(SqliteRounds app) : TimeZoneSettingTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class TimeZoneSettingTestsOnPostgres(PostgresRounds app) : TimeZoneSettingTests(app), IClassFixture<PostgresRounds>;
