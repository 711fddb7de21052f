using Microsoft.EntityFrameworkCore;

namespace Rounds.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class DatabaseSetup
{
    public const string DefaultSqliteConnection = "Data Source=data/rounds.db";

    /// <summary>
    /// How long one query may run (<c>Database:CommandTimeoutSeconds</c>). A query that runs longer is stopped
    /// rather than holding a connection and a request for minutes.
    /// </summary>
    public const int DefaultCommandTimeoutSeconds = 30;

    /// <summary>
    /// Each SQLite connection's page cache (<c>Database:SqliteCacheMegabytes</c>). The pool keeps a connection per
    /// request in flight, so the memory this takes grows with the requests served at once; 8 MB held a review-queue
    /// or calendar view of a million posts, and 16 or 32 MB cost no less CPU.
    /// </summary>
    public const int DefaultSqliteCacheMegabytes = 8;

    /// <summary>Migrations and seeding rewrite whole tables; they are not requests and get far longer.</summary>
    public static readonly TimeSpan MaintenanceTimeout = TimeSpan.FromHours(1);

    public static int ReadCommandTimeout(IConfiguration configuration)
    {
        var seconds = configuration.GetValue("Database:CommandTimeoutSeconds", DefaultCommandTimeoutSeconds);
        return seconds > 0
            ? seconds
            : throw new InvalidOperationException($"Database:CommandTimeoutSeconds must be a positive number of seconds, not {seconds}.");
    }

    /// <summary>
    /// What all SQLite connections of the process may hold together (<c>Database:SqliteMemoryMegabytes</c>), their
    /// page caches included. The pool keeps a connection for every request that ran at once (seventeen under
    /// sixteen clients), and each cache filled towards its 8 MB over a long run, up to 136 MB for seventeen: through
    /// the million-post benchmark the server's RSS peaked at 582 MB without this limit and 527 MB with it. Past this
    /// sum a connection reuses its own least recent pages instead of growing.
    /// </summary>
    public const int DefaultSqliteMemoryMegabytes = 64;

    public static int ReadSqliteMemoryMegabytes(IConfiguration configuration)
    {
        var megabytes = configuration.GetValue("Database:SqliteMemoryMegabytes", DefaultSqliteMemoryMegabytes);
        return megabytes is > 0 and <= 65536
            ? megabytes
            : throw new InvalidOperationException($"Database:SqliteMemoryMegabytes must be a number of megabytes from 1 to 65536, not {megabytes}.");
    }

    public static int ReadSqliteCacheMegabytes(IConfiguration configuration)
    {
        var megabytes = configuration.GetValue("Database:SqliteCacheMegabytes", DefaultSqliteCacheMegabytes);
        return megabytes is > 0 and <= 4096
            ? megabytes
            : throw new InvalidOperationException($"Database:SqliteCacheMegabytes must be a number of megabytes from 1 to 4096, not {megabytes}.");
    }

    public static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }

        if (value.Equals("postgresql", StringComparison.OrdinalIgnoreCase) || value.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.PostgreSql;
        }

        throw new InvalidOperationException($"Database:Provider '{value}' is not known; use 'Sqlite' or 'PostgreSql'.");
    }

    /// <remarks>
    /// Each unit of work (a request, a job's round) leases a context from a pool instead of building one: a new
    /// context set up its share of EF Core's services on first use, about a twelfth of a page's CPU for the two a
    /// page uses. Disposing the scope returns the context; <see cref="RoundsDbContext.Lease"/> clears what is ours.
    /// </remarks>
    public static IServiceCollection AddRoundsDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ReadProvider(configuration);
        var connection = configuration.GetConnectionString("Rounds");
        var timeout = ReadCommandTimeout(configuration);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // Every setting is checked before anything is made on disk.
                var pageCache = new SqlitePageCache(ReadSqliteCacheMegabytes(configuration), ReadSqliteMemoryMegabytes(configuration));
                connection = string.IsNullOrWhiteSpace(connection) ? DefaultSqliteConnection : connection;
                EnsureSqliteFolder(connection);
                services.AddPooledDbContextFactory<SqliteRoundsDbContext>(
                    o => o.UseSqlite(connection, sqlite => sqlite.CommandTimeout(timeout))
                        .AddInterceptors(SqliteCommandTimeout.Instance, SqliteUnicodeLower.Instance, pageCache, AfterCommitInterceptor.Instance));
                services.AddScoped<RoundsDbContext>(s => RoundsDbContext.Lease(s.GetRequiredService<IDbContextFactory<SqliteRoundsDbContext>>()));
                break;
            case DatabaseProvider.PostgreSql:
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new InvalidOperationException("ConnectionStrings:Rounds is required when Database:Provider is PostgreSql.");
                }

                connection = WithConnectionDefaults(connection);
                services.AddPooledDbContextFactory<PostgresRoundsDbContext>(
                    o => o.UseNpgsql(connection, npgsql => npgsql.CommandTimeout(timeout)).AddInterceptors(AfterCommitInterceptor.Instance, PostgresLiteralLimits.Instance));
                services.AddScoped<RoundsDbContext>(s => RoundsDbContext.Lease(s.GetRequiredService<IDbContextFactory<PostgresRoundsDbContext>>()));
                break;
        }

        return services;
    }

    /// <summary>How many statements each PostgreSQL connection keeps prepared, unless the connection string says.</summary>
    public const int PreparedStatementsPerConnection = 200;

    /// <summary>
    /// The connection string with automatic preparation on, unless it sets <c>Max Auto Prepare</c> itself (0 turns
    /// it off, for a pooler that cannot keep prepared statements), and <c>Auto Prepare Min Usages</c> at 2 unless
    /// it sets that. Without it PostgreSQL parses and plans every command again: at a million posts planning the
    /// review queue's command took 10 ms, about as long as running it, and a page of the queue cost the machine about
    /// a quarter more CPU. A statement run twice on a connection is prepared there and later runs skip both.
    /// <para>
    /// Also <c>No Reset On Close</c>, unless the string sets it: EF Core opens and closes its connection around
    /// every command, and by default each return to the pool makes the next command carry a reset of the session
    /// (seven statements PostgreSQL runs before the command itself). Rounds keeps no state in a session (no
    /// <c>SET</c>, temporary tables, advisory locks or <c>LISTEN</c>), so there is nothing to reset.
    /// </para>
    /// </summary>
    public static string WithConnectionDefaults(string connection)
    {
        // Npgsql's own builder answers every keyword it knows as present, so the keys as written are read plainly.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connection }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        if (!written.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = PreparedStatementsPerConnection;
        }

        if (!written.Contains("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        if (!written.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static void EnsureSqliteFolder(string connection)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(folder);
        }
    }
}
