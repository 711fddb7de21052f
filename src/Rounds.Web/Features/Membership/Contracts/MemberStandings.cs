namespace Rounds.Web.Features.Membership.Contracts;

/// <summary>
/// Where a person stands with a network's membership right now. Ordered: a premium member is a member too.
/// </summary>
public enum MemberStanding
{
    /// <summary>No membership of the network in force.</summary>
    None = 0,

    /// <summary>A membership in force (its term or its grace days) whose plan does not give premium standing.</summary>
    Member = 1,

    /// <summary>
    /// A membership in force whose plan gives premium standing: their own, or their organization's through a proven
    /// email domain (a capped organization plan counts for the people who hold its seats).
    /// </summary>
    Premium = 2,
}

/// <summary>
/// Answers, for a network and many people at once, where each stands with its membership, for areas that keep
/// something for members or premium members (board categories) without knowing how memberships, plans, grace,
/// organization domains or seats work. Worked out at every question, so a lapsed membership loses it at once.
/// </summary>
public interface IMemberStandings
{
    /// <summary>
    /// The standing of each of <paramref name="userIds"/> with the memberships <paramref name="organizationId"/>
    /// sells, at <paramref name="now"/>. Every person asked about is in the answer. The number of database queries
    /// does not grow with the number of people, so a fan-out to thousands can ask once.
    /// </summary>
    Task<IReadOnlyDictionary<string, MemberStanding>> StandingsAsync(Guid organizationId, IReadOnlyCollection<string> userIds, DateTimeOffset now, CancellationToken cancellationToken = default);
}
