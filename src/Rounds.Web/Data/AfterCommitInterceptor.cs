using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rounds.Web.Data;

/// <summary>Runs a context's after-commit work when its explicit transaction commits, and drops it on rollback.</summary>
internal sealed class AfterCommitInterceptor : DbTransactionInterceptor
{
    public static AfterCommitInterceptor Instance { get; } = new();

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is RoundsDbContext context)
        {
            await context.RunAfterCommitAsync(cancellationToken);
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is RoundsDbContext context)
        {
            context.RunAfterCommitAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as RoundsDbContext)?.DropAfterCommit();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as RoundsDbContext)?.DropAfterCommit();
}
