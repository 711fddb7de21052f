using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// The calendar reads each post's stored place (its time, or its first copy's publication) instead of walking
/// every copy published in the range. Every path that changes either input must keep the stored place equal to
/// what the copies and the time say, or a post silently leaves the calendar or sits on the wrong day.
/// </summary>
public abstract class CalendarPlacementTests(DeliveryRounds app)
{
    [Fact]
    public async Task A_post_without_a_time_appears_on_the_day_its_first_copy_was_published_by_the_publisher_and_by_hand()
    {
        var room = await app.NewsroomAsync("placed");
        var network = await room.ConnectFakeAsync();
        // The first try fails and is retried: the post is placed when it finally goes out, not when first tried.
        network.Script.Enqueue(FakeStep.Refuse(FailureKind.Retryable, "502 Bad Gateway"));
        var instagram = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_place_" + Guid.NewGuid().ToString("N")[..6], "instagram");
        var sent = await room.PostAsync("Flu shots for staff this week.", null);
        var byHand = await room.PostAsync("Our garden is open to families.", null, PostStatus.Approved, instagram);
        var timed = await room.PostAsync("Blood drive on Friday.", app.Clock.GetUtcNow().AddDays(3));
        await AssertPlacementsAsync(room);
        Assert.Null((await room.ReadPostAsync(sent)).CalendarAt);

        var run = await app.PublishAsync();
        Assert.Equal((1, 1), (run.Retrying, run.ByHand));
        await AssertPlacementsAsync(room);
        Assert.Null((await room.ReadPostAsync(sent)).CalendarAt);

        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await app.PublishAsync()).Published);
        await AssertPlacementsAsync(room);
        var outAt = Assert.Single(await room.CopiesAsync(sent)).PublishedAt!.Value;
        Assert.Equal(outAt, (await room.ReadPostAsync(sent)).CalendarAt);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var task = Assert.Single(await room.CopiesAsync(byHand));
        var marked = await app.WithScopeAsync(async services => await services.GetRequiredService<PostByHand>().MarkPublishedAsync(
            await RoundsFactory.ContextAsync(services, room.Org, room.Owner), task.Id, "https://www.instagram.com/p/C1a2b3/"));
        Assert.True(marked.Succeeded, marked.Message);
        await AssertPlacementsAsync(room);
        Assert.Equal(app.Clock.GetUtcNow(), (await room.ReadPostAsync(byHand)).CalendarAt);

        // On the calendar, each on the day it went out; the scheduled one at its time.
        var day = await DayAsync(room, outAt);
        Assert.Contains(day, e => e.PostId == sent && e.At == outAt);
        Assert.DoesNotContain(day, e => e.PostId == byHand);
        Assert.Contains(await DayAsync(room, app.Clock.GetUtcNow()), e => e.PostId == byHand);
        Assert.Contains(await DayAsync(room, (await room.ReadPostAsync(timed)).ScheduledAt!.Value), e => e.PostId == timed);
    }

    [Fact]
    public async Task Rescheduling_or_unscheduling_moves_the_post_on_the_calendar()
    {
        var room = await app.NewsroomAsync("moved");
        var first = app.Clock.GetUtcNow().AddDays(2);
        var postId = await room.PostAsync("Blood drive on Friday.", first, PostStatus.Approved);
        Assert.Contains(await DayAsync(room, first), e => e.PostId == postId);

        var later = first.AddDays(3);
        var moved = await app.WithScopeAsync(async services => await services.GetRequiredService<ReschedulePost>().RunAsync(
            await RoundsFactory.ContextAsync(services, room.Org, room.Admin), postId, later));
        Assert.True(moved.Succeeded, moved.Message);
        await AssertPlacementsAsync(room);
        Assert.DoesNotContain(await DayAsync(room, first), e => e.PostId == postId);
        Assert.Contains(await DayAsync(room, later), e => e.PostId == postId && e.At == later);

        // The composer takes the time away: the post goes out when approved and leaves the calendar until then.
        var post = await room.ReadPostAsync(postId);
        var edited = await app.WithScopeAsync(async services => await services.GetRequiredService<ComposePost>().EditAsync(
            await RoundsFactory.ContextAsync(services, room.Org, room.Admin), postId, new PostInput(post.Text, [room.AccountId], null, null), post.Revision));
        Assert.True(edited.Succeeded, edited.Status.Message);
        await AssertPlacementsAsync(room);
        Assert.DoesNotContain(await DayAsync(room, later), e => e.PostId == postId);

        // And gives it a time again.
        var again = first.AddDays(1);
        post = await room.ReadPostAsync(postId);
        edited = await app.WithScopeAsync(async services => await services.GetRequiredService<ComposePost>().EditAsync(
            await RoundsFactory.ContextAsync(services, room.Org, room.Admin), postId, new PostInput(post.Text, [room.AccountId], null, again), post.Revision));
        Assert.True(edited.Succeeded, edited.Status.Message);
        await AssertPlacementsAsync(room);
        Assert.Contains(await DayAsync(room, again), e => e.PostId == postId && e.At == again);
    }

    /// <summary>
    /// Protects the posts that existed before the placement was stored: the migration that adds it must fill it
    /// from each post's time or first publication, or every existing post leaves the calendar. The migration's
    /// own statements, as the provider's script gives them, are run here over posts whose placement is empty, as
    /// it was before the column. The SQLite migration once added the column without filling it.
    /// </summary>
    [Fact]
    public async Task The_migration_that_stores_the_placement_fills_it_for_the_posts_already_there()
    {
        var room = await app.NewsroomAsync("migrated");
        await room.ConnectFakeAsync();
        var sent = await room.PostAsync("Walk-in flu shots today.", null);
        var timed = await room.PostAsync("Blood drive on Friday.", app.Clock.GetUtcNow().AddDays(3));
        Assert.Equal(1, (await app.PublishAsync()).Published);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            var placement = migrations.FindIndex(m => m.EndsWith("_PublishingCalendarPlacement", StringComparison.Ordinal));
            Assert.True(placement > 0, "The migration that stores the placement is there.");
            var script = db.GetInfrastructure().GetRequiredService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().GenerateScript(migrations[placement - 1], migrations[placement]);
            var fills = System.Text.RegularExpressions.Regex.Matches(script, "UPDATE \"Post\" SET \"CalendarAt\"[^;]*;").Select(m => m.Value).ToList();
            Assert.Equal(2, fills.Count);
            await db.Set<Post>().Where(p => p.OrganizationId == room.Org.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.CalendarAt, (DateTimeOffset?)null));
            foreach (var fill in fills)
            {
                await db.Database.ExecuteSqlRawAsync(fill);
            }
        });

        await AssertPlacementsAsync(room);
        Assert.NotNull((await room.ReadPostAsync(sent)).CalendarAt);
        Assert.Equal((await room.ReadPostAsync(timed)).ScheduledAt, (await room.ReadPostAsync(timed)).CalendarAt);
    }

    /// <summary>Every post of the organization sits where its time and its copies say, computed here from them.</summary>
    private Task AssertPlacementsAsync(Newsroom room) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var posts = await db.Set<Post>().AsNoTracking().Where(p => p.OrganizationId == room.Org.Id).ToListAsync();
        var copies = (await db.Set<PostTarget>().AsNoTracking().Where(t => t.OrganizationId == room.Org.Id).ToListAsync()).ToLookup(t => t.PostId);
        Assert.NotEmpty(posts);
        Assert.All(posts, p =>
        {
            var firstOut = copies[p.Id].Where(t => t.PublishedAt is not null).Select(t => t.PublishedAt).Min();
            Assert.Equal(p.ScheduledAt ?? firstOut, p.CalendarAt);
        });
    });

    private Task<List<CalendarEntry>> DayAsync(Newsroom room, DateTimeOffset at) => app.WithScopeAsync(async services =>
    {
        var start = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        var org = await RoundsFactory.ContextAsync(services, room.Org, room.Admin);
        var days = await services.GetRequiredService<PublishingCalendar>().ListDaysAsync(org, [(start, start.AddDays(1))], null, 50);
        return days.Entries;
    });
}

public sealed class CalendarPlacementTestsOnSqlite(DeliverySqlite app) : CalendarPlacementTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarPlacementTestsOnPostgres(DeliveryPostgres app) : CalendarPlacementTests(app), IClassFixture<DeliveryPostgres>;
