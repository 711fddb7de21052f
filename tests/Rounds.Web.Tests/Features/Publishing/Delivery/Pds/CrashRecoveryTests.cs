using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>
/// Rounds dies between the network's answer and recording it; a new process on the same database finds the
/// post on the network instead of publishing it again.
/// </summary>
[Collection(BlueskyPdsCollection.Name)]
[Trait("Network", "Bluesky")]
public abstract class CrashRecoveryTests(DeliveryRounds app, BlueskyPds pds)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_process_killed_after_the_post_was_created_leaves_one_post_which_the_next_process_finds()
    {
        var folder = Directory.CreateTempSubdirectory("rounds-crash-").FullName;
        var room = await app.NewsroomAsync("crash");
        var bluesky = await pds.CreateAccountAsync("crash");
        await using var proxy = await KillingProxy.StartAsync(pds.Url);
        await room.ConnectAsync(room.AccountId, proxy.Url.ToString(), bluesky.Handle, bluesky.Password);
        // The processes keep real time.
        var postId = await room.PostAsync("Cardiac rehab open house, Thursday 4 pm.", TimeProvider.System.GetUtcNow().AddSeconds(-5));
        var connection = await app.ConnectionStringAsync();

        using (var first = RoundsProcess.Start(app.Database, connection, folder, "first", leaseSeconds: 3))
        {
            proxy.Arm(first);
            await WaitAsync(proxy.Killed.Task, first);
        }

        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Sending, "first"), (copy.Status, copy.ClaimedBy));
        Assert.Equal([AttemptOutcome.Started], (await room.AttemptsAsync(copy.Id)).Select(a => a.Outcome));
        Assert.Single(await pds.ListPostsAsync(bluesky.Did));

        using (var second = RoundsProcess.Start(app.Database, connection, folder, "second", leaseSeconds: 3))
        {
            await WaitAsync(UntilAsync(async () => (await room.ReadPostAsync(postId)).Status == PostStatus.Published), second);
        }

        copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal($"at://{bluesky.Did}/app.bsky.feed.post/{copy.IdempotencyKey}", copy.ExternalId);
        var attempts = await room.AttemptsAsync(copy.Id);
        // The first process's attempt is left unknown and the second finds the post instead of writing it again. On a
        // loaded machine the second may lose its three-second lease mid-attempt and try once more; however many tries,
        // none of them publishes a second post.
        Assert.Equal(("first", AttemptOutcome.Unknown), (attempts[0].Instance, attempts[0].Outcome));
        Assert.Equal(("second", AttemptOutcome.FoundExisting), (attempts[^1].Instance, attempts[^1].Outcome));
        Assert.All(attempts.Skip(1), a => Assert.Equal("second", a.Instance));
        Assert.DoesNotContain(attempts, a => a.Outcome == AttemptOutcome.Published);
        var posts = await pds.ListPostsAsync(bluesky.Did);
        Assert.Single(posts);
        Assert.Equal("Cardiac rehab open house, Thursday 4 pm.", posts[0].GetProperty("value").GetProperty("text").GetString());
        Directory.Delete(folder, recursive: true);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            await Task.Delay(200);
        }
    }

    /// <summary>Waits for the step; a process that never gets there fails the test with its own output.</summary>
    private static async Task WaitAsync(Task step, RoundsProcess process)
    {
        try
        {
            await step.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Rounds did not get there within {Patience}. It printed:{Environment.NewLine}{process.Output}");
        }
    }
}

public sealed class CrashRecoveryTestsOnSqlite(DeliverySqlite app, BlueskyPds pds) : CrashRecoveryTests(app, pds), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class CrashRecoveryTestsOnPostgres(DeliveryPostgres app, BlueskyPds pds) : CrashRecoveryTests(app, pds), IClassFixture<DeliveryPostgres>;
