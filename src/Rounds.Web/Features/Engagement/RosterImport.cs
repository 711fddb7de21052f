using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Engagement;

public sealed record RosterImportRow(int Line, string Action, string Npi, string Name, IReadOnlyList<string> Errors);

public sealed record RosterImportResult(bool Written, int Rows, int Created, int Updated, int Unchanged, int Errors, IReadOnlyList<RosterImportRow> Lines);

/// <summary>
/// Imports the physician roster. The preview and the import run the same analysis; the import writes only when
/// every row is valid, and then in one save, which is one transaction: a file with an error changes nothing, so
/// a half-imported roster never skews the shares computed from it. Rows are matched on NPI, so importing the same
/// file again changes nothing; physicians missing from a file are kept (they leave by an end date, not by absence).
/// </summary>
public sealed class RosterImport(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public const int MaxRows = 50_000;

    public const int MaxFieldLength = 200;

    public static readonly string[] Columns = ["npi", "name", "credentials", "department", "specialty", "email", "start date", "end date"];

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["npi"] = "npi", ["npinumber"] = "npi", ["nationalprovideridentifier"] = "npi",
        ["name"] = "name", ["fullname"] = "name", ["physician"] = "name", ["providername"] = "name",
        ["firstname"] = "first", ["givenname"] = "first", ["lastname"] = "last", ["familyname"] = "last", ["surname"] = "last",
        ["credentials"] = "credentials", ["credential"] = "credentials", ["degree"] = "credentials", ["suffix"] = "credentials",
        ["department"] = "department", ["dept"] = "department", ["division"] = "department",
        ["specialty"] = "specialty", ["speciality"] = "specialty", ["primaryspecialty"] = "specialty",
        ["email"] = "email", ["emailaddress"] = "email", ["workemail"] = "email",
        ["startdate"] = "start", ["start"] = "start", ["hiredate"] = "start", ["hired"] = "start",
        ["enddate"] = "end", ["end"] = "end", ["leftdate"] = "end", ["terminationdate"] = "end", ["left"] = "end",
    };

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy", "yyyy/MM/dd", "d.M.yyyy"];

    public Task<Outcome<RosterImportResult>> PreviewAsync(OrgContext org, byte[] file, CancellationToken cancellationToken = default) =>
        RunAsync(org, file, write: false, cancellationToken);

    public Task<Outcome<RosterImportResult>> ImportAsync(OrgContext org, byte[] file, CancellationToken cancellationToken = default) =>
        RunAsync(org, file, write: true, cancellationToken);

    private sealed record Parsed(RosterImportRow Row, Physician? Existing, Physician? Proposed);

    private async Task<Outcome<RosterImportResult>> RunAsync(OrgContext org, byte[] file, bool write, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Roster.EditRole))
        {
            return Outcome.Refused("Only admins import the physician roster.");
        }

        var (records, problem) = RosterFile.Read(file);
        if (records is null)
        {
            return Outcome.Invalid("File", problem!);
        }

        if (records.Count == 0)
        {
            return Outcome.Invalid("File", "The file is empty.");
        }

        var header = MapHeader(records[0].Fields);
        if (!header.ContainsKey("npi") || !(header.ContainsKey("name") || header.ContainsKey("last")))
        {
            return Outcome.Invalid("File", "The first row must name the columns, with at least NPI and name (or first and last name). Recognized columns: " + string.Join(", ", Columns) + ".");
        }

        if (records.Count - 1 > MaxRows)
        {
            return Outcome.Invalid("File", $"Import at most {MaxRows:N0} physicians at a time.");
        }

        var existing = await db.Set<Physician>().Where(p => p.OrganizationId == org.Id).ToDictionaryAsync(p => p.Npi, StringComparer.Ordinal, cancellationToken);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var parsed = records.Skip(1).Select(r => Analyse(org.Id, r, header, existing, seen)).ToList();
        var result = new RosterImportResult(
            false,
            parsed.Count,
            parsed.Count(p => p.Row.Action == "create"),
            parsed.Count(p => p.Row.Action == "update"),
            parsed.Count(p => p.Row.Action == "unchanged"),
            parsed.Count(p => p.Row.Action == "error"),
            parsed.Select(p => p.Row).ToList());
        if (!write)
        {
            return new Outcome<RosterImportResult>(Outcome.Success, result);
        }

        if (result.Errors > 0)
        {
            var message = $"{result.Errors} {(result.Errors == 1 ? "row has" : "rows have")} errors; nothing was imported. Correct them and import the file again.";
            return new Outcome<RosterImportResult>(Outcome.Invalid("File", message), result);
        }

        if (result.Created + result.Updated == 0)
        {
            return new Outcome<RosterImportResult>(Outcome.Success, result);
        }

        var now = clock.GetUtcNow();

        // Thousands of rows: EF detects changes once at the save rather than on every Add.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var p in parsed)
            {
                if (p.Row.Action == "create")
                {
                    p.Proposed!.CreatedAt = now;
                    p.Proposed.UpdatedAt = now;
                    db.Add(p.Proposed);
                }
                else if (p.Row.Action == "update")
                {
                    Copy(p.Proposed!, p.Existing!);
                    p.Existing!.UpdatedAt = now;
                }
            }

            // One entry for the whole import; the roster itself shows each physician's current record.
            audit.Record(org.Id, "engagement.roster.imported", nameof(Physician), org.Id.ToString(), after: new { result.Rows, result.Created, result.Updated, result.Unchanged });
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }

        return new Outcome<RosterImportResult>(Outcome.Success, result with { Written = true });
    }

    private static Dictionary<string, int> MapHeader(string[] fields)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Length; i++)
        {
            var key = new string(fields[i].ToLowerInvariant().Where(char.IsAsciiLetter).ToArray());
            if (Synonyms.TryGetValue(key, out var column))
            {
                map.TryAdd(column, i);
            }
        }

        return map;
    }

    private static Parsed Analyse(Guid organizationId, RosterRecord record, Dictionary<string, int> header, Dictionary<string, Physician> existing, Dictionary<string, int> seen)
    {
        // A cell that an export neutralized for spreadsheets ('+1…) reads back as it was.
        string Get(string column) => header.TryGetValue(column, out var i) && i < record.Fields.Length ? CsvExport.Unescape(record.Fields[i].Trim()) : "";

        var errors = new List<string>();
        var npi = Get("npi");
        if (Npi.Problem(npi) is { } npiProblem)
        {
            errors.Add(npiProblem);
        }
        else if (seen.TryGetValue(npi, out var firstLine))
        {
            errors.Add($"The same NPI as line {firstLine}.");
        }
        else
        {
            seen[npi] = record.Line;
        }

        var name = Get("name");
        if (name.Length == 0)
        {
            name = string.Join(' ', new[] { Get("first"), Get("last") }.Where(n => n.Length > 0));
        }

        if (name.Length == 0)
        {
            errors.Add("The name is missing.");
        }

        var fields = new Dictionary<string, string>
        {
            ["name"] = name, ["credentials"] = Get("credentials"), ["department"] = Get("department"), ["specialty"] = Get("specialty"), ["email"] = Get("email"),
        };
        foreach (var (field, value) in fields)
        {
            if (TextRules.FirstRefused(value) is { } control)
            {
                errors.Add($"{Capital(field)}: {TextRules.ControlMessage(control)}");
            }
            else if (value.Length > MaxFieldLength)
            {
                errors.Add($"{Capital(field)} has more than {MaxFieldLength} characters.");
            }
        }

        var email = fields["email"];
        if (email.Length > 0 && !LooksLikeEmail(email))
        {
            errors.Add($"'{email}' is not an email address.");
        }

        var start = Date(Get("start"), "start date", errors);
        var end = Date(Get("end"), "end date", errors);
        if (start is not null && end is not null && end < start)
        {
            errors.Add("The end date is before the start date.");
        }

        if (errors.Count > 0)
        {
            return new Parsed(new RosterImportRow(record.Line, "error", npi, name, errors), null, null);
        }

        existing.TryGetValue(npi, out var current);

        // Empty cells keep what the roster has, so a file with fewer columns never blanks a record.
        var proposed = new Physician
        {
            OrganizationId = organizationId,
            Npi = npi,
            Name = name,
            Credentials = Keep(fields["credentials"], current?.Credentials),
            Department = Keep(fields["department"], current?.Department),
            Specialty = Keep(fields["specialty"], current?.Specialty),
            Email = Keep(email.ToLowerInvariant(), current?.Email),
            StartDate = start ?? current?.StartDate,
            EndDate = end ?? current?.EndDate,
        };
        var action = current is null ? "create" : Same(current, proposed) ? "unchanged" : "update";
        return new Parsed(new RosterImportRow(record.Line, action, npi, name, []), current, proposed);
    }

    private static string Keep(string value, string? current) => value.Length > 0 ? value : current ?? "";

    private static bool Same(Physician a, Physician b) =>
        a.Name == b.Name && a.Credentials == b.Credentials && a.Department == b.Department && a.Specialty == b.Specialty
        && a.Email == b.Email && a.StartDate == b.StartDate && a.EndDate == b.EndDate;

    private static void Copy(Physician from, Physician to)
    {
        to.Name = from.Name;
        to.Credentials = from.Credentials;
        to.Department = from.Department;
        to.Specialty = from.Specialty;
        to.Email = from.Email;
        to.StartDate = from.StartDate;
        to.EndDate = from.EndDate;
    }

    private static DateOnly? Date(string text, string field, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        // A workbook's date cell arrives as an ISO date; a date-time text keeps only its day.
        var day = text.Length > 10 && text[10] is ' ' or 'T' ? text[..10] : text;
        if (DateOnly.TryParseExact(day, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add($"The {field} '{text}' is not a date; write it as YYYY-MM-DD.");
        return null;
    }

    internal static bool LooksLikeEmail(string text) =>
        text.Length <= 254 && text.IndexOf('@') is var at && at > 0 && at == text.LastIndexOf('@') && at < text.Length - 3
        && text.IndexOf('.', at) > at + 1 && !text.Any(char.IsWhiteSpace);

    private static string Capital(string field) => char.ToUpperInvariant(field[0]) + field[1..];
}
