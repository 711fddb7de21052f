using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// Times a roster import of generated physicians into a fresh database: the first import (all new), the same
/// file again (all unchanged) and a file with every row changed. It is a command, not a test, because a time
/// depends on the machine; the floor it is compared with is 10 seconds for 5,000 physicians.
/// </summary>
internal static class RosterImportMeasure
{
    public static async Task<int> RunAsync(string[] options)
    {
        var rows = options.Length > 0 && int.TryParse(options[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5_000;
        var postgres = options.Length > 1 ? options[1] : null;
        var file = Path.Combine(Path.GetTempPath(), $"rounds-roster-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = postgres is null
                ? (RoundsDbContext)new SqliteRoundsDbContext(new DbContextOptionsBuilder<SqliteRoundsDbContext>().UseSqlite($"Data Source={file}").Options)
                : new PostgresRoundsDbContext(new DbContextOptionsBuilder<PostgresRoundsDbContext>().UseNpgsql(postgres).Options);
            if (postgres is not null)
            {
                await db.Database.EnsureDeletedAsync();
            }

            await db.Database.MigrateAsync();
            var organization = new Organization { Name = "Measure", Slug = "measure-" + Guid.NewGuid().ToString("N")[..8] };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
            var org = new OrgContext(organization, new OrganizationMember { OrganizationId = organization.Id, Role = Role.Admin }, "measure");
            var import = new RosterImport(db, new AuditLog(db, new Actor(), TimeProvider.System), TimeProvider.System);

            Console.WriteLine($"{rows:N0} physicians on {(postgres is null ? "SQLite" : "PostgreSQL")}");
            await TimeAsync("first import", import, org, Roster(rows, "Cardiology"), db);
            await TimeAsync("same file again", import, org, Roster(rows, "Cardiology"), db);
            await TimeAsync("every row changed", import, org, Roster(rows, "Oncology"), db);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task TimeAsync(string label, RosterImport import, OrgContext org, byte[] file, RoundsDbContext db)
    {
        db.ChangeTracker.Clear();
        var watch = Stopwatch.StartNew();
        var outcome = await import.ImportAsync(org, file);
        watch.Stop();
        var result = outcome.Value!;
        Console.WriteLine($"{label,-18} {watch.Elapsed.TotalSeconds,6:0.00} s  ({result.Created} new, {result.Updated} updated, {result.Unchanged} unchanged, {result.Errors} errors)");
    }

    private static byte[] Roster(int rows, string department)
    {
        var csv = new StringBuilder("NPI,Name,Credentials,Department,Specialty,Email,Start date\n");
        for (var i = 0; i < rows; i++)
        {
            var firstNine = (100_000_000 + i).ToString(CultureInfo.InvariantCulture);
            var npi = firstNine + Npi.CheckDigit(firstNine);
            csv.Append(CultureInfo.InvariantCulture, $"{npi},Physician {i},MD,{department} {i % 40},Specialty {i % 25},p{i}@example.org,2020-01-{1 + i % 28:00}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private sealed class Actor : ICurrentActor
    {
        public string? UserId => null;

        public string Name => "measure";
    }
}
