using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// How a bundle line's frozen total is split between its seats, so that one event of a bundle can be cancelled and
/// refunded alone. The split is in proportion to the events' list prices, to the cent; the cents rounding leaves
/// over go one each to the seats whose exact share lost most to rounding (the earlier event id first on a tie), so
/// the parts always sum to exactly the total. It is kept on each seat when the bundle is bought.
/// </summary>
public static class BundleShares
{
    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/>; equally when every weight is zero.</summary>
    public static IReadOnlyList<decimal> Split(decimal total, IReadOnlyList<decimal> weights)
    {
        if (total < 0 || Money.Round(total) != total)
        {
            throw new ArgumentOutOfRangeException(nameof(total), "A bundle's total is a positive amount in cents.");
        }

        if (weights.Count == 0)
        {
            return [];
        }

        var used = weights.All(w => w <= 0) ? weights.Select(_ => 1m).ToList() : weights.Select(w => Math.Max(0m, w)).ToList();
        var sum = used.Sum();
        var cents = decimal.ToInt64(total * 100m);
        var exact = used.Select(w => cents * w / sum).ToList();
        var parts = exact.Select(e => decimal.ToInt64(Math.Floor(e))).ToArray();
        var left = cents - parts.Sum();
        foreach (var i in Enumerable.Range(0, parts.Length).OrderByDescending(i => exact[i] - parts[i]).ThenBy(i => i).Take((int)left))
        {
            parts[i]++;
        }

        return parts.Select(p => p / 100m).ToList();
    }

    /// <summary>
    /// The seats of one bundle purchase with their shares, in the order of their events' ids. Seats bought before
    /// shares were kept get them now, from the events' list prices of today, once: the writes are guarded on the
    /// share being empty and made in one transaction in a fixed order, so two cancellations at once store one split.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid RegistrationId, Guid EventId, decimal Share)>> OfAsync(RoundsDbContext db, Guid orderId, Guid bundleId, decimal lineTotal, CancellationToken cancellationToken)
    {
        var seats = await ReadAsync(db, orderId, bundleId, cancellationToken);
        if (seats.Any(s => s.BundleShare is null))
        {
            var eventIds = seats.Select(s => s.EventId).ToList();
            var prices = await (from e in db.Set<NetworkEvent>()
                                join p in db.Set<Product>() on e.ProductId equals p.Id
                                where eventIds.Contains(e.Id)
                                select new { e.Id, p.ListPrice }).ToDictionaryAsync(x => x.Id, x => x.ListPrice, cancellationToken);
            var split = Split(lineTotal, seats.Select(s => prices.GetValueOrDefault(s.EventId)).ToList());
            var outer = db.Database.CurrentTransaction;
            await using var transaction = outer is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            for (var i = 0; i < seats.Count; i++)
            {
                var (id, share) = (seats[i].Id, split[i]);
                await db.Set<Registration>().Where(r => r.Id == id && r.BundleShare == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.BundleShare, share), cancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            seats = await ReadAsync(db, orderId, bundleId, cancellationToken);
        }

        return seats.Select(s => (s.Id, s.EventId, s.BundleShare ?? 0m)).ToList();
    }

    /// <summary>Ordered here rather than by the database, which orders ids its own way: the split must not depend on the provider.</summary>
    private static async Task<List<Registration>> ReadAsync(RoundsDbContext db, Guid orderId, Guid bundleId, CancellationToken cancellationToken) =>
        (await db.Set<Registration>().AsNoTracking().Where(r => r.OrderId == orderId && r.BundleId == bundleId).ToListAsync(cancellationToken)).OrderBy(r => r.EventId).ToList();
}
