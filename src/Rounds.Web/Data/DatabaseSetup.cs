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

    public static IServiceCollection AddRoundsDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ReadProvider(configuration);
        var connection = configuration.GetConnectionString("Rounds");
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                connection = string.IsNullOrWhiteSpace(connection) ? DefaultSqliteConnection : connection;
                EnsureSqliteFolder(connection);
                services.AddDbContext<RoundsDbContext, SqliteRoundsDbContext>(o => o.UseSqlite(connection));
                break;
            case DatabaseProvider.PostgreSql:
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new InvalidOperationException("ConnectionStrings:Rounds is required when Database:Provider is PostgreSql.");
                }

                services.AddDbContext<RoundsDbContext, PostgresRoundsDbContext>(o => o.UseNpgsql(connection));
                break;
        }

        return services;
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
