using Rounds.Networks;
using Rounds.Screening;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.PressRoom.Contracts;
using Rounds.Web.Features.Screening;
using AccountKind = Rounds.Web.Features.Accounts.Contracts.AccountKind;
using ScreenedKind = Rounds.Screening.AccountKind;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// A copy measured against its network's limit and screened as the account that will post it, with the press
/// releases it links to that are still under embargo.
/// </summary>
public sealed record CopyCheck(Guid AccountId, string Handle, string Network, string Text, int Length, int MaxLength, ScreeningResult Screening, IReadOnlyList<EmbargoedLink> Embargoes)
{
    public bool Fits => Length <= MaxLength;

    /// <summary>What the composer says about a link to an embargoed release, on the page and as the author types.</summary>
    public static string EmbargoWarning(EmbargoedLink link) =>
        $"This links to a press release under embargo until {link.LiftDescribed}. The post cannot be approved for a time before the lift, and will not go out before it.";
}

/// <summary>What the composer and review share: which accounts can be published to, how long a copy may be, how it is screened.</summary>
public sealed class PostRules(IOrganizationScreener screening, IEmbargoedLinks embargoes)
{
    /// <summary>
    /// How far ahead a post may be scheduled. Further than this is a typing slip (a year 9999, a swapped day and
    /// year), and no connection or approval would still hold by then.
    /// </summary>
    public static readonly TimeSpan ScheduleHorizon = TimeSpan.FromDays(2 * 366);

    /// <summary>
    /// Accounts that can receive posts: the registry's live accounts, on any network. Rounds publishes to those it
    /// is connected to; the others' copies go to their owners to post by hand (<see cref="Delivery.PublishingPaths"/>).
    /// </summary>
    public static bool CanReceivePosts(AccountCard account) =>
        account.Status is AccountStatus.Active or AccountStatus.Trial or AccountStatus.Dormant;

    private static readonly PostLimits Doximity = PostLimits.Unpublished("doximity");

    private static readonly PostLimits OtherNetwork = PostLimits.Unpublished("other");

    public static PostLimits LimitsFor(Platform platform) => platform switch
    {
        Platform.Bluesky => PostLimits.Bluesky,
        Platform.X => PostLimits.X,
        Platform.Mastodon => PostLimits.Mastodon,
        Platform.LinkedIn => PostLimits.LinkedIn,
        Platform.Facebook => PostLimits.Facebook,
        Platform.Instagram => PostLimits.Instagram,
        Platform.Threads => PostLimits.Threads,
        Platform.TikTok => PostLimits.TikTok,
        Platform.YouTube => PostLimits.YouTube,
        Platform.Doximity => Doximity,
        Platform.Other => OtherNetwork,
    };

    /// <summary>Policy rules depend on who speaks: a vaccine post is fine from the hospital, not from a clinician's own account.</summary>
    public static ScreenedKind ScreenedKindOf(AccountKind kind) => kind switch
    {
        AccountKind.Enterprise => ScreenedKind.Enterprise,
        AccountKind.Department => ScreenedKind.Department,
        AccountKind.Program => ScreenedKind.Program,
        AccountKind.IndividualProfessional => ScreenedKind.Personal,
        AccountKind.BrandedRole => ScreenedKind.Branded,
    };

    public async Task<CopyCheck> CheckAsync(Guid organizationId, AccountCard account, string text, CancellationToken cancellationToken = default)
    {
        var limits = LimitsFor(account.Platform);
        var result = await screening.ScreenAsync(organizationId, new Rounds.Screening.Post(text, ScreenedKindOf(account.Kind)), Profile.Social, cancellationToken);
        return new CopyCheck(account.Id, account.Handle, limits.Network, text, limits.Measure(text), limits.MaxLength, result, await embargoes.FindAsync(organizationId, text, cancellationToken));
    }

    /// <summary>The worst of the verdicts: block over review over pass.</summary>
    public static Verdict Worst(IEnumerable<Verdict> verdicts) => verdicts.DefaultIfEmpty(Verdict.Pass).Max();
}
