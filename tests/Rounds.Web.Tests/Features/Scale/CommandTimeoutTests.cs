using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// Every query carries a timeout (<c>Database:CommandTimeoutSeconds</c>, 30 s by default) and a query that runs
/// past it is stopped on both databases. Without it a runaway query held its connection for minutes; on SQLite
/// the driver's own timeout never stops a running statement.
/// </summary>
public abstract class CommandTimeoutTests(RoundsFactory app)
{
    [Fact]
    public async Task Queries_carry_the_configured_timeout_by_default() =>
        await app.WithScopeAsync(services =>
        {
            Assert.Equal(DatabaseSetup.DefaultCommandTimeoutSeconds, services.GetRequiredService<RoundsDbContext>().Database.GetCommandTimeout());
            return Task.CompletedTask;
        });

    [Fact]
    public async Task A_query_running_past_its_timeout_is_stopped()
    {
        var watch = Stopwatch.StartNew();
        var query = app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Database.SetCommandTimeout(1);

            // About a minute of work on either database when nothing stops it.
            var sql = app.Database == TestDatabase.Sqlite
                ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT count(*) AS \"Value\" FROM n"
                : "SELECT 1::bigint AS \"Value\" FROM pg_sleep(60)";
            await db.Database.SqlQueryRaw<long>(sql).ToListAsync();
        });

        var finished = await Task.WhenAny(query, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == query, $"the query was still running after {watch.Elapsed}");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => query);
        var causes = new List<Exception>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            causes.Add(e);
        }

        // SQLite: SQLITE_INTERRUPT; PostgreSQL: Npgsql's timeout, under the execution strategy's wrapper.
        var stopped = causes.Any(e => e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 9 } or TimeoutException);
        Assert.True(stopped, $"failed otherwise than by its timeout: {error}");

        // The connection pool stays usable after the interruption.
        Assert.True(await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Organizations.CountAsync()) >= 0);
    }
}

public sealed class CommandTimeoutTestsOnSqlite(SqliteRounds app) : CommandTimeoutTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CommandTimeoutTestsOnPostgres(PostgresRounds app) : CommandTimeoutTests(app), IClassFixture<PostgresRounds>;
