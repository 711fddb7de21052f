using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>The same owners, department or status for many accounts; an empty value leaves that field as it is.</summary>
public sealed record BulkEdit(IReadOnlyList<Guid> Ids, string? Owners, string? Department, string? Status);

public sealed record FieldChange(string Field, string Before, string After);

/// <summary>One account of a bulk edit: what changes on it, and why it may not, if it may not.</summary>
public sealed record BulkChange(Guid Id, string Handle, Platform Platform, IReadOnlyList<FieldChange> Changes, string? Refusal);

public sealed record BulkResult(IReadOnlyList<BulkChange> Accounts, bool Applied)
{
    public bool Refused => Accounts.Any(a => a.Refusal is not null);
}

/// <summary>
/// Edits many registry accounts at once. Each account goes through the registry's own edit (its lifecycle rules,
/// its notifications, one audit entry per account), all in one transaction: either every account changes or none.
/// The preview is that same run rolled back, so what it says would change, or be refused, is what applying does.
/// </summary>
public sealed class BulkEditAccounts(RoundsDbContext db, AccountRegistry registry)
{
    /// <summary>More than a page of the registry list, where accounts are selected.</summary>
    public const int MaxAccounts = AccountRegistry.PageSize;

    public Task<Outcome<BulkResult>> PreviewAsync(OrgContext org, BulkEdit edit, CancellationToken cancellationToken = default) =>
        RunAsync(org, edit, apply: false, cancellationToken);

    public Task<Outcome<BulkResult>> ApplyAsync(OrgContext org, BulkEdit edit, CancellationToken cancellationToken = default) =>
        RunAsync(org, edit, apply: true, cancellationToken);

    private async Task<Outcome<BulkResult>> RunAsync(OrgContext org, BulkEdit edit, bool apply, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(AccountRegistry.EditRole))
        {
            return Outcome.Forbidden("Only account managers, reviewers and admins change accounts in the registry.");
        }

        var owners = Blank(edit.Owners);
        var department = Blank(edit.Department);
        var status = Blank(edit.Status);
        var ids = edit.Ids.Distinct().ToList();
        if (ids.Count == 0)
        {
            return Outcome.Invalid("Ids", "Select at least one account.");
        }

        if (ids.Count > MaxAccounts)
        {
            return Outcome.Invalid("Ids", $"Change at most {MaxAccounts} accounts at a time.");
        }

        if (owners is null && department is null && status is null)
        {
            return Outcome.Invalid("Changes", "Enter the owners, the department or the status to set.");
        }

        AccountStatus to = default;
        if (status is not null && !AccountNames.TryParse(status, out to))
        {
            return Outcome.Invalid("Status", "Choose a status: " + AccountNames.Choices<AccountStatus>() + ".");
        }

        if (owners?.Length > 1000 || department?.Length > 200)
        {
            return Outcome.Invalid(owners?.Length > 1000 ? "Owners" : "Department", "That is longer than an account's field holds.");
        }

        var accounts = await db.Set<SocialAccount>().AsNoTracking()
            .Where(a => a.OrganizationId == org.Id && ids.Contains(a.Id))
            .OrderBy(a => a.Platform).ThenBy(a => a.NormalizedHandle)
            .ToListAsync(cancellationToken);
        if (accounts.Count != ids.Count)
        {
            // An id of another organization's account is refused like one that does not exist, and so is the whole edit.
            return Outcome.Refused($"{ids.Count - accounts.Count} of the selected accounts are not in this registry; nothing was changed.");
        }

        var results = new List<BulkChange>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var account in accounts)
        {
            var changes = new List<FieldChange>();
            if (owners is not null && owners != account.Owners)
            {
                changes.Add(new("Owners", account.Owners, owners));
            }

            if (department is not null && department != account.Department)
            {
                changes.Add(new("Department", account.Department, department));
            }

            if (status is not null && to != account.Status)
            {
                changes.Add(new("Status", AccountNames.Label(account.Status), AccountNames.Label(to)));
            }

            string? refusal = null;
            if (changes.Count > 0)
            {
                var outcome = await registry.UpdateAsync(
                    org, account.Id, new AccountInput(Owners: owners, Department: department, Status: status, Note: "Changed with other accounts at once."), cancellationToken: cancellationToken);
                refusal = outcome.Succeeded ? null : outcome.Message ?? string.Join(" ", outcome.Errors.SelectMany(e => e.Value));
            }

            results.Add(new BulkChange(account.Id, account.Handle, account.Platform, changes, refusal));
        }

        var result = new BulkResult(results, Applied: apply && results.All(r => r.Refusal is null));
        if (result.Applied)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return new Outcome<BulkResult>(Outcome.Success, result);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
