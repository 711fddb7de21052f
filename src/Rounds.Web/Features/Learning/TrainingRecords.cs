using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

/// <summary>A module counts as done once the person passed its assessment in that organization.</summary>
public sealed class TrainingRecords(RoundsDbContext db) : ITrainingSource
{
    public async Task<IReadOnlyList<string>> MissingModulesAsync(Guid organizationId, string userId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default)
    {
        var wanted = moduleKeys.Distinct(StringComparer.Ordinal).ToList();
        var passed = await (
            from a in db.Set<Attempt>()
            join m in db.Set<Module>() on a.ModuleId equals m.Id
            where a.OrganizationId == organizationId && m.OrganizationId == organizationId && a.UserId == userId && a.Passed && wanted.Contains(m.Key)
            select m.Key).Distinct().ToListAsync(cancellationToken);
        return wanted.Where(key => !passed.Contains(key)).ToList();
    }
}
