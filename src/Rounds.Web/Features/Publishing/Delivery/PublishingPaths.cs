using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>How an account's approved copy reaches its network, in the words the composer shows beside it.</summary>
public sealed record PublishingPath(Guid AccountId, bool ByRounds, string Says);

/// <summary>
/// Which accounts Rounds publishes to itself and which go to their owners to post by hand
/// (docs/decisions/0033-approved-for-manual-posting.md). Rounds publishes where it has a connector for the
/// network and the account is connected; every other live account still goes through approval, and its
/// approved copy becomes a task for the people who run it.
/// </summary>
public sealed class PublishingPaths(RoundsDbContext db, IAccountDirectory directory)
{
    /// <summary>A copy goes to the owners when Rounds cannot publish to the network, or the account was never connected.</summary>
    public static bool IsByHand(Platform platform, AccountConnection? connection) => DeliveryKeys.NetworkOf(platform) is null || connection is null;

    /// <summary>Why the copy is posted by hand, in a sentence that follows "posted by hand by …:".</summary>
    public static string WhyByHand(Platform platform) => DeliveryKeys.NetworkOf(platform) is null
        ? $"Rounds does not publish to {AccountNames.Label(platform)}"
        : "the account is not connected to Rounds";

    public async Task<IReadOnlyDictionary<Guid, PublishingPath>> ForAsync(Guid organizationId, IReadOnlyList<AccountCard> accounts, CancellationToken cancellationToken = default)
    {
        var ids = accounts.Select(a => a.Id).ToList();
        var connections = await db.Set<AccountConnection>().AsNoTracking()
            .Where(c => c.OrganizationId == organizationId && ids.Contains(c.AccountId))
            .ToDictionaryAsync(c => c.AccountId, cancellationToken);
        var paths = new Dictionary<Guid, PublishingPath>();
        foreach (var account in accounts)
        {
            var connection = connections.GetValueOrDefault(account.Id);
            if (!IsByHand(account.Platform, connection))
            {
                paths[account.Id] = new PublishingPath(account.Id, true, connection!.Status == ConnectionStatus.NeedsReconnect
                    ? "published by Rounds once the account is reconnected"
                    : "published by Rounds");
                continue;
            }

            var names = new List<string>();
            foreach (var person in await directory.PeopleOfAsync(organizationId, account.Id, cancellationToken))
            {
                names.Add(await PeopleNames.OfAsync(db, person, cancellationToken));
            }

            var who = names.Count > 0 ? string.Join(" or ", names.Distinct().Order(StringComparer.OrdinalIgnoreCase)) : "the account managers";
            paths[account.Id] = new PublishingPath(account.Id, false, $"posted by hand by {who}: {WhyByHand(account.Platform)}");
        }

        return paths;
    }
}
