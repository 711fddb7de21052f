using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// The accounts a filter (the posts list, the calendar) lists, and whether there were more than it shows. A
/// health system's registry runs to thousands of accounts: listing every one made each page grow with it, so a
/// filter lists at most <see cref="Limit"/> and finds the others by a few letters of the handle.
/// </summary>
public sealed record AccountChoices(IReadOnlyList<AccountCard> Accounts, bool More)
{
    public const int Limit = 50;

    /// <summary>The longest text the account search takes; handles are shorter.</summary>
    public const int SearchLength = 100;

    public static readonly AccountChoices None = new([], false);

    /// <summary>
    /// The organization's accounts whose handle contains <paramref name="find"/> (all of them without it), in
    /// network and handle order, at most <see cref="Limit"/>, plus the chosen one if the list left it out.
    /// </summary>
    public static async Task<AccountChoices> ReadAsync(
        RoundsDbContext db, OrgContext org, string? find, Guid? chosen, bool withRetired, CancellationToken cancellationToken)
    {
        var accounts = db.AccountCards().Where(a => a.OrganizationId == org.Id);
        if (!withRetired)
        {
            accounts = accounts.Where(a => a.Status != AccountStatus.Retired);
        }

        var query = accounts;
        if (Search(find) is { } needle)
        {
            query = query.Where(a => a.NormalizedHandle.Contains(needle));
        }

        var read = await query.OrderBy(a => a.Platform).ThenBy(a => a.NormalizedHandle).Take(Limit + 1).ToListAsync(cancellationToken);
        var shown = read.Take(Limit).ToList();
        if (chosen is { } id && shown.All(a => a.Id != id) && await accounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } kept)
        {
            shown.Insert(0, kept);
        }

        return new AccountChoices(shown, read.Count > Limit);
    }

    /// <summary>What the search looks for: the handle as stored (lower case, no leading @), or null for nothing.</summary>
    public static string? Search(string? find)
    {
        var text = find?.Trim().TrimStart('@').Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(text) ? null : text.Length > SearchLength ? text[..SearchLength] : text;
    }

    /// <summary>The sentence under the filter: what the list holds, and how to reach the accounts it leaves out.</summary>
    public string Hint(string? find) =>
        Search(find) is { } needle
            ? Accounts.Count == 0 ? $"No account's handle contains “{needle}”."
                : More ? $"The list shows the first {Limit} accounts whose handle contains “{needle}”; type more of the handle to narrow it."
                : $"The list shows the accounts whose handle contains “{needle}”."
            : More ? $"The list shows the first {Limit} accounts; type part of a handle and filter to find the others."
            : "Type part of a handle to shorten the list.";
}
