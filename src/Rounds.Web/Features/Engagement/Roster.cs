using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Engagement;

public sealed record RosterFilter(string? Department = null, bool IncludeLeft = false, string? Search = null);

/// <summary>A page of the roster, where the next and the previous pages start (null when there is none), and how many physicians match in all.</summary>
public sealed record RosterList(List<Physician> Items, RosterCursor? Next, RosterCursor? Previous, int Total);

/// <summary>
/// A place in the roster's (name, NPI) order; NPIs are unique in an organization, so the pair names one
/// physician and the order is stable while physicians are added.
/// </summary>
public sealed record RosterCursor(string Name, string Npi)
{
    public static RosterCursor Of(Physician physician) => new(physician.Name, physician.Npi);

    public override string ToString() => $"{Npi}.{Uri.EscapeDataString(Name)}";

    /// <summary>Reads a cursor as the roster handed it out; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out RosterCursor? cursor)
    {
        cursor = null;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot != 10 || !text![..dot].All(char.IsAsciiDigit))
        {
            return false;
        }

        cursor = new RosterCursor(Uri.UnescapeDataString(text[(dot + 1)..]), text[..dot]);
        return true;
    }
}

/// <summary>Reads the roster and end-dates physicians who leave.</summary>
public sealed class Roster(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Marketing and communications staff read the roster; only admins change it.</summary>
    public const Role ViewRole = Role.AccountManager;

    public const Role EditRole = Role.Admin;

    public static readonly string[] ExportColumns = ["npi", "name", "credentials", "department", "specialty", "email", "start date", "end date"];

    /// <summary>Physicians in one page of the roster; the count of all matches comes with it.</summary>
    public const int PageSize = 100;

    /// <summary>
    /// One page of the roster in (name, NPI) order, after or before a cursor, read as a range of the
    /// (organization, name, NPI) index or, for a department, of (organization, department, name, NPI); every
    /// filter is applied by the database, and the total is counted there.
    /// </summary>
    public async Task<RosterList> PageAsync(OrgContext org, RosterFilter filter, RosterCursor? after = null, RosterCursor? before = null, CancellationToken cancellationToken = default)
    {
        var query = Filtered(org, filter);
        var total = await query.CountAsync(cancellationToken);
        List<Physician> rows;
        bool more;
        if (before is { } back)
        {
            // Read backwards from the cursor and turned around, so a previous page is as cheap as a next one.
            rows = await Before(query, back).OrderByDescending(p => p.Name).ThenByDescending(p => p.Npi).Take(PageSize + 1).ToListAsync(cancellationToken);
            more = rows.Count > PageSize;
            rows = rows.Take(PageSize).Reverse().ToList();
            var hasNext = rows.Count > 0 && await After(query, RosterCursor.Of(rows[^1])).AnyAsync(cancellationToken);
            return new RosterList(rows, hasNext ? RosterCursor.Of(rows[^1]) : null, more ? RosterCursor.Of(rows[0]) : null, total);
        }

        if (after is { } forward)
        {
            query = After(query, forward);
        }

        rows = await query.OrderBy(p => p.Name).ThenBy(p => p.Npi).Take(PageSize + 1).ToListAsync(cancellationToken);
        more = rows.Count > PageSize;
        rows = rows.Take(PageSize).ToList();
        var hasPrevious = rows.Count > 0 && after is not null && await Before(Filtered(org, filter), RosterCursor.Of(rows[0])).AnyAsync(cancellationToken);
        return new RosterList(rows, more ? RosterCursor.Of(rows[^1]) : null, hasPrevious ? RosterCursor.Of(rows[0]) : null, total);
    }

    /// <summary>Every physician who matches, for the export, which is the whole roster by design.</summary>
    public Task<List<Physician>> ListAsync(OrgContext org, RosterFilter filter, CancellationToken cancellationToken = default) =>
        Filtered(org, filter).OrderBy(p => p.Name).ThenBy(p => p.Npi).ToListAsync(cancellationToken);

    private IQueryable<Physician> Filtered(OrgContext org, RosterFilter filter)
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

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // The stored lower-case name, so case is ignored alike on both databases; an NPI matches from its start.
            var search = filter.Search.Trim();
            var lower = search.ToLowerInvariant();
            query = query.Where(p => p.SearchName.Contains(lower) || p.Npi.StartsWith(search));
        }

        return query;
    }

    private static IQueryable<Physician> After(IQueryable<Physician> query, RosterCursor cursor)
    {
        var (name, npi) = (cursor.Name, cursor.Npi);
        return query.Where(p => string.Compare(p.Name, name) > 0 || (p.Name == name && string.Compare(p.Npi, npi) > 0));
    }

    private static IQueryable<Physician> Before(IQueryable<Physician> query, RosterCursor cursor)
    {
        var (name, npi) = (cursor.Name, cursor.Npi);
        return query.Where(p => string.Compare(p.Name, name) < 0 || (p.Name == name && string.Compare(p.Npi, npi) < 0));
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
