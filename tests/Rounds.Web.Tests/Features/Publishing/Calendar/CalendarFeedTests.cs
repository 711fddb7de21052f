using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>The secret feed address: shown once, stored hashed, valid iCalendar, and only the person's own organizations.</summary>
public abstract class CalendarFeedTests(RoundsFactory app)
{
    private static readonly string Tricky =
        "Clinic hours, Monday; Tuesday\\Wednesday\nSee you there! Café au lait for everyone who comes to the long-awaited open house 🎉 at the new wing of Northfield.";

    private HttpClient Anonymous() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [Fact]
    public async Task The_feed_lists_the_posts_of_the_persons_organizations_as_valid_icalendar_and_nothing_else()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var person = await app.CreateUserAsync($"planner-{suffix}@example.org", "Pat Planner");
        var own = await app.CreateOrganizationAsync("feed-" + suffix, person);
        var otherAdmin = await app.CreateUserAsync($"other-{suffix}@example.org");
        var shared = await app.CreateOrganizationAsync("shared-" + suffix, otherAdmin);
        await app.AddMemberAsync(shared, person, Role.Contributor);
        var stranger = await app.CreateOrganizationAsync("stranger-" + suffix, otherAdmin);
        var watched = await app.CreateOrganizationAsync("watched-" + suffix, otherAdmin);
        await app.AddMemberAsync(watched, person, Role.Member);

        var x = await PostRows.AccountAsync(app, own, "@NorthfieldHealth");
        var instagram = await PostRows.AccountAsync(app, own, "@northfield", Platform.Instagram);
        var soon = DateTimeOffset.UtcNow.AddDays(3);
        var tricky = await PostRows.PostAsync(app, own, person, Tricky, soon, PostStatus.Approved, [x, instagram]);

