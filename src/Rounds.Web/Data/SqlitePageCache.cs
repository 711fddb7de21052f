using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rounds.Web.Data;

/// <summary>
/// Gives each SQLite connection a page cache of its own size (<c>Database:SqliteCacheMegabytes</c>) the first time
/// it opens. SQLite's default of 2 MB holds fewer pages than one review-queue or calendar view reads on a large
/// database, so every view read its pages again from the file: a sixth of the server's CPU went to those reads at
/// a million posts. The pragma belongs to the physical connection, which the pool keeps open, so it is set once per
/// connection rather than on every open (EF opens the pooled connection for every query).
/// <para>
/// It also sets SQLite's soft heap limit to <c>Database:SqliteMemoryMegabytes</c>
/// (<see cref="DatabaseSetup.DefaultSqliteMemoryMegabytes"/>). The limit belongs to the process, not to a
/// connection, so every connection sets the same value; past it a cache reuses its least recent pages.
/// </para>
/// </summary>
internal sealed class SqlitePageCache(int megabytes, int totalMegabytes) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> sized = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Size(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Size(connection);
        return Task.CompletedTask;
    }

    private void Size(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || sized.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        // A negative cache size is in KiB rather than pages, so it does not depend on the database's page size.
        command.CommandText = "PRAGMA cache_size = " + (-1024L * megabytes).ToString(CultureInfo.InvariantCulture)
            + "; PRAGMA soft_heap_limit = " + (1024L * 1024 * totalMegabytes).ToString(CultureInfo.InvariantCulture);
        command.ExecuteNonQuery();
        sized.AddOrUpdate(handle, handle);
    }
}
