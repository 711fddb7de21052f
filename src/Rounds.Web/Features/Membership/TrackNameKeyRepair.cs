using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// Makes every track's <see cref="EventTrack.NameKey"/> the key the application computes (<see cref="EventTrack.KeyOf"/>).
/// The migration that added the column filled it with SQL's <c>UPPER</c>, which on SQLite folds ASCII letters only:
/// a track named "éthique" kept "éTHIQUE" where Rounds writes "ÉTHIQUE", so a second "Éthique" passed the unique
/// index. No SQL both databases run folds case as .NET does, so the keys are recomputed here. A track whose right
/// key another track of the conference holds already is renamed as that migration renamed case-duplicates: every
/// one after the first (by position, then id) gets part of its id added to its name. The updates are guarded on the
/// key they found, so instances starting together change each row once.
/// </summary>
internal sealed class TrackNameKeyRepair(RoundsDbContext db, IAuditLog audit, ILogger<TrackNameKeyRepair> logger) : IDataRepair
{
    public async Task<int> RepairAsync(CancellationToken cancellationToken = default)
    {
        var tracks = await db.Set<EventTrack>().AsNoTracking().IgnoreQueryFilters()
            .Select(t => new { t.Id, t.OrganizationId, t.EventId, t.Name, t.NameKey, t.Position }).ToListAsync(cancellationToken);
        if (tracks.All(t => t.NameKey == EventTrack.KeyOf(t.Name)))
        {
            return 0;
        }

        var renames = new List<(Guid Id, Guid OrganizationId, string OldName, string OldKey, string Name)>();
        var rekeys = new List<(Guid Id, string OldKey, string Key)>();
        foreach (var conference in tracks.GroupBy(t => t.EventId).Where(g => g.Any(t => t.NameKey != EventTrack.KeyOf(t.Name))))
        {
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var track in conference.OrderBy(t => t.Position).ThenBy(t => t.Id.ToString(), StringComparer.Ordinal))
            {
                var key = EventTrack.KeyOf(track.Name);
                if (taken.Add(key))
                {
                    if (key != track.NameKey)
                    {
                        rekeys.Add((track.Id, track.NameKey, key));
                    }

                    continue;
                }

                var name = (track.Name.Length > 88 ? track.Name[..88] : track.Name) + $" ({track.Id.ToString()[..8]})";
                taken.Add(EventTrack.KeyOf(name));
                renames.Add((track.Id, track.OrganizationId, track.Name, track.NameKey, name));
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = 0;
        // Renames first: they free the keys the other tracks are about to take, so the unique index holds at every step.
        foreach (var (id, organizationId, oldName, oldKey, name) in renames)
        {
            var key = EventTrack.KeyOf(name);
            var moved = await db.Set<EventTrack>().IgnoreQueryFilters().Where(t => t.Id == id && t.NameKey == oldKey && t.Name == oldName)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, name).SetProperty(t => t.NameKey, key), cancellationToken);
            if (moved == 1)
            {
                audit.Record(organizationId, "event_track.renamed_as_duplicate", nameof(EventTrack), id.ToString(), before: new { name = oldName }, after: new { name });
            }

            changed += moved;
        }

        foreach (var (id, oldKey, key) in rekeys)
        {
            changed += await db.Set<EventTrack>().IgnoreQueryFilters().Where(t => t.Id == id && t.NameKey == oldKey)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.NameKey, key), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Track name keys repaired: {Renamed} tracks renamed as duplicates, {Changed} rows changed", renames.Count, changed);
        return changed;
    }
}
