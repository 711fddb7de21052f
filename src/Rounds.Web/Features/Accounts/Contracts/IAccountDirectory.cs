namespace Rounds.Web.Features.Accounts.Contracts;

/// <summary>An account as other areas see it: enough to name it, place it and know whether it runs.</summary>
/// <summary>A post Rounds published to one of the organization's accounts, and when.</summary>
public sealed record PublishedByRounds(Guid AccountId, string ExternalId, DateTimeOffset PostedAt);

public sealed record AccountCard
{
    public required Guid Id { get; init; }

    public required Guid OrganizationId { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>The handle as people write it, e.g. <c>@NorthfieldHeart</c>.</summary>
    public required string Handle { get; init; }

    /// <summary>Lower case without the leading @; with the platform, the identity of the account.</summary>
    public required string NormalizedHandle { get; init; }

    public required AccountKind Kind { get; init; }

    public required AccountStatus Status { get; init; }

    public string Department { get; init; } = "";

    public string Label => $"{Handle} ({AccountNames.Label(Platform)})";
}

/// <summary>What an approved account request asks of the registry: put this account in trial.</summary>
public sealed record StartTrial(
    Guid RequestId,
    Platform Platform,
    string Handle,
    AccountKind Kind,
    string Department,
    string? OwnerEmail,
    string? BackupEmail);

/// <summary>
/// What other areas may ask of the registry without reaching into its entities: who an account is, who runs
/// it, that Rounds itself published a post for it (so that trials and dormancy count the post), and that an
/// approved request starts its trial. Every status change goes through the registry's lifecycle rules.
/// </summary>
public interface IAccountDirectory
{
    /// <summary>
    /// Every account as a query to join against (a post's copies with their accounts, say). Callers filter by
    /// organization; the tenant query filter stands behind them.
    /// </summary>
    IQueryable<AccountCard> Cards { get; }

    Task<AccountCard?> FindAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);

    /// <summary>The accounts among <paramref name="accountIds"/> that belong to the organization, in no set order.</summary>
    Task<IReadOnlyList<AccountCard>> FindManyAsync(Guid organizationId, IEnumerable<Guid> accountIds, CancellationToken cancellationToken = default);

    /// <summary>The organization's accounts by platform and handle; retired ones only when asked for.</summary>
    Task<IReadOnlyList<AccountCard>> ListAsync(Guid organizationId, bool includeRetired = false, CancellationToken cancellationToken = default);

    /// <summary>The owners and backup who are members of the organization.</summary>
    Task<IReadOnlyList<string>> PeopleOfAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);

    /// <summary>Adds the post to the caller's unit of work, which saves it with the change that published it.</summary>
    Task AddPublishedPostAsync(Guid organizationId, Guid accountId, string externalId, DateTimeOffset postedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds many posts of the organization's accounts to the caller's unit of work with a few reads in all, for the
    /// publisher, which records a cycle's copies together.
    /// </summary>
    Task AddPublishedPostsAsync(Guid organizationId, IReadOnlyCollection<PublishedByRounds> posts, CancellationToken cancellationToken = default);

    /// <summary>The user ids of the committee that decides account requests: named members, or every reviewer and admin.</summary>
    Task<IReadOnlyList<string>> CommitteeAsync(Guid organizationId, CancellationToken cancellationToken = default);

    /// <summary>How many of the committee must approve a request.</summary>
    Task<Quorum> CommitteeQuorumAsync(Guid organizationId, CancellationToken cancellationToken = default);

    /// <summary>The fewest distinct committee members whose approval a request needs, whatever the quorum.</summary>
    Task<int> CommitteeMinimumApproversAsync(Guid organizationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a newly approved account in trial, or brings back a retired or unregistered one, through the
    /// account lifecycle; the owners are told. Added to the caller's unit of work.
    /// </summary>
    Task<Outcome<AccountCard>> StartTrialAsync(OrgContext org, StartTrial command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an account found on the network to the registry as unregistered (carrying the organization's name
    /// without ever being approved), with the note saying where it was found; refused, with the registry's reason,
    /// when the handle is invalid or already registered. Saves.
    /// </summary>
    Task<Outcome<AccountCard>> AddFoundAsync(OrgContext org, Platform platform, string handle, string note, CancellationToken cancellationToken = default);
}

/// <summary>
/// Told when an account is retired, inside the unit of work that retires it, so that other areas stop what
/// they had planned for the account (publishing cancels its waiting copies) in the same commit. The registry
/// knows nothing of those areas; they register an implementation.
/// </summary>
public interface IAccountRetirementListener
{
    /// <summary>Adds the listener's changes to the caller's unit of work; the caller saves.</summary>
    Task AccountRetiredAsync(AccountCard account, CancellationToken cancellationToken = default);
}
