using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// Times the engagement dashboard's queries over a roster with two years of weekly snapshots: the weeks it
/// shows, then every figure of those weeks, as the page asks for them on each load. Rows are written with the
/// seeder's bulk insert into a fresh database. The first load counts the weeks from their rows and keeps the
/// counts, as the first load after a weekly snapshot does for its week; the loads after it are the ones timed.
/// The floor is 200 ms at p95 for 5,000 physicians on PostgreSQL.
/// </summary>
internal static class EngagementDashboardMeasure
{
    private const int Weeks = 104;
    private const int Departments = 40;
    private const int Warmup = 5;
    private const int Runs = 120;

    public static async Task<int> RunAsync(string[] options)
    {
        var physicians = options.Length > 0 && int.TryParse(options[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5_000;
        var networks = options.Length > 1 && int.TryParse(options[1], CultureInfo.InvariantCulture, out var k) && k is > 0 and <= 9 ? k : PhysicianProfiles.Networks.Length;
        var postgres = options.Length > 2 ? options[2] : null;
        var file = Path.Combine(Path.GetTempPath(), $"rounds-dashboard-{Guid.NewGuid():N}.db");
        RoundsDbContext Open() => postgres is null
            ? new SqliteRoundsDbContext(new DbContextOptionsBuilder<SqliteRoundsDbContext>().UseSqlite($"Data Source={file}").Options)
            : new PostgresRoundsDbContext(new DbContextOptionsBuilder<PostgresRoundsDbContext>().UseNpgsql(postgres).Options);
        try
        {
            Guid organizationId;
            await using (var db = Open())
            {
                if (postgres is not null)
                {
                    await db.Database.EnsureDeletedAsync();
                }

                await db.Database.MigrateAsync();
                var seeding = Stopwatch.StartNew();
                organizationId = await SeedAsync(db, physicians, networks);
                Console.WriteLine($"{(postgres is null ? "SQLite" : "PostgreSQL")}: {physicians:N0} physicians x {networks} networks x {Weeks} weeks = {physicians * networks * Weeks:N0} snapshot rows, written in {seeding.Elapsed.TotalSeconds:0.0} s");
                if (postgres is not null)
                {
                    await db.Database.ExecuteSqlRawAsync("ANALYZE");
                }
            }

            var times = new List<double>(Runs);
            var figures = 0;
            for (var run = 0; run < Warmup + Runs; run++)
            {
                // A context per load, as each request gets its own scope.
                await using var db = Open();
                var engagement = new EngagementFigures(db);
                var watch = Stopwatch.StartNew();
                var weeks = await engagement.WeeksAsync(organizationId, EngagementFigures.DashboardWeeks);
                var computed = await engagement.ComputeAsync(organizationId, weeks);
                watch.Stop();
                figures = computed.Count;
                if (run == 0)
                {
                    Console.WriteLine($"first load, counting all {weeks.Count} weeks from their rows: {watch.Elapsed.TotalMilliseconds:0.0} ms");
                }

                if (run >= Warmup)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            Console.WriteLine($"dashboard queries ({EngagementFigures.DashboardWeeks} weeks, {figures:N0} figures), {Runs} loads: p50 {At(0.50):0.0} ms, p95 {At(0.95):0.0} ms, max {times[^1]:0.0} ms");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>A roster over <see cref="Departments"/> departments whose signals vary by physician, network and week.</summary>
    private static async Task<Guid> SeedAsync(RoundsDbContext db, int physicians, int networks)
    {
        var organization = new Organization { Name = "Measure", Slug = "measure-" + Guid.NewGuid().ToString("N")[..8] };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        var now = DateTimeOffset.UtcNow;
        var roster = Enumerable.Range(0, physicians).Select(i =>
        {
            var firstNine = (100_000_000 + i).ToString(CultureInfo.InvariantCulture);
            return new Physician
            {
                OrganizationId = organization.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}",
                Department = $"Department {i % Departments}", CreatedAt = now, UpdatedAt = now,
            };
        }).ToList();

        await db.Database.OpenConnectionAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await using var rows = new BulkInsert<Physician>(db, transaction.GetDbTransaction());
            roster.ForEach(rows.Add);
            await rows.FlushAsync(default);
            await transaction.CommitAsync();
        }

        var last = EngagementSnapshot.WeekOf(now);
        for (var w = 0; w < Weeks; w++)
        {
            // A transaction per week keeps each one a few tens of thousands of rows.
            await using var transaction = await db.Database.BeginTransactionAsync();
            await using var rows = new BulkInsert<EngagementSnapshot>(db, transaction.GetDbTransaction());
            var week = last.AddDays(-7 * w);
            for (var i = 0; i < roster.Count; i++)
            {
                for (var k = 0; k < networks; k++)
                {
                    var seed = (i * 31) + (k * 7) + (w * 3);
                    var confirmed = seed % 3 != 0;
                    rows.Add(new EngagementSnapshot
                    {
                        OrganizationId = organization.Id, PhysicianId = roster[i].Id, Week = week, Network = PhysicianProfiles.Networks[k], Department = roster[i].Department,
                        State = confirmed ? ProfileState.Confirmed : ProfileState.Unknown,
                        Exists = confirmed ? true : null,
                        PostsIn30Days = confirmed && seed % 5 != 0 ? seed % 4 : null,
                        PostsIn90Days = confirmed && seed % 5 != 0 ? seed % 11 : null,
                        VideoPostsIn90Days = confirmed && seed % 5 != 0 ? seed % 3 : null,
                        MutualFollow = confirmed ? seed % 4 > 1 : null,
                        DisclaimerMissing = confirmed ? seed % 6 == 1 : null,
                        TakenAt = now,
                    });
                }
            }

            await rows.FlushAsync(default);
            await transaction.CommitAsync();
        }

        await db.Database.CloseConnectionAsync();
        return organization.Id;
    }
}
