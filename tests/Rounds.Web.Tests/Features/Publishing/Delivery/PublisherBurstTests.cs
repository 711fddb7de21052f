using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// Under a burst the cycle sent one copy after another, so a slow network (or a slow account) held back every
/// other account: 10,000 copies due in one minute went out over a quarter of an hour. Accounts now go out side
/// by side, each account's copies in order, and still exactly once.
/// </summary>
public abstract class PublisherBurstTests(DeliveryRounds app)
{
    [Fact]
    public async Task Copies_for_different_accounts_go_out_side_by_side_each_once()
    {
        var room = await app.NewsroomAsync("burst");
        var second = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@burst-second" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social");
        var first = await room.ConnectFakeAsync();
        var other = await room.ConnectFakeAsync(second);

        // Each account's publish waits until the other account's has started: one after another, neither ever would.
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.BeforePublish = async _ =>
        {
            firstStarted.TrySetResult();
            await otherStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        };
        other.BeforePublish = async _ =>
        {
            otherStarted.TrySetResult();
            await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        };

        var due = app.Clock.GetUtcNow().AddMinutes(-1);
        var posts = new List<Guid>
        {
            await room.PostAsync("Flu clinic opens at 8", due, PostStatus.Approved, room.AccountId),
            await room.PostAsync("Parking on level 2 is closed", due, PostStatus.Approved, second),
        };

        var run = await app.PublishAsync();

        Assert.Equal(2, run.Published);
        Assert.Equal((1, 1), (first.PublishCalls, other.PublishCalls));
        foreach (var post in posts)
        {
            var copy = Assert.Single(await room.CopiesAsync(post));
            Assert.Equal(DeliveryStatus.Published, copy.Status);
            Assert.Single(await room.AttemptsAsync(copy.Id));
        }
    }
}

public sealed class PublisherBurstTestsOnSqlite(DeliverySqlite app) : PublisherBurstTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class PublisherBurstTestsOnPostgres(DeliveryPostgres app) : PublisherBurstTests(app), IClassFixture<DeliveryPostgres>;
