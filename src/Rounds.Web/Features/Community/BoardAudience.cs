using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership.Contracts;

namespace Rounds.Web.Features.Community;

/// <summary>
/// A person as the board's audiences see them: their role, where they stand with the network's membership, and
/// their groups. Standing and groups are looked up only when a category in question asks for them.
/// </summary>
public sealed record BoardReader(string UserId, Role Role, MemberStanding Standing, IReadOnlySet<Guid> Groups)
{
    public bool Moderator => Role >= Role.Reviewer;
}

/// <summary>
/// Who reads and who posts in a category: at least its role, and among those its audience (everyone, members of the
/// network, premium members, or a group). Moderators keep both whatever the audience, so they can act on every
/// post. Every place that shows a category, its topics or its posts, or tells anyone of them, asks here
/// (docs/decisions/0060-category-audiences-from-membership.md).
/// </summary>
public sealed class BoardAudience(RoundsDbContext db, IMemberStandings standings, TimeProvider clock)
{
    public static bool MayRead(BoardReader reader, CommunityCategory category) =>
        reader.Role >= category.ReadRole && (reader.Moderator || Admits(reader, category.ReadAudience, category.ReadGroupId));

    /// <summary>Whoever posts reads too, whatever the posting audience says.</summary>
    public static bool MayPost(BoardReader reader, CommunityCategory category) =>
        MayRead(reader, category) && reader.Role >= category.PostRole && (reader.Moderator || Admits(reader, category.PostAudience, category.PostGroupId));

    private static bool Admits(BoardReader reader, CategoryAudience audience, Guid? groupId) => audience switch
    {
        CategoryAudience.Everyone => true,
        CategoryAudience.Members => reader.Standing >= MemberStanding.Member,
        CategoryAudience.PremiumMembers => reader.Standing >= MemberStanding.Premium,
        // A group since deleted admits nobody: the category stays closed rather than opening to everyone.
        CategoryAudience.Group => groupId is { } id && reader.Groups.Contains(id),
        _ => false,
    };

    /// <summary>Who reads (or posts in) a category, as the board's lists say it: "Premium members", "Members of @PressTeam, reviewers and above".</summary>
    public static string Describe(Role role, CategoryAudience audience, string? group)
    {
        var who = audience switch
        {
            CategoryAudience.Members => "Members of the network",
            CategoryAudience.PremiumMembers => "Premium members",
            CategoryAudience.Group => group is null ? "Moderators only (its group is gone)" : $"Members of @{group}",
            _ => null,
        };
        var roles = $"{Roles.Label(role)}s and above";
        return who is null ? roles : role == Role.Member ? who : $"{who}, {roles.ToLowerInvariant()}";
    }

    /// <summary>Who posts in a category, in the same words; a posting audience of everyone means everyone who reads.</summary>
    public static string DescribePosting(CommunityCategory category, string? readGroup, string? postGroup) => category.PostAudience == CategoryAudience.Everyone
        ? Describe(category.PostRole, category.ReadAudience, readGroup)
        : Describe(category.PostRole, category.PostAudience, postGroup);

    /// <summary>Who a category's audience is, in words: "premium members".</summary>
    public static string Label(CategoryAudience audience) => audience switch
    {
        CategoryAudience.Members => "members of the network",
        CategoryAudience.PremiumMembers => "premium members",
        CategoryAudience.Group => "members of its group",
        _ => "everyone signed in",
    };

    /// <summary>Why a reader of the category may not <paramref name="act"/> there (their role, or the posting audience).</summary>
    public static string PostRefusal(BoardReader reader, CommunityCategory category, string act) => reader.Role < category.PostRole
        ? $"Only {Roles.Label(category.PostRole).ToLowerInvariant()}s and above {act} in {category.Name}."
        : $"Only {Label(category.PostAudience)} {act} in {category.Name}.";

    private static bool AsksStanding(CommunityCategory c) =>
        c.ReadAudience is CategoryAudience.Members or CategoryAudience.PremiumMembers || c.PostAudience is CategoryAudience.Members or CategoryAudience.PremiumMembers;

    private static bool AsksGroups(CommunityCategory c) => c.ReadAudience == CategoryAudience.Group || c.PostAudience == CategoryAudience.Group;

    /// <summary>The person as <paramref name="categories"/> need them; nothing is looked up for a moderator or for categories open to everyone.</summary>
    public Task<BoardReader> ReaderAsync(Guid organizationId, string userId, Role role, IReadOnlyCollection<CommunityCategory> categories, CancellationToken cancellationToken = default) =>
        ReaderAtAsync(organizationId, userId, role, categories, clock.GetUtcNow(), cancellationToken);

    private async Task<BoardReader> ReaderAtAsync(Guid organizationId, string userId, Role role, IReadOnlyCollection<CommunityCategory> categories, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var moderator = role >= Role.Reviewer;
        var standing = MemberStanding.None;
        if (!moderator && categories.Any(AsksStanding))
        {
            if (!Recalled(standingsSeen, organizationId, userId, at, out standing))
            {
                standing = Remember(standingsSeen, organizationId, userId, at, (await standings.StandingsAsync(organizationId, [userId], at, cancellationToken)).GetValueOrDefault(userId));
            }
        }

        IReadOnlySet<Guid> groups = new HashSet<Guid>();
        if (!moderator && categories.Any(AsksGroups))
        {
            if (!Recalled(groupsSeen, organizationId, userId, at, out var known))
            {
                known = Remember(groupsSeen, organizationId, userId, at, (await (
                    from m in db.Set<CommunityGroupMember>()
                    join g in db.Set<CommunityGroup>() on m.GroupId equals g.Id
                    where m.UserId == userId && g.OrganizationId == organizationId
                    select g.Id).ToListAsync(cancellationToken)).ToHashSet());
            }

            groups = known;
        }

        return new BoardReader(userId, role, standing, groups);
    }

