using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// The connector of a copy used to be made outside the guard around its send: a stored secret that could no
    /// longer be read (lost data-protection keys) threw out of the whole cycle, so no copy of it was recorded, not
    /// even those already published for other organizations, and the same cycle failed again after every lease.
    /// </summary>
    [Fact]
    public async Task An_unreadable_stored_secret_fails_its_own_copy_and_the_rest_of_the_cycle_is_recorded()
    {
        var room = await app.NewsroomAsync("unreadable");
        var broken = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@unreadable" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social");
        var healthy = await room.ConnectFakeAsync();
        await room.ConnectFakeAsync(broken);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<Rounds.Web.Data.RoundsDbContext>();
            var connection = await db.Set<AccountConnection>().SingleAsync(c => c.AccountId == broken);
            connection.ProtectedSecret = "CfDJ8-not-a-protected-secret";
            await db.SaveChangesAsync();
        });

        var due = app.Clock.GetUtcNow().AddMinutes(-1);
        var good = await room.PostAsync("Flu clinic opens at 8", due, PostStatus.Approved, room.AccountId);
        var bad = await room.PostAsync("Parking on level 2 is closed", due, PostStatus.Approved, broken);

        var run = await app.PublishAsync();

        Assert.Equal((1, 1), (run.Published, healthy.PublishCalls));
        Assert.Equal(DeliveryStatus.Published, Assert.Single(await room.CopiesAsync(good)).Status);
        var failed = Assert.Single(await room.CopiesAsync(bad));
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Null(failed.ClaimedBy);
    }

    /// <summary>
    /// Each copy cost its own claim transaction, a dozen round trips and two more commits to send, and each post
    /// a transaction to end (about 28 commands and 4 commits a copy): under a burst the database, not the
    /// network, set the pace. A cycle now commits a few times in all, whatever its size, and asks the database
    /// about each copy once, just before it goes.
    /// </summary>
    [Fact]
    public async Task A_cycle_commits_a_few_times_in_all_and_asks_once_per_copy_before_sending()
    {
        var room = await app.NewsroomAsync("batch");
        var accounts = new List<Guid> { room.AccountId };
        for (var i = 1; i < 4; i++)
        {
            accounts.Add(await app.AddAccountAsync(room.Org, room.Admin, room.Owner, $"@batch{i}" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social"));
        }

        foreach (var account in accounts)
        {
            await room.ConnectFakeAsync(account);
        }

        var due = app.Clock.GetUtcNow().AddMinutes(-1);
        var posts = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            posts.Add(await room.PostAsync($"Flu clinic update {i}: walk-ins welcome.", due, PostStatus.Approved, accounts[i % accounts.Count]));
        }

        using var counter = new DatabaseCounter(await app.ConnectionStringAsync());
        var run = await app.PublishAsync();
        var (commands, commits) = (counter.Commands, counter.Commits);

        Assert.Equal(40, run.Published);
        foreach (var post in posts)
        {
            Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(post)).Status);
            Assert.Single(await room.AttemptsAsync(Assert.Single(await room.CopiesAsync(post)).Id));
        }

        Assert.InRange(commits, 1, 8);
        // One look per copy before it goes, and a few dozen for the cycle.
        Assert.InRange(commands, 40, 40 + 40);
    }
}

/// <summary>Counts the queries and statements (not the rows of saves) and the commits Entity Framework runs against one database.</summary>
internal sealed class DatabaseCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string connection;
    private readonly IDisposable all;
    private readonly List<IDisposable> listeners = [];
    private int commands;
    private int commits;

    public DatabaseCounter(string connection)
    {
        this.connection = connection;
        all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public int Commands => Volatile.Read(ref commands);

    public int Commits => Volatile.Read(ref commits);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (listeners)
            {
                listeners.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        // Saves are left out: SQLite runs each row of a save as a command of its own, in process.
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { CommandSource: not CommandSource.SaveChanges } command && Ours(command.Context))
        {
            Interlocked.Increment(ref commands);
        }
        else if (value.Key == RelationalEventId.TransactionCommitted.Name && value.Value is TransactionEndEventData commit && Ours(commit.Context))
        {
            Interlocked.Increment(ref commits);
        }
    }

    private bool Ours(DbContext? context) => context is not null && context.Database.GetConnectionString() == connection;

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        all.Dispose();
        lock (listeners)
        {
            listeners.ForEach(l => l.Dispose());
        }
    }
}

public sealed class PublisherBurstTestsOnSqlite(DeliverySqlite app) : PublisherBurstTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class PublisherBurstTestsOnPostgres(DeliveryPostgres app) : PublisherBurstTests(app), IClassFixture<DeliveryPostgres>;
