namespace Rounds.Web.Features.Shared;

/// <summary>
/// Answers "has this person passed these training modules?" for the account-request requirements, without
/// account requests knowing how learning is recorded. Module keys are stable names such as <c>introduction</c>,
/// <c>professionalism</c>, <c>x</c>, <c>linkedin</c>.
/// </summary>
public interface ITrainingRecords
{
    /// <summary>The keys among <paramref name="moduleKeys"/> that the person has not passed in the organization.</summary>
    Task<IReadOnlyList<string>> MissingModulesAsync(Guid organizationId, string userId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default);
}