    /// <summary>
    /// How long a person's standing and groups, once looked up, answer the next question in the same scope. A page
    /// asks for its categories, its topic, its quotes and its editor one after the other; each answer holds for the
    /// moments the page takes, and no longer, so a membership that lapses is felt at the next request.
    /// </summary>
    private static readonly TimeSpan Recall = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(Guid, string), (DateTimeOffset At, MemberStanding Value)> standingsSeen = [];
    private readonly Dictionary<(Guid, string), (DateTimeOffset At, IReadOnlySet<Guid> Value)> groupsSeen = [];

    private static bool Recalled<T>(Dictionary<(Guid, string), (DateTimeOffset At, T Value)> seen, Guid organizationId, string userId, DateTimeOffset at, [MaybeNullWhen(false)] out T value)
    {
        var fresh = seen.TryGetValue((organizationId, userId), out var known) && at >= known.At && at - known.At < Recall;
        value = known.Value;
        return fresh;
    }

    private static T Remember<T>(Dictionary<(Guid, string), (DateTimeOffset At, T Value)> seen, Guid organizationId, string userId, DateTimeOffset at, T value)
    {
        seen[(organizationId, userId)] = (at, value);
        return value;
    }

    public Task<BoardReader> ReaderAsync(OrgContext org, IReadOnlyCollection<CommunityCategory> categories, CancellationToken cancellationToken = default) =>
        ReaderAsync(org.Id, org.UserId, org.Role, categories, cancellationToken);

    public async Task<bool> MayReadAsync(OrgContext org, CommunityCategory category, CancellationToken cancellationToken = default) =>
        MayRead(await ReaderAsync(org, [category], cancellationToken), category);

    public async Task<bool> MayPostAsync(OrgContext org, CommunityCategory category, CancellationToken cancellationToken = default) =>
        MayPost(await ReaderAsync(org, [category], cancellationToken), category);

    /// <summary>The organization's categories the caller reads, with the caller as they were judged.</summary>
    public async Task<(List<CommunityCategory> Readable, BoardReader Reader)> ReadableAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var categories = await db.Set<CommunityCategory>().Where(c => c.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var reader = await ReaderAsync(org, categories, cancellationToken);
        return (categories.Where(c => MayRead(reader, c)).ToList(), reader);
    }

    /// <summary>The ids of the categories a person reads at <paramref name="at"/>, for work done on their behalf outside a request (their digest).</summary>
    public async Task<List<Guid>> ReadableIdsAsync(Guid organizationId, string userId, Role role, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var categories = await db.Set<CommunityCategory>().Where(c => c.OrganizationId == organizationId).ToListAsync(cancellationToken);
        var reader = await ReaderAtAsync(organizationId, userId, role, categories, at, cancellationToken);
        return categories.Where(c => MayRead(reader, c)).Select(c => c.Id).ToList();
    }

    /// <summary>A topic the caller may read, with its category; null when it does not exist for them.</summary>
    public async Task<(CommunityTopic Topic, CommunityCategory Category)?> TopicAsync(OrgContext org, Guid topicId, CancellationToken cancellationToken = default)
    {
        var row = await (
            from t in db.Set<CommunityTopic>()
            join c in db.Set<CommunityCategory>() on t.CategoryId equals c.Id
            where t.Id == topicId && t.OrganizationId == org.Id
            select new { t, c }).FirstOrDefaultAsync(cancellationToken);
        if (row is null || !await MayReadAsync(org, row.c, cancellationToken))
        {
            return null;
        }

        // A held topic exists only for its author and the moderators.
        return row.t.Visible || row.t.AuthorId == org.UserId || BoardAccess.IsModerator(org) ? (row.t, row.c) : null;
    }

    /// <summary>
    /// Those among <paramref name="userIds"/> who read the category: members of the organization at its role, and
    /// of its audience. A fixed number of queries however many are asked about, for the fan-out to a category's
    /// watchers.
    /// </summary>
    public async Task<HashSet<string>> ReadersAsync(Guid organizationId, CommunityCategory category, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var candidates = userIds.Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var roles = await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && candidates.Contains(m.UserId) && m.Role >= category.ReadRole)
            .Select(m => new { m.UserId, m.Role }).ToListAsync(cancellationToken);
        var moderators = roles.Where(r => r.Role >= Role.Reviewer).Select(r => r.UserId);
        var others = roles.Where(r => r.Role < Role.Reviewer).Select(r => r.UserId).ToList();
        IEnumerable<string> admitted = category.ReadAudience switch
        {
            CategoryAudience.Everyone => others,
            CategoryAudience.Members or CategoryAudience.PremiumMembers when others.Count > 0 =>
                (await standings.StandingsAsync(organizationId, others, clock.GetUtcNow(), cancellationToken))
                    .Where(s => s.Value >= (category.ReadAudience == CategoryAudience.PremiumMembers ? MemberStanding.Premium : MemberStanding.Member)).Select(s => s.Key),
            CategoryAudience.Group when category.ReadGroupId is { } groupId && others.Count > 0 =>
                await db.Set<CommunityGroupMember>().Where(m => m.GroupId == groupId && others.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(cancellationToken),
            _ => [],
        };
        return moderators.Concat(admitted).ToHashSet(StringComparer.Ordinal);
    }
}
