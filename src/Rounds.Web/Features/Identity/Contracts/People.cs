using Rounds.Web.Data;

namespace Rounds.Web.Features.Identity.Contracts;

/// <summary>A person who can sign in, as other areas see them: who they are and how to reach them.</summary>
public sealed record PersonCard
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public string? Email { get; init; }

    /// <summary>Upper case, for matching addresses whatever their case.</summary>
    public string? NormalizedEmail { get; init; }

    public bool EmailConfirmed { get; init; }

    public bool TwoFactorEnabled { get; init; }

    /// <summary>The IANA zone the person chose for their times, or null to use their organization's (decision 54).</summary>
    public string? TimeZone { get; init; }
}

public static class PeopleQueries
{
    /// <summary>
    /// Everyone who can sign in, as a query other areas join against (member lists, approvers, owners) without
    /// reaching into the sign-in entity. Built with an object initializer so that EF translates filters on it.
    /// </summary>
    public static IQueryable<PersonCard> People(this RoundsDbContext db) =>
        db.Users.Select(u => new PersonCard
        {
            Id = u.Id,
            DisplayName = u.DisplayName,
            Email = u.Email,
            NormalizedEmail = u.NormalizedEmail,
            EmailConfirmed = u.EmailConfirmed,
            TwoFactorEnabled = u.TwoFactorEnabled,
            TimeZone = u.TimeZone,
        });
}

/// <summary>
/// Told when a person's address is confirmed or changed, so that other areas (membership by email domain) can
/// follow it without the sign-in pages knowing about them.
/// </summary>
public interface IEmailAddressListener
{
    Task AddressConfirmedAsync(PersonCard person, CancellationToken cancellationToken = default);
}

/// <summary>What other areas and the command line may do with sign-ins: create one for demo data, mint a token.</summary>
public interface ISignIns
{
    /// <summary>Creates a person who can sign in with a confirmed address; returns their id.</summary>
    Task<string> CreateConfirmedAsync(string email, string displayName, string password, CancellationToken cancellationToken = default);

    /// <summary>Mints a personal access token, optionally limited to one organization; the secret is returned once.</summary>
    Task<string> MintTokenAsync(string userId, string name, Guid? organizationId, CancellationToken cancellationToken = default);
}

/// <summary>Claims of a signed-in caller that other areas read.</summary>
public static class SignInClaims
{
    /// <summary>On a personal access token limited to one organization: that organization's id.</summary>
    public const string TokenOrganization = "rounds:token-org";
}
