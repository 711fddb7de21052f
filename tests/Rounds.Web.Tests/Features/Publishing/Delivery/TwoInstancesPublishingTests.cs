using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// Two instances of Rounds on one database, each with its own clock and its own view of the network, with one
/// instance's cycle stopped half-way while the other runs.
/// </summary>
public abstract class TwoInstancesPublishingTests(DeliveryRounds app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A 429 was written to the database only when the whole cycle ended (and held back the limited account only
    /// in the memory of the instance that met it): another instance running meanwhile, or the next one after a
    /// crash, sent straight into the limit. The hold is now stored as the network answers.
    /// </summary>
    [Fact]
    public async Task A_rate_limit_met_mid_cycle_holds_the_account_for_another_instance_before_the_cycle_ends()
    {
        var room = await app.NewsroomAsync("limitshared");
        var limited = await room.ConnectFakeAsync();
        var slowAccount = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@slowshared" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social");
        var slow = await room.ConnectFakeAsync(slowAccount);
        await using var second = await SecondInstanceAsync();
        var limitedThere = second.Network.Open(limited.Identifier, limited.Secret);

        limited.Script.Enqueue(FakeStep.Refuse(FailureKind.RateLimited, "429 Too Many Requests", TimeSpan.FromMinutes(5)));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.BeforePublish = _ => release.Task.WaitAsync(Patience);
        var now = app.Clock.GetUtcNow();
        await room.PostAsync("Flu shots in the lobby today.", now, PostStatus.Approved, room.AccountId);
        await room.PostAsync("Visiting hours change on Monday.", now, PostStatus.Approved, slowAccount);

        var firstCycle = app.PublishAsync();
        try
        {
            // The first instance is still in its cycle (one of its sends waits) when the limit must be in the database.
            var until = await WaitForAsync(() => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AccountConnection>().AsNoTracking()
                .Where(c => c.AccountId == room.AccountId).Select(c => c.RateLimitedUntil).SingleAsync()));
            Assert.Equal(now.AddMinutes(5), until);
            Assert.False(firstCycle.IsCompleted);

            // A post approved after the first instance claimed its copies, picked up by the second instance.
            var later = await room.PostAsync("Cafeteria closes early on Friday.", now, PostStatus.Approved, room.AccountId);
            var run = await second.PublishAsync();

            Assert.Equal((0, 0, 0), (run.Published, run.Retrying, run.Failed));
            Assert.Equal(0, limitedThere.PublishCalls);
            var copy = Assert.Single(await room.CopiesAsync(later));
            Assert.Equal((DeliveryStatus.Waiting, 0), (copy.Status, copy.Attempts));
        }
        finally
        {
            release.TrySetResult();
            await firstCycle;
        }

        Assert.Equal(1, limited.PublishCalls);
        Assert.Equal(1, slow.PublishCalls);
    }

    /// <summary>
    /// An instance whose claim lapsed (its clock behind the other's, or a send that outlasted the lease) wrote its
    /// outcome over the copy once its send came back, undoing what the instance that took the copy over had
    /// recorded: here a retry scheduled over a published copy. Writes now carry the claim's id.
    /// </summary>
    [Fact]
    public async Task An_instance_whose_claim_was_taken_over_cannot_write_over_the_other_instances_outcome()
    {
        var room = await app.NewsroomAsync("takeover");
        var network = await room.ConnectFakeAsync();
        await using var second = await SecondInstanceAsync();
        var there = second.Network.Open(network.Identifier, network.Secret);

        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        network.BeforePublish = async _ =>
        {
            sending.TrySetResult();
            await release.Task.WaitAsync(Patience);
        };
        network.Script.Enqueue(FakeStep.Refuse(FailureKind.Retryable, "503 Service Unavailable"));
        var postId = await room.PostAsync("Blood drive in the atrium until 4.", app.Clock.GetUtcNow());

        var firstCycle = app.PublishAsync();
        PublishRun firstRun;
        try
        {
            await sending.Task.WaitAsync(Patience);
            // The second instance's clock is past the first one's claim: for it the claim has lapsed.
            second.Clock.SetUtcNow(app.Clock.GetUtcNow().AddSeconds(new DeliveryOptions().LeaseSeconds + 1));
            var taken = await second.PublishAsync();
            Assert.Equal(1, taken.Published);
        }
        finally
        {
            release.TrySetResult();
            firstRun = await firstCycle;
        }

        Assert.Equal(0, firstRun.Published);
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Published, null, null), (copy.Status, copy.ClaimedBy, copy.NextAttemptAt));
        Assert.Equal(there.Published(copy.IdempotencyKey).Url, copy.ExternalUrl);
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
        var attempts = await room.AttemptsAsync(copy.Id);
        Assert.Equal([("first", AttemptOutcome.Unknown), ("second", AttemptOutcome.Published)], attempts.Select(a => (a.Instance, a.Outcome)));
    }

    /// <summary>A second host on the same database, as another instance behind the load balancer, its clock with the first's.</summary>
    private async Task<DeliveryRounds> SecondInstanceAsync()
    {
        var second = new DeliveryRounds(app.Database, await app.ConnectionStringAsync(), "second");
        var now = app.Clock.GetUtcNow() > second.Clock.GetUtcNow() ? app.Clock.GetUtcNow() : second.Clock.GetUtcNow();
        app.Clock.SetUtcNow(now);
        second.Clock.SetUtcNow(now);
        await second.ConnectionStringAsync();
        return second;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read)
        where T : struct
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            Assert.False(timeout.IsCancellationRequested, "The value never reached the database.");
            await Task.Delay(50);
        }
    }
}

public sealed class TwoInstancesPublishingTestsOnSqlite(FirstInstanceSqlite app) : TwoInstancesPublishingTests(app), IClassFixture<FirstInstanceSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class TwoInstancesPublishingTestsOnPostgres(FirstInstancePostgres app) : TwoInstancesPublishingTests(app), IClassFixture<FirstInstancePostgres>;

public sealed class FirstInstanceSqlite() : DeliveryRounds(Rounds.Web.Tests.Infrastructure.TestDatabase.Sqlite, instanceId: "first");

public sealed class FirstInstancePostgres() : DeliveryRounds(Rounds.Web.Tests.Infrastructure.TestDatabase.PostgreSql, instanceId: "first");
