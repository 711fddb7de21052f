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
    /// <summary>A copy goes to the owners when Rounds cannot publish to the network or the account was never connected.</summary>
    public static bool IsByHand(Platform platform, AccountConnection? connection) =>
        DeliveryKeys.NetworkOf(platform) is null || connection is null;

    /// <summary>
    /// The networks that fetch a post's images from a public address of the sender's instead of taking an upload:
    /// their copies carry an expiring public address of each image (<see cref="PublicImages"/>, docs/decisions/0052).
    /// </summary>
    public static bool FetchesImages(string network) => network is "instagram" or "threads";

    /// <summary>Why the copy is posted by hand, in a sentence that follows "posted by hand by …:".</summary>
    public static string WhyByHand(Platform platform) =>
        DeliveryKeys.NetworkOf(platform) is null ? NoConnector(platform) : "the account is not connected to Rounds";

    /// <summary>Why a network has no connector, so the person posting by hand knows it is not a passing fault.</summary>
    private static string NoConnector(Platform platform) => platform switch
    {
        Platform.YouTube => "Rounds does not publish to YouTube, which takes videos, and Rounds posts carry text and images",
        Platform.TikTok => "Rounds does not publish to TikTok, which lets only audited apps post publicly",
        Platform.Doximity => "Doximity has no publishing API",
        _ => $"Rounds does not publish to {AccountNames.Label(platform)}",
    };

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
                var says = connection!.Status == ConnectionStatus.NeedsReconnect ? "published by Rounds once the account is reconnected" : "published by Rounds";
                paths[account.Id] = new PublishingPath(account.Id, true, account.Platform == Platform.Instagram ? $"{says}; Instagram posts need at least one image" : says);
                continue;
            }

            paths[account.Id] = new PublishingPath(account.Id, false, $"posted by hand by {await WhoAsync(organizationId, account.Id, cancellationToken)}: {WhyByHand(account.Platform)}");
        }

        return paths;
    }

    private async Task<string> WhoAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var person in await directory.PeopleOfAsync(organizationId, accountId, cancellationToken))
        {
            names.Add(await PeopleNames.OfAsync(db, person, cancellationToken));
        }

        return names.Count > 0 ? string.Join(" or ", names.Distinct().Order(StringComparer.OrdinalIgnoreCase)) : "the account managers";
    }
}
