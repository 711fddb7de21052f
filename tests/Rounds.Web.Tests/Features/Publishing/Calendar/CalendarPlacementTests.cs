using Microsoft.EntityFrameworkCore;
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
