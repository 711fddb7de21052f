using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Notifications;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Tells the owners of an account when its connection expires within a week, once per expiry: the warning is
/// claimed with a conditional update, so several instances running this at once warn once.
/// </summary>
public sealed class WarnExpiringConnections(RoundsDbContext db, IAccountDirectory accounts, INotifier notifier, TimeProvider clock)
{
    public static readonly TimeSpan Notice = TimeSpan.FromDays(7);

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var horizon = now + Notice;
        var expiring = await db.Set<AccountConnection>().AsNoTracking()
            .Where(c => c.Status == ConnectionStatus.Connected && c.ExpiresAt != null && c.ExpiresAt <= horizon && c.ExpiryWarnedAt == null)
            .Select(c => new { c.AccountId, c.OrganizationId, c.ExpiresAt, c.ConnectedAt })
            .ToListAsync(cancellationToken);
        var warned = 0;
        foreach (var connection in expiring)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Set<AccountConnection>()
                .Where(c => c.AccountId == connection.AccountId && c.ExpiryWarnedAt == null && c.ConnectedAt == connection.ConnectedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiryWarnedAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var card = await accounts.FindAsync(connection.OrganizationId, connection.AccountId, cancellationToken);
            var owners = await accounts.PeopleOfAsync(connection.OrganizationId, connection.AccountId, cancellationToken);
            var slug = await db.Organizations.Where(o => o.Id == connection.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
            var when = PostOutcomes.When(connection.ExpiresAt);
            var title = connection.ExpiresAt <= now
                ? $"The connection of {card?.Label ?? "an account"} expired on {when}: reconnect it so that its posts go out."
                : $"The connection of {card?.Label ?? "an account"} expires on {when}: reconnect it before then so that its posts keep going out.";
            await notifier.NotifyAsync(connection.OrganizationId, owners, $"connection-expiring:{connection.AccountId}:{connection.ExpiresAt!.Value.UtcTicks}", title, $"/o/{slug}/accounts/{connection.AccountId}", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            warned++;
        }

        return warned;
    }
}
