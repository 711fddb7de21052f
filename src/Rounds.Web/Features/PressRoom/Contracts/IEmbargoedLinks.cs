namespace Rounds.Web.Features.PressRoom.Contracts;

/// <summary>A link to a press release that has not lifted yet, and when it lifts.</summary>
public sealed record EmbargoedLink(string Url, DateTimeOffset LiftAt, string LiftDescribed);

/// <summary>
/// Tells other areas whether text links to a release still under embargo, so that nothing Rounds publishes
/// (a social post, a newsletter) points people at it before its lift.
/// </summary>
public interface IEmbargoedLinks
{
    /// <summary>The embargoed releases of the organization that <paramref name="text"/> links to; empty when none.</summary>
    Task<IReadOnlyList<EmbargoedLink>> FindAsync(Guid organizationId, string text, CancellationToken cancellationToken = default);
}
