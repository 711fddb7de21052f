using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>What the network's admins narrow the order list to; empty fields narrow nothing.</summary>
public sealed record OrderFilter(OrderStatus? Status, PaymentMethod? Method, PageCursor? After);

/// <summary>One order with its lines and the invoice and credit notes issued on it, oldest first.</summary>
public sealed record OrderBookRow(Order Order, string? BuyerOrganization, IReadOnlyList<Invoice> Invoices);

public sealed record OrderBookPage(IReadOnlyList<OrderBookRow> Rows, PageCursor? Next);

/// <summary>
/// The network's orders for its admins, newest first, a page at a time, filtered in the database; the order
/// (placed, then id) is the API's, so the page and the API list agree and neither skips nor repeats a row.
/// </summary>
public sealed class OrderBook(RoundsDbContext db)
{
    public const int PageSize = 50;

    public async Task<OrderBookPage> ListAsync(OrgContext org, OrderFilter filter, CancellationToken cancellationToken = default)
    {
        var query = db.Set<Order>().AsNoTracking().Where(o => o.OrganizationId == org.Id);
        if (filter.Status is { } status)
        {
            query = query.Where(o => o.Status == status);
        }

        if (filter.Method is { } method)
        {
            query = query.Where(o => o.PaymentMethod == method);
        }

        if (filter.After is { } cursor)
        {
            var (at, id) = (cursor.At, cursor.Id);
            query = query.Where(o => o.CreatedAt < at || (o.CreatedAt == at && o.Id.CompareTo(id) < 0));
        }

        var page = await query.Include(o => o.Lines).OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(PageSize + 1).AsSplitQuery().ToListAsync(cancellationToken);
        PageCursor? next = page.Count > PageSize ? new PageCursor(page[PageSize - 1].CreatedAt, page[PageSize - 1].Id) : null;
        page = page.Take(PageSize).ToList();

        var orderIds = page.Select(o => o.Id).ToList();
        var invoices = (await db.Set<Invoice>().AsNoTracking().Where(i => i.OrganizationId == org.Id && orderIds.Contains(i.OrderId)).ToListAsync(cancellationToken))
            .OrderBy(i => i.IssuedAt).ThenBy(i => i.Sequence).ToLookup(i => i.OrderId);
        var buyerOrgIds = page.Where(o => o.BuyerOrganizationId is not null).Select(o => o.BuyerOrganizationId!.Value).Distinct().ToList();
        var buyerOrgs = await db.Organizations.Where(o => buyerOrgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var rows = page.Select(o => new OrderBookRow(o, o.BuyerOrganizationId is { } b ? buyerOrgs.GetValueOrDefault(b, "(removed organization)") : null, invoices[o.Id].ToList())).ToList();
        return new OrderBookPage(rows, next);
    }
}
