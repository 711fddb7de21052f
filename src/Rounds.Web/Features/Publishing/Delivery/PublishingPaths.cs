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
    /// <summary>
    /// A copy goes to the owners when Rounds cannot publish to the network, the account was never connected, or
    /// the post has images the network cannot take from Rounds.
    /// </summary>
    public static bool IsByHand(Platform platform, AccountConnection? connection, bool hasImages = false) =>
        DeliveryKeys.NetworkOf(platform) is null || connection is null || (hasImages && !TakesUploadedImages(platform));

    /// <summary>
    /// Threads fetches a post's images from a public address of the sender's, and Rounds serves post images to
    /// signed-in people only; its connector publishes text.
    /// </summary>
    public static bool TakesUploadedImages(Platform platform) => platform != Platform.Threads;

    /// <summary>Why the copy is posted by hand, in a sentence that follows "posted by hand by …:".</summary>
    public static string WhyByHand(Platform platform, AccountConnection? connection = null) =>
        DeliveryKeys.NetworkOf(platform) is null ? NoConnector(platform)
        : connection is null ? "the account is not connected to Rounds"
        : $"Rounds publishes text only to {AccountNames.Label(platform)}, and the post has images";

    /// <summary>Why a network has no connector, so the person posting by hand knows it is not a passing fault.</summary>
    private static string NoConnector(Platform platform) => platform switch
    {
        Platform.Instagram => "Rounds does not publish to Instagram, which fetches every post's image from a public address and Rounds keeps post images private",
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
                paths[account.Id] = new PublishingPath(account.Id, true, TakesUploadedImages(account.Platform)
                    ? says
                    : $"{says}; with images, posted by hand by {await WhoAsync(organizationId, account.Id, cancellationToken)}");
                continue;
            }

            paths[account.Id] = new PublishingPath(account.Id, false, $"posted by hand by {await WhoAsync(organizationId, account.Id, cancellationToken)}: {WhyByHand(account.Platform, connection)}");
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