        // Written an hour ago, so that the reschedule below is a later change even when the test runs within a second.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Set<Post>().SingleAsync(p => p.Id == tricky.Id)).UpdatedAt = DateTimeOffset.UtcNow.AddHours(-1);
            await db.SaveChangesAsync();
        });
        var published = await PostRows.PostAsync(app, own, person, "Thank you, nurses", null, PostStatus.Published, [x], DeliveryStatus.Published, DateTimeOffset.UtcNow.AddDays(-2));
        var sharedPost = await PostRows.PostAsync(app, shared, otherAdmin, "Shared organization's post", soon, PostStatus.InReview, [await PostRows.AccountAsync(app, shared, "@SharedHealth")]);
        await PostRows.PostAsync(app, stranger, otherAdmin, "Stranger's secret launch", soon, PostStatus.Approved, [await PostRows.AccountAsync(app, stranger, "@StrangerHealth")]);
        await PostRows.PostAsync(app, watched, otherAdmin, "Members do not plan posts", soon, PostStatus.Approved, [await PostRows.AccountAsync(app, watched, "@WatchedHealth")]);

        // The address is made on the calendar page and shown there once.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(person.Email!);
        var (_, page) = await pages.SubmitAsync($"/o/{own.Slug}/calendar", "feed", new Dictionary<string, string>());
        var address = new Uri(page.QuerySelector("#feed-address")!.GetAttribute("value")!);
        Assert.Matches("^/calendar/[A-Za-z0-9_-]{43}\\.ics$", address.AbsolutePath);
        var token = address.AbsolutePath["/calendar/".Length..^".ics".Length];
        Assert.Null((await pages.GetAsync($"/o/{own.Slug}/calendar")).QuerySelector("#feed-address"));
        await app.WithScopeAsync(async services =>
        {
            var feed = await services.GetRequiredService<RoundsDbContext>().Set<CalendarFeed>().SingleAsync(f => f.UserId == person.Id);
            Assert.Equal(CalendarFeeds.Hash(token), feed.TokenHash);
            Assert.DoesNotContain(token, feed.TokenHash, StringComparison.Ordinal);
        });

        var response = await Anonymous().GetAsync(address.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        var events = IcsReader.Parse(ics);

        Assert.Equal(4, events.Count);
        Assert.Equal(events.Count, events.Select(e => e["UID"]).Distinct().Count());
        Assert.Equal(
            new[] { $"{tricky.Id:N}-{x.Id:N}@rounds", $"{tricky.Id:N}-{instagram.Id:N}@rounds" }.Order(),
            events.Where(e => e["URL"].EndsWith($"/o/{own.Slug}/posts/{tricky.Id}", StringComparison.Ordinal)).Select(e => e["UID"]).Order());
        var trickyEvent = events.First(e => e["UID"] == $"{tricky.Id:N}-{x.Id:N}@rounds");
        var zone = app.Services.GetRequiredService<Rounds.Web.Features.Shared.Time.TimeZones>().Installation;
        Assert.Equal(IcsWriter.Local(soon, zone), trickyEvent["DTSTART"]);
        Assert.Equal(zone.Id, trickyEvent.Parameter("DTSTART", "TZID"));
        Assert.EndsWith(Tricky, trickyEvent["DESCRIPTION"], StringComparison.Ordinal);
        Assert.StartsWith("Clinic hours, Monday; Tuesday\\Wednesday", trickyEvent["SUMMARY"], StringComparison.Ordinal);
        Assert.Contains("(X (Twitter) @NorthfieldHealth)", trickyEvent["SUMMARY"], StringComparison.Ordinal);
        Assert.StartsWith("http://localhost/o/", trickyEvent["URL"], StringComparison.Ordinal);
        Assert.Contains(events, e => e["UID"].StartsWith($"{published.Id:N}", StringComparison.Ordinal) && e["DESCRIPTION"].Contains("published at https://x.example/", StringComparison.Ordinal));
        Assert.Contains(events, e => e["UID"].StartsWith($"{sharedPost.Id:N}", StringComparison.Ordinal));
        Assert.DoesNotContain("Stranger", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("Members do not plan posts", ics, StringComparison.Ordinal);

        // Identifiers stay put between fetches, so calendar programs update events instead of duplicating them.
        var again = IcsReader.Parse(await (await Anonymous().GetAsync(address.AbsolutePath)).Content.ReadAsStringAsync());
        Assert.Equal(events.Select(e => e["UID"]).Order(), again.Select(e => e["UID"]).Order());

        // A rescheduled post keeps its identifier and raises its SEQUENCE, so programs move the event rather than
        // keep the old time beside the new one.
        var later = soon.AddHours(5);
        var moved = await app.WithScopeAsync(async services =>
            await services.GetRequiredService<ReschedulePost>().RunAsync(await RoundsFactory.ContextAsync(services, own, person), tricky.Id, later));
        Assert.True(moved.Succeeded, moved.ToString());
        var afterMove = IcsReader.Parse(await (await Anonymous().GetAsync(address.AbsolutePath)).Content.ReadAsStringAsync());
        var movedEvent = afterMove.Single(e => e["UID"] == trickyEvent["UID"]);
        Assert.Equal(IcsWriter.Local(later, zone), movedEvent["DTSTART"]);
        Assert.True(int.Parse(movedEvent["SEQUENCE"], CultureInfo.InvariantCulture) > int.Parse(trickyEvent["SEQUENCE"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Unknown_and_replaced_addresses_are_not_found()
    {
        var person = await app.CreateUserAsync($"reset-{Guid.NewGuid():N}@example.org");
        await app.CreateOrganizationAsync("reset-" + Guid.NewGuid().ToString("N")[..8], person);
        var (first, second) = await app.WithScopeAsync(async services =>
        {
            var feeds = services.GetRequiredService<CalendarFeeds>();
            return (await feeds.ResetAsync(person.Id), await feeds.ResetAsync(person.Id));
        });

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync($"/calendar/{first}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync($"/calendar/{Guid.NewGuid():N}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().GetAsync($"/calendar/{second}.ics")).StatusCode);
        Assert.Empty(IcsReader.Parse(await (await Anonymous().GetAsync($"/calendar/{second}.ics")).Content.ReadAsStringAsync()));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(1, await db.Set<CalendarFeed>().CountAsync(f => f.UserId == person.Id));
            Assert.Equal(["calendar_feed.created", "calendar_feed.reset"], await db.AuditEntries.Where(a => a.EntityId == person.Id && a.EntityType == "CalendarFeed").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        });
    }
}

public sealed class CalendarFeedTestsOnSqlite(SqliteRounds app) : CalendarFeedTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarFeedTestsOnPostgres(PostgresRounds app) : CalendarFeedTests(app), IClassFixture<PostgresRounds>;
