namespace Rounds.Web.Features.Accounts;

/// <summary>An account as other features see it: enough to name it and reach its people.</summary>
public sealed record AccountCard(Guid Id, Guid OrganizationId, Platform Platform, string Handle)
{
    public string Label => $"{Handle} ({AccountNames.Label(Platform)})";
}

/// <summary>
/// What other features may ask of the registry without reaching into its entities: who an account is, who
/// runs it, and that Rounds itself published a post for it (so that trials and dormancy count the post).
/// </summary>
public interface IAccountDirectory
{
    Task<AccountCard?> FindAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);

    /// <summary>The owners and backup who are members of the organization.</summary>
    Task<IReadOnlyList<string>> PeopleOfAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);

    /// <summary>Adds the post to the caller's unit of work, which saves it with the change that published it.</summary>
    Task AddPublishedPostAsync(Guid organizationId, Guid accountId, string externalId, DateTimeOffset postedAt, CancellationToken cancellationToken = default);
}
