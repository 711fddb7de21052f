using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;

namespace Rounds.Web.Features.Accounts.Contracts;

public static class AccountQueries
{
    /// <summary>The card of an account; an object initializer, so EF translates filters and joins on it.</summary>
    internal static readonly Expression<Func<SocialAccount, AccountCard>> ToCard = a => new AccountCard
    {
        Id = a.Id,
        OrganizationId = a.OrganizationId,
        Platform = a.Platform,
        Handle = a.Handle,
        NormalizedHandle = a.NormalizedHandle,
        Kind = a.Kind,
        Status = a.Status,
        Department = a.Department,
    };

    /// <summary>
    /// Every account as a read-only query other areas filter and join against (a post's copies with their
    /// accounts, say) without reaching into the registry's entity. Callers filter by organization; the tenant
    /// query filter stands behind them.
    /// </summary>
    public static IQueryable<AccountCard> AccountCards(this RoundsDbContext db) => db.Set<SocialAccount>().AsNoTracking().Select(ToCard);
}
