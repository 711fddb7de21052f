using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Track name keys left by the migration's SQL: on SQLite its <c>UPPER</c> folds ASCII letters only, so a
/// non-ASCII name kept a key the application would not write, and a duplicate slipped past the unique index. The
/// repair run at start makes every key the application's, renaming the later duplicate, once.
/// </summary>
public abstract class TrackNameKeyRepairTests(MembershipRounds app)
{
    /// <summary>Writes the track's key as the migration's backfill did on this database.</summary>
    protected abstract Task KeyTheOldWayAsync(RoundsDbContext db, Guid eventId, string name);

    /// <summary>What SQLite's <c>UPPER</c> gives: ASCII letters folded, every other character as it was.</summary>
    protected static string AsciiUpper(string name) => string.Concat(name.Select(c => c < 128 ? char.ToUpperInvariant(c) : c));

    private static Task<int> RepairAsync(IServiceProvider services) =>
        services.GetServices<IDataRepair>().Aggregate(Task.FromResult(0), async (sum, repair) => await sum + await repair.RepairAsync());

    [Fact]
    public async Task A_non_ascii_track_keyed_the_old_way_gets_the_applications_key_and_the_duplicate_that_slipped_by_is_renamed_once()
    {
        var cast = await app.CastAsync();
        var (eventId, ids) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var product = new Product { OrganizationId = cast.Network.Id, Kind = ProductKind.Conference, Name = "Keys conference", ListPrice = 0m };
            var conference = new NetworkEvent
            {
                OrganizationId = cast.Network.Id, ProductId = product.Id, Kind = ProductKind.Conference, Title = "Keys conference", StartsAt = app.Clock.GetUtcNow().AddDays(30),
                EndsAt = app.Clock.GetUtcNow().AddDays(31), TimeZone = "UTC", Capacity = 10,
            };
            var ethics = new EventTrack { OrganizationId = cast.Network.Id, EventId = conference.Id, Name = "éthique", Position = 0 };
            var strategy = new EventTrack { OrganizationId = cast.Network.Id, EventId = conference.Id, Name = "Stratégie", Position = 2 };
            db.AddRange(product, conference, ethics, strategy);
            await db.SaveChangesAsync();
            await KeyTheOldWayAsync(db, conference.Id, "éthique");
            await KeyTheOldWayAsync(db, conference.Id, "Stratégie");

            // Added after the migration by the application: its key differs from the old row's, so the index let it in.
            var duplicate = new EventTrack { OrganizationId = cast.Network.Id, EventId = conference.Id, Name = "Éthique", Position = 1 };
            db.Add(duplicate);
            await db.SaveChangesAsync();
            return (conference.Id, new[] { ethics.Id, duplicate.Id, strategy.Id });
        });

        Task<List<(Guid Id, string Name, string Key)>> TracksAsync() => app.WithScopeAsync(async services =>
            (await services.GetRequiredService<RoundsDbContext>().Set<EventTrack>().AsNoTracking().Where(t => t.EventId == eventId).OrderBy(t => t.Position).ToListAsync())
                .Select(t => (t.Id, t.Name, t.NameKey)).ToList());
        var before = await TracksAsync();
        Assert.Equal(["éTHIQUE", "ÉTHIQUE", "STRATéGIE"], before.Select(t => t.Key));

        Assert.Equal(3, await app.WithScopeAsync(s => RepairAsync(s)));
        var after = await TracksAsync();
        Assert.Equal(ids, after.Select(t => t.Id));
        Assert.All(after, t => Assert.Equal(EventTrack.KeyOf(t.Name), t.Key));
        Assert.Equal(("éthique", "ÉTHIQUE"), (after[0].Name, after[0].Key));
        Assert.Equal($"Éthique ({ids[1].ToString()[..8]})", after[1].Name);
        Assert.Equal("STRATÉGIE", after[2].Key);

        // Done once: a second start changes nothing, and the index now refuses the name in any case.
        Assert.Equal(0, await app.WithScopeAsync(s => RepairAsync(s)));
        Assert.Equal(after, await TracksAsync());
        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(new EventTrack { OrganizationId = cast.Network.Id, EventId = eventId, Name = "ÉTHIQUE", Position = 3 });
            await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task Two_instances_starting_together_both_finish_and_the_tracks_are_repaired_once()
    {
        var cast = await app.CastAsync();
        var (eventId, duplicateId) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var product = new Product { OrganizationId = cast.Network.Id, Kind = ProductKind.Conference, Name = "Race conference", ListPrice = 0m };
            var conference = new NetworkEvent
            {
                OrganizationId = cast.Network.Id, ProductId = product.Id, Kind = ProductKind.Conference, Title = "Race conference", StartsAt = app.Clock.GetUtcNow().AddDays(30),
                EndsAt = app.Clock.GetUtcNow().AddDays(31), TimeZone = "UTC", Capacity = 10,
            };
            var first = new EventTrack { OrganizationId = cast.Network.Id, EventId = conference.Id, Name = "économie", Position = 0 };
            db.AddRange(product, conference, first);
            await db.SaveChangesAsync();
            await KeyTheOldWayAsync(db, conference.Id, "économie");
            var duplicate = new EventTrack { OrganizationId = cast.Network.Id, EventId = conference.Id, Name = "Économie", Position = 1 };
            db.Add(duplicate);
            await db.SaveChangesAsync();
            return (conference.Id, duplicate.Id);
        });

        // Each instance has its own scope and connection, as two servers would; neither may fail.
        var changed = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => app.WithScopeAsync(s => RepairAsync(s)))));

        // The two rows (one renamed, one rekeyed) are changed once between them, whichever instance did it.
        Assert.Equal(2, changed.Sum());
        var tracks = await app.WithScopeAsync(async services =>
            await services.GetRequiredService<RoundsDbContext>().Set<EventTrack>().AsNoTracking().Where(t => t.EventId == eventId).OrderBy(t => t.Position).ToListAsync());
        Assert.All(tracks, t => Assert.Equal(EventTrack.KeyOf(t.Name), t.NameKey));
        Assert.Equal(["économie", $"Économie ({duplicateId.ToString()[..8]})"], tracks.Select(t => t.Name));
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().AuditEntries.IgnoreQueryFilters()
            .CountAsync(a => a.Action == "event_track.renamed_as_duplicate" && a.EntityId == duplicateId.ToString())));
    }
}

