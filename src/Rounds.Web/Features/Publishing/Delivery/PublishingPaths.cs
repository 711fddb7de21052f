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
    /// A copy goes to the owners when Rounds cannot publish to the network, the account was never connected, the
    /// post has images or a video the network cannot take from Rounds, or (YouTube) it has no video to upload
    /// (docs/decisions/0053-post-videos-and-youtube-uploads.md).
    /// </summary>
    public static bool IsByHand(Platform platform, AccountConnection? connection, bool hasImages = false, bool hasVideo = false) =>
        DeliveryKeys.NetworkOf(platform) is null || connection is null || MediaByHand(platform, hasImages, hasVideo);

    private static bool MediaByHand(Platform platform, bool hasImages, bool hasVideo) =>
        (hasImages && !TakesImages(platform)) || (hasVideo && !TakesVideo(platform)) || (NeedsVideo(platform) && !hasVideo);

    /// <summary>
    /// The networks that fetch a post's images from a public address of the sender's instead of taking an upload:
    /// their copies carry an expiring public address of each image (<see cref="PublicImages"/>, docs/decisions/0052).
    /// </summary>
    public static bool FetchesImages(string network) => network is "instagram" or "threads";

    /// <summary>
    /// Why the network would refuse a post's images, in a sentence that follows "posted by hand by …:", or null when it
    /// takes them. Instagram and Threads fetch images themselves and take fewer kinds than Rounds accepts (WebP, and
    /// PNG on Instagram), and an Instagram post is an image: an image removed during review leaves nothing to post.
    /// </summary>
    public static string? ImagesRefused(Platform platform, IReadOnlyList<string> imageTypes) => platform switch
    {
        Platform.Instagram when imageTypes.Count == 0 => "an Instagram post is an image, and the post has none",
        Platform.Instagram when imageTypes.Count > InstagramMaxImages => $"Instagram takes at most {InstagramMaxImages} images, and the post has {imageTypes.Count}",
        Platform.Instagram when imageTypes.FirstOrDefault(t => t != "image/jpeg") is { } other => $"Instagram takes JPEG images only, and the post has a {other} image",
        Platform.Threads when imageTypes.Count > ThreadsMaxImages => $"Threads takes at most {ThreadsMaxImages} images, and the post has {imageTypes.Count}",
        Platform.Threads when imageTypes.FirstOrDefault(t => t is not ("image/jpeg" or "image/png")) is { } other => $"Threads takes JPEG and PNG images only, and the post has a {other} image",
        _ => null,
    };

    private const int InstagramMaxImages = Rounds.Networks.Instagram.InstagramConnector.MaxImages;

    private const int ThreadsMaxImages = Rounds.Networks.Threads.ThreadsConnector.MaxImages;

    /// <summary>A YouTube post is a video, which carries no images; every other connector sends a post's images.</summary>
    public static bool TakesImages(Platform platform) => platform != Platform.YouTube;

    /// <summary>Only YouTube's connector uploads videos; elsewhere a post's video is posted by hand.</summary>
    public static bool TakesVideo(Platform platform) => platform == Platform.YouTube;

    /// <summary>A YouTube upload is a video: a copy without one has nothing to upload.</summary>
    public static bool NeedsVideo(Platform platform) => platform == Platform.YouTube;

    /// <summary>Why the copy is posted by hand, in a sentence that follows "posted by hand by …:".</summary>
    public static string WhyByHand(Platform platform, AccountConnection? connection = null, bool hasImages = false, bool hasVideo = false) =>
        DeliveryKeys.NetworkOf(platform) is null ? NoConnector(platform)
        : connection is null ? "the account is not connected to Rounds"
        : NeedsVideo(platform) && !hasVideo ? "a YouTube post is a video, and the post has none"
        : hasVideo && !TakesVideo(platform) ? $"Rounds does not send videos to {AccountNames.Label(platform)}, and the post has one"
        : "Rounds uploads a video to YouTube without images, and the post has images";

    /// <summary>
    /// What the composer adds beside an account Rounds publishes to where the post's media may send the copy to
    /// its owners instead. Videos are attached on the post's page, after composing; that a video goes by hand to
    /// the other networks is said there and in the task.
    /// </summary>
    private static string? MediaNote(Platform platform) => platform switch
    {
        Platform.YouTube => "the post's video is uploaded with its title and this copy as the description; without a video, or with images, posted by hand by {0}",
        Platform.Instagram => "Instagram posts need at least one image",
        _ => null,
    };

    /// <summary>Why a network has no connector, so the person posting by hand knows it is not a passing fault.</summary>
    private static string NoConnector(Platform platform) => platform switch
    {
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
            if (DeliveryKeys.NetworkOf(account.Platform) is not null && connection is not null)
            {
                var says = connection.Status == ConnectionStatus.NeedsReconnect ? "published by Rounds once the account is reconnected" : "published by Rounds";
                paths[account.Id] = new PublishingPath(account.Id, true, MediaNote(account.Platform) is { } note
                    ? $"{says}; {string.Format(System.Globalization.CultureInfo.InvariantCulture, note, await WhoAsync(organizationId, account.Id, cancellationToken))}"
                    : says);
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
