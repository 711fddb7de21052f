using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rounds.Web.Data;

/// <summary>
/// Makes the command timeout stop a running statement on SQLite. Microsoft.Data.Sqlite uses the timeout only to
/// wait for a locked database; a slow statement runs to its end however long it takes. Each command EF runs is
/// armed with a timer that interrupts the connection (sqlite3_interrupt) when the timeout passes and is disarmed
/// when the command ends or its reader is disposed. The statement then fails with SQLITE_INTERRUPT.
/// </summary>
internal sealed class SqliteCommandTimeout : BeforeEachCommand
{
    public static readonly SqliteCommandTimeout Instance = new();

    private readonly ConditionalWeakTable<DbCommand, CancellationTokenSource> armed = new();

    protected override void Before(DbCommand command) => Arm(command);

    // A reader's statement keeps stepping while its rows are read, so it stays armed until the reader goes.
    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Disarm(command);
        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Disarm(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Disarm(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Disarm(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Disarm(command);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Disarm(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Disarm(command);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Disarm(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Disarm(command);
        return Task.CompletedTask;
    }

    private void Arm(DbCommand command)
    {
        if (command.CommandTimeout <= 0 || command.Connection is not SqliteConnection { Handle: { } handle })
        {
            return;
        }

        var timer = new CancellationTokenSource(TimeSpan.FromSeconds(command.CommandTimeout));
        // Interrupting a connection with no statement running does nothing, so a timer that fires just as the
        // command ends cannot stop the connection's next statement.
        timer.Token.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle));
        armed.AddOrUpdate(command, timer);
    }

    private void Disarm(DbCommand command)
    {
        if (armed.TryGetValue(command, out var timer))
        {
            armed.Remove(command);
            timer.Dispose();
        }
    }
}
