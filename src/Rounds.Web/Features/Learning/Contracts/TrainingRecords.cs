namespace Rounds.Web.Features.Learning.Contracts;

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

/// <summary>
/// The titles people know modules by ("LinkedIn for health care"), for pages outside learning that name them;
/// a key the organization has no module for stays as it is.
/// </summary>
public interface IModuleTitles
{
    Task<IReadOnlyDictionary<string, string>> TitlesAsync(Guid organizationId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default);
}

/// <summary>One place where training is recorded: modules passed in a course, or completions an admin recorded by hand.</summary>
public interface ITrainingSource
{
    /// <summary>The keys among <paramref name="moduleKeys"/> that this source has no record of.</summary>
    Task<IReadOnlyList<string>> MissingModulesAsync(Guid organizationId, string userId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default);
}

/// <summary>Which modules the people who run an account of a kind, on a platform, must have passed.</summary>
public interface ITrainingRequirements
{
    Task<IReadOnlyList<string>> RequiredModulesAsync(Guid organizationId, string accountKind, string? platform = null, CancellationToken cancellationToken = default);
}

/// <summary>A module counts as done when any source has it: passed in the course, or recorded by hand.</summary>
public sealed class CombinedTrainingRecords(IEnumerable<ITrainingSource> sources) : ITrainingRecords
{
    public async Task<IReadOnlyList<string>> MissingModulesAsync(Guid organizationId, string userId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default)
    {
        IReadOnlyCollection<string> missing = moduleKeys.Distinct(StringComparer.Ordinal).ToList();
        // Sources run one after the other: they share the request's database context.
        foreach (var source in sources)
        {
            if (missing.Count == 0)
            {
                break;
            }

            missing = await source.MissingModulesAsync(organizationId, userId, missing, cancellationToken);
        }

        return missing.ToList();
    }
}
