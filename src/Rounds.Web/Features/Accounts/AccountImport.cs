using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

public enum ImportAction
{
    Create,
    Update,
    Unchanged,
    Error,
}

/// <param name="Changes">For an update, each field the row changes: "department: “Cardiology” → “Heart Center”".</param>
public sealed record ImportRow(int Line, string Action, string Platform, string Handle, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, IReadOnlyList<string>? Changes = null);

public sealed record ImportResult(bool Written, int Rows, int Created, int Updated, int Unchanged, int Errors, IReadOnlyList<ImportRow> Lines);

/// <summary>
/// Imports an audit spreadsheet into the registry. The preview and the import run the same analysis; the
/// import then writes the valid rows in one transaction. Platform and normalized handle identify an account,
/// so importing the same sheet again changes nothing. Statuses of known accounts are never changed by an
/// import: that goes through the lifecycle on the account itself.
/// </summary>
public sealed class AccountImport(RoundsDbContext db, IAuditLog audit, ICurrentActor actor, TimeProvider clock)
{
    public const int MaxRows = 20_000;

    public Task<Outcome<ImportResult>> PreviewAsync(OrgContext org, string csv, CancellationToken cancellationToken = default) =>
        RunAsync(org, csv, write: false, cancellationToken);

    public Task<Outcome<ImportResult>> ImportAsync(OrgContext org, string csv, CancellationToken cancellationToken = default) =>
        RunAsync(org, csv, write: true, cancellationToken);

    private sealed record Parsed(ImportRow Row, ImportAction Action, SocialAccount? Existing, SocialAccount? Proposed);

    private async Task<Outcome<ImportResult>> RunAsync(OrgContext org, string csv, bool write, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(AccountRegistry.EditRole))
        {
            return Outcome.Refused("Only account managers, reviewers and admins import into the registry.");
        }

        if (TextRules.FirstRefused(csv) is { } control)
        {
            return Outcome.Invalid("File", TextRules.ControlMessage(control));
        }

        var records = AccountCsv.Parse(csv).ToList();
        if (records.Count == 0)
        {
            return Outcome.Invalid("File", "The file is empty.");
        }

        var header = AccountCsv.MapHeader(records[0].Fields);
        if (header["platform"] < 0 || (header["handle"] < 0 && header["url"] < 0))
        {
            return Outcome.Invalid("File", "The first line must name the columns, with at least platform and handle (or url). Recognized columns: " + string.Join(", ", AccountCsv.Columns) + ".");
        }

        if (records.Count - 1 > MaxRows)
        {
            return Outcome.Invalid("File", $"Import at most {MaxRows:N0} rows at a time.");
        }

        var existing = await db.Set<SocialAccount>().Where(a => a.OrganizationId == org.Id).ToDictionaryAsync(a => (a.Platform, a.NormalizedHandle), cancellationToken);
        var seen = new Dictionary<(Platform, string), int>();
        var parsed = new List<Parsed>(records.Count);
        foreach (var (line, fields) in records.Skip(1))
        {
            parsed.Add(Analyse(org.Id, line, fields, header, existing, seen));
        }

        var result = new ImportResult(
            write,
            parsed.Count,
            parsed.Count(p => p.Action == ImportAction.Create),
            parsed.Count(p => p.Action == ImportAction.Update),
            parsed.Count(p => p.Action == ImportAction.Unchanged),
            parsed.Count(p => p.Action == ImportAction.Error),
            parsed.Select(p => p.Row).ToList());
        if (!write || result.Created + result.Updated == 0)
        {
            return new Outcome<ImportResult>(Outcome.Success, result with { Written = false });
        }

        var now = clock.GetUtcNow();

        // Thousands of new rows: let EF skip scanning the whole graph on every Add; SaveChanges detects once.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var p in parsed)
        {
            if (p.Action == ImportAction.Create)
            {
                var account = p.Proposed!;
                account.CreatedAt = now;
                account.StatusChangedAt = now;
                db.Add(account);
                db.Add(new AccountHistoryEntry { OrganizationId = org.Id, AccountId = account.Id, At = now, ActorName = actor.Name, To = account.Status, Note = $"Imported from a spreadsheet (line {p.Row.Line})." });
            }
            else if (p.Action == ImportAction.Update)
            {
                var target = p.Existing!;
                var source = p.Proposed!;
                target.Url = source.Url;
                target.Kind = source.Kind;
                target.Department = source.Department;
                target.Owners = source.Owners;
                target.Backup = source.Backup;
                db.Add(new AccountHistoryEntry { OrganizationId = org.Id, AccountId = target.Id, At = now, ActorName = actor.Name, Note = $"Updated from a spreadsheet (line {p.Row.Line})." });
            }
        }

