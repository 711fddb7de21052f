using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// Makes every track's <see cref="EventTrack.NameKey"/> the key the application computes (<see cref="EventTrack.KeyOf"/>).
/// The migration that added the column filled it with SQL's <c>UPPER</c>, which on SQLite folds ASCII letters only:
/// a track named "éthique" kept "éTHIQUE" where Rounds writes "ÉTHIQUE", so a second "Éthique" passed the unique
/// index. No SQL both databases run folds case as .NET does, so the keys are recomputed here. A track whose right
/// key another track of the conference holds already is renamed as that migration renamed case-duplicates: every
/// one after the first (by position, then id) gets part of its id added to its name.
/// </summary>
/// <remarks>
/// Instances starting together each run it. The tracks are read and written in one transaction that first writes
/// to the rows it is about to read (a write that changes nothing): on PostgreSQL that waits for another instance's
/// repair to commit and locks the rows, on SQLite it takes the database's write lock, so the second instance reads
/// what the first wrote and finds nothing left to do. A track added meanwhile by someone else that collides with
/// a key being written rolls the attempt back and it starts again from a fresh read.
/// </remarks>
internal sealed class TrackNameKeyRepair(RoundsDbContext db, IAuditLog audit, ILogger<TrackNameKeyRepair> logger) : IDataRepair
{
    private const int Attempts = 3;

    public async Task<int> RepairAsync(CancellationToken cancellationToken = default)
    {
        // Once done, a start reads the keys and writes nothing.
        var conferences = await WrongConferencesAsync(cancellationToken);
        if (conferences.Count == 0)
        {
            return 0;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RepairInTransactionAsync(conferences, cancellationToken);
            }
            catch (Exception exception) when (exception is DbException or DbUpdateException && attempt < Attempts)
            {
                db.ChangeTracker.Clear();
                logger.LogWarning(exception, "Track name key repair collided with another change; trying again ({Attempt} of {Attempts})", attempt, Attempts);
            }
        }
    }

    private async Task<List<Guid>> WrongConferencesAsync(CancellationToken cancellationToken) =>
        (await db.Set<EventTrack>().AsNoTracking().IgnoreQueryFilters().Select(t => new { t.EventId, t.Name, t.NameKey }).ToListAsync(cancellationToken))
            .Where(t => t.NameKey != EventTrack.KeyOf(t.Name)).Select(t => t.EventId).Distinct().ToList();

    private async Task<int> RepairInTransactionAsync(IReadOnlyCollection<Guid> conferences, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<EventTrack>().IgnoreQueryFilters().Where(t => conferences.Contains(t.EventId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.NameKey, t => t.NameKey), cancellationToken);
        var tracks = await db.Set<EventTrack>().AsNoTracking().IgnoreQueryFilters().Where(t => conferences.Contains(t.EventId))
            .Select(t => new { t.Id, t.OrganizationId, t.EventId, t.Name, t.NameKey, t.Position }).ToListAsync(cancellationToken);

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
        if (changed > 0)
        {
            logger.LogInformation("Track name keys repaired: {Renamed} tracks renamed as duplicates, {Changed} rows changed", renames.Count, changed);
        }

        return changed;
    }
}
