namespace Rounds.Web.Features.Organizations.Contracts;

/// <summary>
/// Something outside the organization's own people that gives a person a place in it, such as a course given to
/// them. A place the email domain gave stands on the domain alone; when the person's address leaves the domain,
/// the place is kept on these grounds instead of being taken away, so what they were given stays theirs.
/// </summary>
public interface IMembershipGrounds
{
    /// <summary>The source to keep the person's place under, or null when these grounds give them none.</summary>
    Task<MemberSource?> KeepsAsync(Guid organizationId, string userId, CancellationToken cancellationToken = default);
}
