using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// Units of work lease their database context from a pool. A leased context must start as a new one would: in no
/// organization, with no mail queued by an earlier unit of work, and with the configured command timeout.
/// </summary>
public abstract class ContextPoolTests(RoundsFactory app)
{
    [Fact]
    public async Task A_context_back_from_the_pool_starts_in_no_organization_with_nothing_queued()
    {
        var ran = 0;
        var first = await app.WithScopeAsync(services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.ScopeTo(Guid.NewGuid());
            db.Database.SetCommandTimeout(3);
            // As the imports leave it while they add rows in bulk.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            // Queued for a save that never came, as when a request fails before it saves.
            db.AfterCommit(_ =>
            {
                ran++;
                return Task.CompletedTask;
            });
            return Task.FromResult(db);
        });

        // The pool hands out the contexts it holds in turn, and the host's jobs lease some too: scopes stay open
        // until the one used above comes back, so that this test is about a context that was used before.
        var open = new List<AsyncServiceScope>();
        try
        {
            RoundsDbContext? again = null;
            while (again is null && open.Count < 500)
            {
                var scope = app.Services.CreateAsyncScope();
                open.Add(scope);
                var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
                again = ReferenceEquals(db, first) ? db : null;
            }

            Assert.NotNull(again);
            Assert.Null(again.TenantId);
            Assert.Equal(DatabaseSetup.DefaultCommandTimeoutSeconds, again.Database.GetCommandTimeout());
            Assert.True(again.ChangeTracker.AutoDetectChangesEnabled);
            Assert.Equal(QueryTrackingBehavior.TrackAll, again.ChangeTracker.QueryTrackingBehavior);
            await again.SaveChangesAsync();
            Assert.Equal(0, ran);
        }
        finally
        {
            foreach (var scope in open)
            {
                await scope.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Contexts_in_flight_at_once_are_never_shared()
    {
        var leased = new System.Collections.Concurrent.ConcurrentBag<RoundsDbContext>();
        var allLeased = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        const int units = 8;
        var count = 0;
        // The host starts on first use, which takes longer than the wait below allows.
        _ = app.Services;
        var scopes = Enumerable.Range(0, units).Select(_ => Task.Run(() => app.WithScopeAsync(async services =>
        {
            try
            {
                leased.Add(services.GetRequiredService<RoundsDbContext>());
            }
            catch (Exception error)
            {
                allLeased.TrySetException(error);
                throw;
            }

            if (Interlocked.Increment(ref count) == units)
            {
                allLeased.TrySetResult();
            }

            await release.Task;
        }))).ToList();

        // Every unit holds its context until all of them have one; a unit that fails ends the wait with its error.
        try
        {
            await allLeased.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            release.TrySetResult();
        }

        await Task.WhenAll(scopes);
        Assert.Equal(units, leased.Distinct().Count());
    }
}

public sealed class ContextPoolTestsOnSqlite(SqliteRounds app) : ContextPoolTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ContextPoolTestsOnPostgres(PostgresRounds app) : ContextPoolTests(app), IClassFixture<PostgresRounds>;
