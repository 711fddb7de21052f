using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// PostgreSQL connections prepare the statements they run again, so repeated commands skip parsing and planning;
/// a connection string that sets <c>Max Auto Prepare</c> itself (0 for a pooler that cannot keep them) is obeyed.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class PreparedStatementsTestsOnPostgres(PostgresRounds app) : IClassFixture<PostgresRounds>
{
    [Fact]
    public async Task A_command_run_again_on_a_connection_is_prepared_there()
    {
        var prepared = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                // The same query three times on one connection: the second use prepares it.
                for (var i = 0; i < 3; i++)
                {
                    await db.Organizations.TagWith("prepared-statement-check").Where(o => o.Slug == "prepared-" + i).CountAsync();
                }

                return await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM pg_prepared_statements WHERE statement LIKE '%prepared-statement-check%'").SingleAsync();
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
        Assert.True(prepared >= 1, $"{prepared} statements were prepared");
    }

    [Theory]
    [InlineData("Host=db;Database=rounds", DatabaseSetup.PreparedStatementsPerConnection, 2, true)]
    [InlineData("Host=db;Database=rounds;Max Auto Prepare=0", 0, 2, true)]
    [InlineData("Host=db;Database=rounds;max auto prepare=7", 7, 2, true)]
    [InlineData("Host=db;Database=rounds;MaxAutoPrepare=9;Auto Prepare Min Usages=4", 9, 4, true)]
    [InlineData("Host=db;Database=rounds;AutoPrepareMinUsages=3", DatabaseSetup.PreparedStatementsPerConnection, 3, true)]
    [InlineData("Host=db;Database=rounds;No Reset On Close=false", DatabaseSetup.PreparedStatementsPerConnection, 2, false)]
    [InlineData("Host=db;Database=rounds;noresetonclose=False", DatabaseSetup.PreparedStatementsPerConnection, 2, false)]
    public void The_connection_prepares_statements_and_skips_the_reset_unless_its_string_says_otherwise(string connection, int most, int usages, bool noReset)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithConnectionDefaults(connection));
        Assert.Equal(most, builder.MaxAutoPrepare);
        Assert.Equal(usages, builder.AutoPrepareMinUsages);
        Assert.Equal(noReset, builder.NoResetOnClose);
    }

    [Fact]
    public async Task A_paged_query_reaches_PostgreSQL_with_its_limit_as_a_number()
    {
        var (found, prepared) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                // Run three times so the statement is prepared, then read its text back from the connection.
                var rows = 0;
                for (var i = 0; i < 3; i++)
                {
                    var size = 2;
                    rows = (await db.Organizations.TagWith("literal-limit-check").OrderBy(o => o.Slug).Take(size).ToListAsync()).Count;
                }

                var statements = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements WHERE statement LIKE '%literal-limit-check%'").ToListAsync();
                return (rows == Math.Min(2, await db.Organizations.CountAsync()), statements);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
        Assert.True(found, "the page did not hold as many organizations as it should");
        var statement = Assert.Single(prepared);
        Assert.Contains("LIMIT 2", statement, StringComparison.Ordinal);
    }
}
