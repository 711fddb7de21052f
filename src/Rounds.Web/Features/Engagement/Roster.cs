using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Engagement;

public sealed record RosterFilter(string? Department = null, bool IncludeLeft = false, string? Search = null);

/// <summary>Reads the roster and end-dates physicians who leave.</summary>
public sealed class Roster(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Marketing and communications staff read the roster; only admins change it.</summary>
    public const Role ViewRole = Role.AccountManager;

    public const Role EditRole = Role.Admin;

    public static readonly string[] ExportColumns = ["npi", "name", "credentials", "department", "specialty", "email", "start date", "end date"];

    public async Task<List<Physician>> ListAsync(OrgContext org, RosterFilter filter, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var query = db.Set<Physician>().AsNoTracking().Where(p => p.OrganizationId == org.Id);
        if (!filter.IncludeLeft)
        {
            query = query.Where(p => p.EndDate == null || p.EndDate >= today);
        }

        if (!string.IsNullOrWhiteSpace(filter.Department))
        {
            query = query.Where(p => p.Department == filter.Department);
        }

        var physicians = await query.OrderBy(p => p.Name).ThenBy(p => p.Npi).ToListAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Matched in memory so that case is ignored the same way on SQLite and PostgreSQL.
            var search = filter.Search.Trim();
            physicians = physicians.Where(p => p.Name.Contains(search, StringComparison.OrdinalIgnoreCase) || p.Npi.StartsWith(search, StringComparison.Ordinal)).ToList();
        }

        return physicians;
    }

    public Task<Physician?> FindAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default) =>
        db.Set<Physician>().AsNoTracking().FirstOrDefaultAsync(p => p.OrganizationId == org.Id && p.Id == id, cancellationToken);

    public async Task<List<string>> DepartmentsAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        (await db.Set<Physician>().Where(p => p.OrganizationId == org.Id && p.Department != "").Select(p => p.Department).Distinct().ToListAsync(cancellationToken))
        .Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Records that a physician left (or will leave) on a day; the record and its history stay.</summary>
    public async Task<Outcome> EndAsync(OrgContext org, Guid id, DateOnly? endDate, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only admins change the roster.");
        }

        var physician = await db.Set<Physician>().FirstOrDefaultAsync(p => p.OrganizationId == org.Id && p.Id == id, cancellationToken);
        if (physician is null)
        {
            return Outcome.NotFound;
        }

        if (endDate is null)
        {
            return Outcome.Invalid("EndDate", "Enter the day the physician left.");
        }

        if (physician.StartDate is { } start && endDate < start)
        {
            return Outcome.Invalid("EndDate", "The end date is before the start date.");
        }

        var before = physician.EndDate;
        physician.EndDate = endDate;
        physician.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, "engagement.physician.ended", nameof(Physician), physician.Id.ToString(), new { EndDate = before }, new { physician.EndDate });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public static string Csv(IEnumerable<Physician> physicians) => CsvExport.Write(ExportColumns, physicians.Select(p => new[]
    {
        p.Npi, p.Name, p.Credentials, p.Department, p.Specialty, p.Email, Day(p.StartDate), Day(p.EndDate),
    }));

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
