using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Learning.Contracts;

namespace Rounds.Web.Features.Learning;

/// <summary>Module titles by key, from the organization's own copy of the course.</summary>
internal sealed class ModuleTitles(RoundsDbContext db) : IModuleTitles
{
    public async Task<IReadOnlyDictionary<string, string>> TitlesAsync(Guid organizationId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default)
    {
        var keys = moduleKeys.Distinct(StringComparer.Ordinal).ToList();
        var found = await db.Set<Module>().AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && keys.Contains(m.Key))
            .Select(m => new { m.Key, m.Title }).ToListAsync(cancellationToken);
        var titles = found.GroupBy(m => m.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Title, StringComparer.Ordinal);
        return keys.ToDictionary(k => k, k => titles.TryGetValue(k, out var title) && title.Length > 0 ? title : k, StringComparer.Ordinal);
    }
}