/// <summary>On SQLite the old way is the migration's own SQL.</summary>
public sealed class TrackNameKeyRepairTestsOnSqlite(SqliteMembershipRounds app) : TrackNameKeyRepairTests(app), IClassFixture<SqliteMembershipRounds>
{
    protected override Task KeyTheOldWayAsync(RoundsDbContext db, Guid eventId, string name) =>
        db.Set<EventTrack>().Where(t => t.EventId == eventId && t.Name == name).ExecuteUpdateAsync(s => s.SetProperty(t => t.NameKey, t => t.Name.ToUpper()));
}

/// <summary>PostgreSQL's <c>UPPER</c> folds more than ASCII, so rows as SQLite's migration left them (a database moved across) are written as they were.</summary>
[Trait("Database", "PostgreSQL")]
public sealed class TrackNameKeyRepairTestsOnPostgres(PostgresMembershipRounds app) : TrackNameKeyRepairTests(app), IClassFixture<PostgresMembershipRounds>
{
    protected override Task KeyTheOldWayAsync(RoundsDbContext db, Guid eventId, string name)
    {
        var key = AsciiUpper(name);
        return db.Set<EventTrack>().Where(t => t.EventId == eventId && t.Name == name).ExecuteUpdateAsync(s => s.SetProperty(t => t.NameKey, key));
    }
}
