using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rounds.Web.Data;

/// <summary>
/// Gives each SQLite connection a <c>lower()</c> that folds all of Unicode, as PostgreSQL's does in a UTF-8
/// database. SQLite's own folds A to Z only, so a search lower-cased on both sides would not find "Émile" when
/// "émile" is typed. The searches lower the typed text with <see cref="string.ToLowerInvariant"/>, and this is the
/// same mapping on the stored side. Deterministic, so the planner treats it as the built-in it replaces; no index
/// is built on <c>lower()</c>, so no stored entry was computed by the old one.
/// </summary>
internal sealed class SqliteUnicodeLower : DbConnectionInterceptor
{
    public static readonly SqliteUnicodeLower Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Register(connection);
        return Task.CompletedTask;
    }

    private static void Register(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        }
    }
}