        // One entry for the whole import: thousands of per-row entries would bury the log; the history has each row.
        audit.Record(org.Id, "accounts.imported", "SocialAccount", org.Id.ToString(), after: new { result.Rows, result.Created, result.Updated, result.Unchanged, result.Errors });
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return new Outcome<ImportResult>(Outcome.Success, result);
    }

    private static Parsed Analyse(
        Guid organizationId, int line, string[] fields, Dictionary<string, int> header,
        Dictionary<(Platform, string), SocialAccount> existing, Dictionary<(Platform, string), int> seen)
    {
        // A cell that an export neutralized for spreadsheets ('@name) reads back as it was.
        string Get(string column) => header[column] is var i && i >= 0 && i < fields.Length ? CsvExport.Unescape(fields[i].Trim()) : "";

        var errors = new List<string>();
        var warnings = new List<string>();
        var platformText = Get("platform");
        var handleText = Get("handle");
        if (handleText.Length == 0)
        {
            handleText = Get("url");
        }

        if (!AccountNames.TryParse<Platform>(platformText, out var platform))
        {
            errors.Add(platformText.Length == 0 ? "The platform is missing." : $"Unknown platform '{platformText}'; use {AccountNames.Choices<Platform>()}.");
        }

        var normalized = Handles.Normalize(platform, handleText);
        if (normalized.Length == 0)
        {
            errors.Add("The handle is missing.");
        }
        else if (Handles.Problem(platform, handleText) is { } handleProblem)
        {
            errors.Add(handleProblem);
        }

        if (TextRules.LinkProblem(Get("url")) is { } urlProblem)
        {
            errors.Add(urlProblem);
        }

        var kind = AccountKind.Department;
        var kindText = Get("kind");
        if (kindText.Length > 0 && !AccountNames.TryParse(kindText, out kind))
        {
            errors.Add($"Unknown kind '{kindText}'; use {AccountNames.Choices<AccountKind>()}.");
        }

        // An account found in an audit without a status is a rogue one until someone registers it.
        var status = AccountStatus.Unregistered;
        var statusText = Get("status");
        if (statusText.Length > 0 && !AccountNames.TryParse(statusText, out status))
        {
            errors.Add($"Unknown status '{statusText}'; use {AccountNames.Choices<AccountStatus>()}.");
        }

        var key = (platform, normalized);
        if (errors.Count == 0 && seen.TryGetValue(key, out var firstLine))
        {
            errors.Add($"The same account as line {firstLine}.");
        }

        var proposed = new SocialAccount
        {
            OrganizationId = organizationId,
            Platform = platform,
            Handle = Handles.Display(platform, handleText),
            NormalizedHandle = normalized,
            Url = Clip(Get("url"), 500) is { Length: > 0 } url ? url : null,
            Kind = kind,
            Department = Clip(Get("department"), 200),
            Owners = Clip(Get("owners"), 1000),
            Backup = Clip(Get("backup"), 300),
            Status = status,
        };
        if (errors.Count == 0 && status is AccountStatus.Active or AccountStatus.Trial && kind != AccountKind.Enterprise
            && (!proposed.OwnerList.Any() || !PeopleLists.Split(proposed.Backup).Any()))
        {
            errors.Add("A running non-enterprise account needs an owner and a backup.");
        }

        var display = normalized.Length > 0 ? proposed.Handle : handleText;
        if (errors.Count > 0)
        {
            return new(new ImportRow(line, "error", platformText, display, errors, warnings), ImportAction.Error, null, null);
        }

        seen[key] = line;
        if (!existing.TryGetValue(key, out var current))
        {
            return new(new ImportRow(line, "create", AccountNames.Key(platform), display, errors, warnings), ImportAction.Create, null, proposed);
        }

        if (statusText.Length > 0 && current.Status != status)
        {
            warnings.Add($"The registry has it as {AccountNames.Key(current.Status)}; an import does not change status.");
        }

        // A sheet fills in what it knows: a missing column or an empty cell keeps what the registry has,
        // so an audit listing only handles never erases owners recorded by hand.
        proposed.Url = Get("url").Length > 0 ? proposed.Url : current.Url;
        proposed.Kind = kindText.Length > 0 ? proposed.Kind : current.Kind;
        proposed.Department = proposed.Department.Length > 0 ? proposed.Department : current.Department;
        proposed.Owners = proposed.Owners.Length > 0 ? proposed.Owners : current.Owners;
        proposed.Backup = proposed.Backup.Length > 0 ? proposed.Backup : current.Backup;
        // The preview names each field it would change, so nobody imports a sheet to find out what it overwrites.
        var changes = new List<string>();
        void Compare(string field, string? before, string? after)
        {
            if ((before ?? "") != (after ?? ""))
            {
                changes.Add($"{field}: {Quoted(before)} → {Quoted(after)}");
            }
        }

        Compare("url", current.Url, proposed.Url);
        Compare("kind", AccountNames.Key(current.Kind), AccountNames.Key(proposed.Kind));
        Compare("department", current.Department, proposed.Department);
        Compare("owners", current.Owners, proposed.Owners);
        Compare("backup", current.Backup, proposed.Backup);
        var changed = changes.Count > 0;
        return new(
            new ImportRow(line, changed ? "update" : "unchanged", AccountNames.Key(platform), display, errors, warnings, changed ? changes : null),
            changed ? ImportAction.Update : ImportAction.Unchanged,
            current,
            proposed);
    }

    private static string Clip(string value, int max) => value.Length > max ? value[..max] : value;

    private static string Quoted(string? value) => string.IsNullOrEmpty(value) ? "(empty)" : $"“{value}”";
}
