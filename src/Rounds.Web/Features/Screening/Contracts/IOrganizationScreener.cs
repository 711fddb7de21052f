using Rounds.Screening;

namespace Rounds.Web.Features.Screening.Contracts;

/// <summary>
/// Screens text with the rules an organization has set (or the defaults). Every area that shows people text
/// that may hold patient data screens it here first.
/// </summary>
public interface IOrganizationScreener
{
    Task<ScreeningResult> ScreenAsync(Guid organizationId, Post post, Profile profile, CancellationToken cancellationToken = default);
}
