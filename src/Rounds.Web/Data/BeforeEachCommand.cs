using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rounds.Web.Data;

/// <summary>
/// An interceptor that does one thing to every command just before it runs, whichever way it runs (a reader, a row
/// count or a single value, waited on or not). EF Core has six hooks for that; a subclass writes the one thing.
/// </summary>
internal abstract class BeforeEachCommand : DbCommandInterceptor
{
    /// <summary>What to do to <paramref name="command"/> before it goes to the database.</summary>
    protected abstract void Before(DbCommand command);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Before(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Before(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Before(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Before(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Before(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Before(command);
        return ValueTask.FromResult(result);
    }
}
