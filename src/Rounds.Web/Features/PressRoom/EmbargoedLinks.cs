using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// Finds links to release pages (<c>/press/{org}/releases/{id}</c>) in text and reports those still under
/// embargo. Any host counts: the same release is reached through the public address, a proxy or a shortener's
/// target alike, and the release id alone identifies it.
/// </summary>
public sealed partial class EmbargoedLinks(RoundsDbContext db, TimeProvider clock) : IEmbargoedLinks
{
    [GeneratedRegex(@"/press/[A-Za-z0-9\-]{1,64}/releases/(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})")]
    private static partial Regex ReleaseLink();

    public async Task<IReadOnlyList<EmbargoedLink>> FindAsync(Guid organizationId, string text, CancellationToken cancellationToken = default)
    {
        var links = ReleaseLink().Matches(text ?? "").Select(m => (Url: m.Value, Id: Guid.Parse(m.Groups["id"].Value))).DistinctBy(l => l.Id).ToList();
        if (links.Count == 0)
        {
            return [];
        }

        var ids = links.Select(l => l.Id).ToList();
        var now = clock.GetUtcNow();
        var embargoed = await db.Set<PressRelease>()
            .Where(r => r.OrganizationId == organizationId && ids.Contains(r.Id) && r.Status == ReleaseStatus.Scheduled && r.LiftAt > now)
            .Select(r => new { r.Id, r.LiftAt, r.LiftZone }).ToListAsync(cancellationToken);
        return links.Join(embargoed, l => l.Id, r => r.Id, (l, r) => new EmbargoedLink(l.Url, r.LiftAt!.Value, LiftTime.Describe(r.LiftAt.Value, r.LiftZone))).ToList();
    }
}
