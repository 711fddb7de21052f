using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>Which accounts to list; <see cref="Search"/> looks in the handle, web address, owners, backup and department.</summary>
public sealed record AccountFilter(Platform? Platform = null, AccountKind? Kind = null, AccountStatus? Status = null, string? Department = null, string? Owner = null, string? Search = null);

/// <summary>The registry's sortable columns. Every order ends in (platform, handle), the registry's unique key, so it is total.</summary>
public enum AccountSort
{
    Account,
    Department,
    Owners,
    Status,
}

public sealed record AccountOrder(AccountSort Sort = AccountSort.Account, bool Descending = false)
{
    public static AccountOrder Default { get; } = new();

    /// <summary>The query-string spelling: <c>department</c>, <c>-department</c> for descending.</summary>
    public override string ToString() => (Descending ? "-" : "") + Sort.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out AccountOrder order)
    {
        order = Default;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var descending = text.StartsWith('-');
        var name = descending ? text[1..] : text;
        if (name.Length == 0 || !name.All(char.IsAsciiLetterLower) || !Enum.TryParse<AccountSort>(name, ignoreCase: true, out var sort))
        {
            return false;
        }

        order = new AccountOrder(sort, descending);
        return true;
    }
}

/// <summary>What a person may set on an account; null leaves a field as it is.</summary>
/// <summary>A page of the registry, where the next starts (null on the last), and how many accounts match in all.</summary>
public sealed record AccountList(List<SocialAccount> Items, AccountCursor? Next, int Total);

/// <summary>
/// Where a page of the registry starts: after this account, named by the registry's unique key (platform, handle)
/// and, when sorted by another column, that column's value (<see cref="Key"/>) as well.
/// </summary>
public sealed record AccountCursor(Platform Platform, string Handle, string? Key = null)
{
    // The handle and key are escaped, so the separators cannot occur inside them.
    public override string ToString() =>
        $"{AccountNames.Key(Platform)}.{Uri.EscapeDataString(Handle)}" + (Key is null ? "" : "/" + Uri.EscapeDataString(Key));

    /// <summary>Reads a cursor as the registry handed it out for this order; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out AccountCursor? cursor) => TryParse(text, AccountOrder.Default, out cursor);

    public static bool TryParse(string? text, AccountOrder order, out AccountCursor? cursor)
    {
        cursor = null;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || !AccountNames.TryParse<Platform>(text![..dot], out var platform) || dot == text.Length - 1)
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var keyed = order.Sort != AccountSort.Account;
        if (keyed != slash >= 0 || slash == dot + 1)
        {
            return false;
        }

        var handle = Uri.UnescapeDataString(keyed ? text[(dot + 1)..slash] : text[(dot + 1)..]);
        var key = keyed ? Uri.UnescapeDataString(text[(slash + 1)..]) : null;
        if (order.Sort == AccountSort.Status && !AccountNames.TryParse<AccountStatus>(key, out _))
        {
            return false;
        }

        cursor = new AccountCursor(platform, handle, key);
        return true;
    }
}

public sealed record AccountInput(
    string? Platform = null,
    string? Handle = null,
    string? Url = null,
    string? Kind = null,
    string? Department = null,
    string? Owners = null,
    string? Backup = null,
    string? Status = null,
    string? Note = null);

/// <summary>The retire checklist; all three must be confirmed before an account is retired.</summary>
public sealed record RetireChecklist(bool ContentArchived, bool CredentialsRemoved, bool HandleHandedOver)
{
    public bool Complete => ContentArchived && CredentialsRemoved && HandleHandedOver;
}

public sealed record AccountDetail(SocialAccount Account, IReadOnlyList<AccountHistoryEntry> History, IReadOnlyList<AccountPost> Posts);

/// <summary>The registry's use cases: list, look up, register, edit, move through the lifecycle, record posts.</summary>
public sealed class AccountRegistry(
    RoundsDbContext db, IAuditLog audit, ICurrentActor actor, INotifier notifier, AccountPolicies policies, TimeZones zones, TimeProvider clock, IEnumerable<IAccountRetirementListener> retirementListeners)
    : IAccountDirectory
{
    public const Role EditRole = Role.AccountManager;

    /// <summary>A page of the registry: a health system with its departments' and physicians' accounts has thousands.</summary>
    public const int PageSize = 100;

    /// <summary>Longer than any handle, address, owner list or department name a search could usefully match.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>
    /// A page of the registry in the given order after <paramref name="after"/>, with how many accounts match the
    /// filter in all. Pages are read by key, not by offset, so accounts added or changed between pages neither
    /// repeat nor push others out of sight: every order ends in the unique (platform, handle).
    /// </summary>
    public async Task<AccountList> PageAsync(OrgContext org, AccountFilter filter, AccountCursor? after, CancellationToken cancellationToken = default) =>
        await PageAsync(org, filter, AccountOrder.Default, after, cancellationToken);

    public async Task<AccountList> PageAsync(OrgContext org, AccountFilter filter, AccountOrder order, AccountCursor? after, CancellationToken cancellationToken = default)
    {
        var query = Filtered(org, filter);
        var total = await query.CountAsync(cancellationToken);
        if (after is { } cursor)
        {
            query = query.Where(After(order, cursor));
        }

        var accounts = await Ordered(query, order).Take(PageSize + 1).ToListAsync(cancellationToken);
        var next = accounts.Count > PageSize ? CursorOf(accounts[PageSize - 1], order) : null;
        return new AccountList(accounts.Take(PageSize).ToList(), next, total);
    }

    private static AccountCursor CursorOf(SocialAccount a, AccountOrder order) => new(a.Platform, a.NormalizedHandle, order.Sort switch
    {
        AccountSort.Account => null,
        AccountSort.Department => a.Department,
        AccountSort.Owners => a.Owners,
        AccountSort.Status => AccountNames.Key(a.Status),
    });

    private static IQueryable<SocialAccount> Ordered(IQueryable<SocialAccount> query, AccountOrder order) => (order.Sort, order.Descending) switch
    {
        (AccountSort.Account, false) => query.OrderBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
        (AccountSort.Account, true) => query.OrderByDescending(a => a.Platform).ThenByDescending(a => a.NormalizedHandle),
        (AccountSort.Department, false) => query.OrderBy(a => a.Department).ThenBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
        (AccountSort.Department, true) => query.OrderByDescending(a => a.Department).ThenBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
        (AccountSort.Owners, false) => query.OrderBy(a => a.Owners).ThenBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
        (AccountSort.Owners, true) => query.OrderByDescending(a => a.Owners).ThenBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
        (AccountSort.Status, false) => query.OrderBy(a => a.Status).ThenBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
        (AccountSort.Status, true) => query.OrderByDescending(a => a.Status).ThenBy(a => a.Platform).ThenBy(a => a.NormalizedHandle),
    };

    /// <summary>
    /// The accounts after the cursor in the same order as <see cref="Ordered"/>: the database compares the values
    /// as it sorts them (its collation for text, the stored names for statuses), so the two always agree.
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<SocialAccount, bool>> After(AccountOrder order, AccountCursor cursor)
    {
        var platform = cursor.Platform;
        var handle = cursor.Handle;
        var key = cursor.Key ?? "";
        AccountNames.TryParse<AccountStatus>(key, out var status);
        return (order.Sort, order.Descending) switch
        {
            (AccountSort.Account, false) => a => a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0),
            (AccountSort.Account, true) => a => a.Platform < platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) < 0),
            (AccountSort.Department, false) => a => string.Compare(a.Department, key) > 0
                || (a.Department == key && (a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0))),
            (AccountSort.Department, true) => a => string.Compare(a.Department, key) < 0
                || (a.Department == key && (a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0))),
            (AccountSort.Owners, false) => a => string.Compare(a.Owners, key) > 0
                || (a.Owners == key && (a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0))),
            (AccountSort.Owners, true) => a => string.Compare(a.Owners, key) < 0
                || (a.Owners == key && (a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0))),
            (AccountSort.Status, false) => a => a.Status > status
                || (a.Status == status && (a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0))),
            (AccountSort.Status, true) => a => a.Status < status
                || (a.Status == status && (a.Platform > platform || (a.Platform == platform && string.Compare(a.NormalizedHandle, handle) > 0))),
        };
    }

    /// <summary>Every account that matches, for the export, which is the whole registry by design.</summary>
    public Task<List<SocialAccount>> ListAsync(OrgContext org, AccountFilter filter, CancellationToken cancellationToken = default) =>
        Filtered(org, filter).OrderBy(a => a.Platform).ThenBy(a => a.NormalizedHandle).ToListAsync(cancellationToken);

    private IQueryable<SocialAccount> Filtered(OrgContext org, AccountFilter filter)
    {
        var query = db.Set<SocialAccount>().Where(a => a.OrganizationId == org.Id);
        if (filter.Platform is { } platform)
        {
            query = query.Where(a => a.Platform == platform);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(a => a.Kind == kind);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(a => a.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(filter.Department))
        {
            query = query.Where(a => a.Department == filter.Department.Trim());
        }

        if (!string.IsNullOrWhiteSpace(filter.Owner))
        {
            var owner = filter.Owner.Trim().ToLowerInvariant();
            query = query.Where(a => a.Owners.ToLower().Contains(owner) || a.Backup.ToLower().Contains(owner));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // The handle is compared without its @ and in lower case, as it is stored for the unique key.
            var text = filter.Search.Trim().ToLowerInvariant();
            var handle = text.TrimStart('@');
            query = query.Where(a => a.NormalizedHandle.Contains(handle) || (a.Url != null && a.Url.ToLower().Contains(text))
                || a.Owners.ToLower().Contains(text) || a.Backup.ToLower().Contains(text) || a.Department.ToLower().Contains(text));
        }

        return query;
    }

    public Task<List<string>> DepartmentsAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        db.Set<SocialAccount>().Where(a => a.OrganizationId == org.Id && a.Department != "").Select(a => a.Department).Distinct().OrderBy(d => d).ToListAsync(cancellationToken);

    public async Task<AccountDetail?> GetAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var account = await db.Set<SocialAccount>().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return null;
        }

        var history = await db.Set<AccountHistoryEntry>().Where(e => e.AccountId == id).OrderByDescending(e => e.At).ToListAsync(cancellationToken);
        var posts = await db.Set<AccountPost>().Where(p => p.AccountId == id).OrderByDescending(p => p.PostedAt).Take(500).ToListAsync(cancellationToken);
        return new AccountDetail(account, history, posts);
    }

    public async Task<Outcome<SocialAccount>> CreateAsync(OrgContext org, AccountInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only account managers, reviewers and admins add accounts to the registry.");
        }

        if (!AccountNames.TryParse<Platform>(input.Platform, out var platform))
        {
            return Outcome.Invalid("Platform", "Choose a platform: " + AccountNames.Choices<Platform>() + ".");
        }

        if (Handles.Problem(platform, input.Handle) is { } handleProblem)
        {
            return Outcome.Invalid("Handle", handleProblem);
        }

        var normalized = Handles.Normalize(platform, input.Handle);
        if (TextRules.LinkProblem(input.Url) is { } urlProblem)
        {
            return Outcome.Invalid("Url", urlProblem);
        }

        if (!AccountNames.TryParse<AccountKind>(input.Kind, out var kind))
        {
            return Outcome.Invalid("Kind", "Choose a kind: " + AccountNames.Choices<AccountKind>() + ".");
        }

        var status = AccountStatus.Active;
        if (!string.IsNullOrWhiteSpace(input.Status) && !AccountNames.TryParse(input.Status, out status))
        {
            return Outcome.Invalid("Status", "Choose a status: " + AccountNames.Choices<AccountStatus>() + ".");
        }

        if (await db.Set<SocialAccount>().AnyAsync(a => a.OrganizationId == org.Id && a.Platform == platform && a.NormalizedHandle == normalized, cancellationToken))
        {
            return Outcome.Invalid("Handle", $"{Handles.Display(platform, input.Handle)} on {AccountNames.Label(platform)} is already in the registry.");
        }

        var now = clock.GetUtcNow();
        var account = new SocialAccount
        {
            OrganizationId = org.Id,
            Platform = platform,
            Handle = Handles.Display(platform, input.Handle),
            NormalizedHandle = normalized,
            Url = Trimmed(input.Url, 500),
            Kind = kind,
            Department = Trimmed(input.Department, 200) ?? "",
            Owners = Trimmed(input.Owners, 1000) ?? "",
            Backup = Trimmed(input.Backup, 300) ?? "",
            Status = status,
            CreatedAt = now,
            StatusChangedAt = now,
        };
        if (status is AccountStatus.Active or AccountStatus.Trial && MissingPeople(account))
        {
            return Outcome.Invalid("Owners", "A non-enterprise account needs at least one owner and a backup.");
        }

        db.Add(account);
        db.Add(new AccountHistoryEntry { OrganizationId = org.Id, AccountId = account.Id, At = now, ActorName = actor.Name, To = status, Note = Trimmed(input.Note, 2000) ?? "Added to the registry." });
        audit.Record(org.Id, "account.created", "SocialAccount", account.Id.ToString(), after: Snapshot(account));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<SocialAccount>(Outcome.Success, account);
    }

    /// <summary>Edits fields and, when a status is given, moves the account through the lifecycle in the same step.</summary>
    public async Task<Outcome> UpdateAsync(OrgContext org, Guid id, AccountInput input, RetireChecklist? checklist = null, CancellationToken cancellationToken = default)
    {
        var account = await db.Set<SocialAccount>().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only account managers, reviewers and admins change accounts in the registry.");
        }

        var before = Snapshot(account);
        if (input.Handle is not null || input.Platform is not null)
        {
            var platform = account.Platform;
            if (input.Platform is not null && !AccountNames.TryParse(input.Platform, out platform))
            {
                return Outcome.Invalid("Platform", "Choose a platform: " + AccountNames.Choices<Platform>() + ".");
            }

            if (Handles.Problem(platform, input.Handle ?? account.Handle) is { } handleProblem)
            {
                return Outcome.Invalid("Handle", handleProblem);
            }

            var normalized = Handles.Normalize(platform, input.Handle ?? account.Handle);

            if (await db.Set<SocialAccount>().AnyAsync(a => a.OrganizationId == org.Id && a.Id != id && a.Platform == platform && a.NormalizedHandle == normalized, cancellationToken))
            {
                return Outcome.Invalid("Handle", "Another account in the registry has that handle.");
            }

            account.Platform = platform;
            account.NormalizedHandle = normalized;
            account.Handle = Handles.Display(platform, input.Handle ?? account.Handle);
        }

        if (input.Kind is not null)
        {
            if (!AccountNames.TryParse<AccountKind>(input.Kind, out var kind))
            {
                return Outcome.Invalid("Kind", "Choose a kind: " + AccountNames.Choices<AccountKind>() + ".");
            }

            account.Kind = kind;
        }

        if (TextRules.LinkProblem(input.Url) is { } urlProblem)
        {
            return Outcome.Invalid("Url", urlProblem);
        }

        account.Url = input.Url is null ? account.Url : Trimmed(input.Url, 500);
        account.Department = input.Department is null ? account.Department : Trimmed(input.Department, 200) ?? "";
        account.Owners = input.Owners is null ? account.Owners : Trimmed(input.Owners, 1000) ?? "";
        account.Backup = input.Backup is null ? account.Backup : Trimmed(input.Backup, 300) ?? "";
        if (checklist is not null)
        {
            account.RetireContentArchived = checklist.ContentArchived;
            account.RetireCredentialsRemoved = checklist.CredentialsRemoved;
            account.RetireHandleHandedOver = checklist.HandleHandedOver;
        }

        if (!string.IsNullOrWhiteSpace(input.Status))
        {
            if (!AccountNames.TryParse<AccountStatus>(input.Status, out var to))
            {
                return Outcome.Invalid("Status", "Choose a status: " + AccountNames.Choices<AccountStatus>() + ".");
            }

            if (to != account.Status)
            {
                var refusal = AccountLifecycle.Refusal(account.Status, to, Actor.Person(org.Role), Facts(account));
                if (refusal is not null)
                {
                    // Nothing of this call is kept: the edit and the move stand or fall together.
                    db.ChangeTracker.Clear();
                    return Outcome.Refused(refusal);
                }

                await MoveAsync(org.Id, account, to, input.Note ?? "", cancellationToken);
            }
        }
        else if (MissingPeople(account) && account.Status is AccountStatus.Active or AccountStatus.Trial)
        {
            db.ChangeTracker.Clear();
            return Outcome.Invalid("Owners", "A running non-enterprise account needs at least one owner and a backup.");
        }

        audit.Record(org.Id, "account.updated", "SocialAccount", account.Id.ToString(), before, Snapshot(account));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Retiring cancels the account's waiting copies; the publisher claimed one of them meanwhile, and a copy
            // on its way cannot be cancelled under it. Nothing was saved.
            db.ChangeTracker.Clear();
            return Outcome.Refused("A post of this account started sending just now; nothing was changed. Try again in a minute.");
        }

        return Outcome.Success;
    }

    /// <summary>Extends a trial; the committee's alternative to activating or retiring at its end.</summary>
    public async Task<Outcome> ExtendTrialAsync(OrgContext org, Guid id, DateOnly? newEnd, string? note, CancellationToken cancellationToken = default)
    {
        var account = await db.Set<SocialAccount>().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Refused("Only the committee (reviewers and admins) extends a trial.");
        }

        if (account.Status != AccountStatus.Trial)
        {
            return Outcome.Refused($"Only an account in trial can have its trial extended; this one is {AccountNames.Label(account.Status).ToLowerInvariant()}.");
        }

        var end = newEnd ?? account.TrialEnd?.AddMonths(1) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(1);
        if (account.TrialEnd is { } current && end <= current)
        {
            return Outcome.Invalid("TrialEnd", "The new end must be after the current one.");
        }

        var before = new { account.TrialEnd };
        account.TrialEnd = end;
        db.Add(new AccountHistoryEntry { OrganizationId = org.Id, AccountId = account.Id, At = clock.GetUtcNow(), ActorName = actor.Name, Note = $"Trial extended to {end:yyyy-MM-dd}. {note}".Trim() });
        audit.Record(org.Id, "account.trial_extended", "SocialAccount", account.Id.ToString(), before, new { account.TrialEnd, note });
        await NotifyPeopleAsync(org.Id, account, $"account-extended:{account.Id}:{end:yyyyMMdd}", $"The trial of {account.Handle} is extended to {end:yyyy-MM-dd}.", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Records a post seen on the network; a dormant account that posts again is active again.</summary>
    public async Task<Outcome> RecordPostAsync(OrgContext org, Guid id, string? externalId, DateTimeOffset? postedAt, CancellationToken cancellationToken = default)
    {
        var account = await db.Set<SocialAccount>().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only account managers, reviewers and admins record activity.");
        }

        externalId = (externalId ?? "").Trim();
        if (externalId.Length is 0 or > 500)
        {
            return Outcome.Invalid("ExternalId", "Give the post's id or address on the network.");
        }

        var now = clock.GetUtcNow();
        var at = (postedAt ?? now).ToUniversalTime();
        if (at > now.AddMinutes(5))
        {
            return Outcome.Invalid("PostedAt", "A post cannot be dated in the future.");
        }

        await AddPostAsync(account, externalId, at, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public IQueryable<AccountCard> Cards => db.AccountCards();

    public Task<AccountCard?> FindAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default) =>
        Cards.Where(a => a.Id == accountId && a.OrganizationId == organizationId).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<AccountCard>> FindManyAsync(Guid organizationId, IEnumerable<Guid> accountIds, CancellationToken cancellationToken = default)
    {
        var ids = accountIds.Distinct().ToList();
        return await Cards.Where(a => a.OrganizationId == organizationId && ids.Contains(a.Id)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AccountCard>> ListAsync(Guid organizationId, bool includeRetired = false, CancellationToken cancellationToken = default) =>
        await Cards.Where(a => a.OrganizationId == organizationId && (includeRetired || a.Status != AccountStatus.Retired))
            .OrderBy(a => a.Platform).ThenBy(a => a.NormalizedHandle).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> CommitteeAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await policies.CommitteeAsync(organizationId, cancellationToken);

    public async Task<Quorum> CommitteeQuorumAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        (await policies.GetAsync(organizationId, cancellationToken)).Quorum;

    public async Task<int> CommitteeMinimumApproversAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        (await policies.GetAsync(organizationId, cancellationToken)).MinimumApprovers;

    public async Task<Outcome<AccountCard>> StartTrialAsync(OrgContext org, StartTrial command, CancellationToken cancellationToken = default)
    {
        var normalized = Handles.Normalize(command.Platform, command.Handle);
        var account = await db.Set<SocialAccount>().FirstOrDefaultAsync(a => a.OrganizationId == org.Id && a.Platform == command.Platform && a.NormalizedHandle == normalized, cancellationToken);
        if (account is not null && account.Status is not (AccountStatus.Retired or AccountStatus.Unregistered))
        {
            return Outcome.Refused($"{account.Handle} is already in the registry as {AccountNames.Label(account.Status).ToLowerInvariant()}; choose another handle.");
        }

        // A new account has been through the request's committee review; a known one comes back by request.
        var facts = new AccountFacts(command.Kind, !string.IsNullOrWhiteSpace(command.OwnerEmail), !string.IsNullOrWhiteSpace(command.BackupEmail), RetireChecklistComplete: false);
        var refusal = AccountLifecycle.Refusal(account?.Status ?? AccountStatus.CommitteeReview, AccountStatus.Trial, Actor.Request(org.Role), facts);
        if (refusal is not null)
        {
            return Outcome.Refused(refusal);
        }

        var now = clock.GetUtcNow();
        // A trial's days are the organization's days, whoever opens it.
        var today = zones.For(null, org.Organization.TimeZone).Today(clock);
        var before = account is null ? null : Snapshot(account);
        if (account is null)
        {
            account = new SocialAccount { OrganizationId = org.Id, Platform = command.Platform, NormalizedHandle = normalized, CreatedAt = now };
            db.Add(account);
        }

        account.Handle = Handles.Display(command.Platform, command.Handle);
        account.Kind = command.Kind;
        account.Department = command.Department;
        account.Owners = command.OwnerEmail ?? "";
        account.Backup = command.BackupEmail ?? "";
        account.RequestId = command.RequestId;
        account.TrialStart = today;
        account.TrialEnd = today.AddMonths(3);
        account.TargetPostsPerWeekMin = 3;
        account.TargetPostsPerWeekMax = 5;
        account.RetireContentArchived = account.RetireCredentialsRemoved = account.RetireHandleHandedOver = false;
        await MoveAsync(org.Id, account, AccountStatus.Trial, $"Request approved; trial until {account.TrialEnd:yyyy-MM-dd}.", cancellationToken);
        audit.Record(org.Id, "account.trial_started", "SocialAccount", account.Id.ToString(), before, Snapshot(account));
        return new Outcome<AccountCard>(Outcome.Success, Card(account));
    }

    private static readonly Func<SocialAccount, AccountCard> Card = AccountQueries.ToCard.Compile();

    public async Task<Outcome<AccountCard>> AddFoundAsync(OrgContext org, Platform platform, string handle, string note, CancellationToken cancellationToken = default)
    {
        var created = await CreateAsync(org, new AccountInput(AccountNames.Key(platform), handle, Kind: nameof(AccountKind.Department), Status: nameof(AccountStatus.Unregistered), Note: note), cancellationToken);
        return created.Succeeded ? new Outcome<AccountCard>(Outcome.Success, Card(created.Value!)) : new Outcome<AccountCard>(created.Status, null);
    }

    public async Task<IReadOnlyList<string>> PeopleOfAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default)
    {
        var account = await db.Set<SocialAccount>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId && a.OrganizationId == organizationId, cancellationToken);
        return account is null ? [] : await PeopleOfAsync(organizationId, account, cancellationToken);
    }

    public async Task AddPublishedPostAsync(Guid organizationId, Guid accountId, string externalId, DateTimeOffset postedAt, CancellationToken cancellationToken = default)
    {
        var account = await db.Set<SocialAccount>().FirstAsync(a => a.Id == accountId && a.OrganizationId == organizationId, cancellationToken);
        await AddPostAsync(account, externalId, postedAt.ToUniversalTime(), cancellationToken);
    }

    public async Task AddPublishedPostsAsync(Guid organizationId, IReadOnlyCollection<PublishedByRounds> posts, CancellationToken cancellationToken = default)
    {
        var accountIds = posts.Select(p => p.AccountId).Distinct().ToList();
        var externalIds = posts.Select(p => p.ExternalId).Distinct().ToList();
        var owned = await db.Set<SocialAccount>().Where(a => a.OrganizationId == organizationId && accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var counted = (await db.Set<AccountPost>().Where(p => accountIds.Contains(p.AccountId) && externalIds.Contains(p.ExternalId))
            .Select(p => new { p.AccountId, p.ExternalId }).ToListAsync(cancellationToken))
            .Select(p => (p.AccountId, p.ExternalId)).ToHashSet();
        foreach (var post in posts)
        {
            // Each post once, whether counted before or earlier in this batch.
            if (owned.TryGetValue(post.AccountId, out var account) && counted.Add((post.AccountId, post.ExternalId)))
            {
                await CountPostAsync(account, post.ExternalId, post.PostedAt.ToUniversalTime(), cancellationToken);
            }
        }
    }

    /// <summary>Counts the post once, moves the last post forward, and revives a dormant account; the caller saves.</summary>
    private async Task AddPostAsync(SocialAccount account, string externalId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await db.Set<AccountPost>().AnyAsync(p => p.AccountId == account.Id && p.ExternalId == externalId, cancellationToken))
        {
            return;
        }

        await CountPostAsync(account, externalId, at, cancellationToken);
    }

    private async Task CountPostAsync(SocialAccount account, string externalId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        db.Add(new AccountPost { OrganizationId = account.OrganizationId, AccountId = account.Id, ExternalId = externalId, PostedAt = at, RecordedAt = clock.GetUtcNow() });
        if (account.LastPostAt is null || at > account.LastPostAt)
        {
            account.LastPostAt = at;
        }

        if (account.Status == AccountStatus.Dormant && AccountLifecycle.Refusal(AccountStatus.Dormant, AccountStatus.Active, Actor.System, Facts(account)) is null)
        {
            await MoveAsync(account.OrganizationId, account, AccountStatus.Active, "A new post was seen.", cancellationToken);
            audit.Record(account.OrganizationId, "account.revived", "SocialAccount", account.Id.ToString(), new { Status = "dormant" }, new { Status = "active" });
        }
    }

    /// <summary>Changes the status, writes the history line and tells the owners and the communications team.</summary>
    internal async Task MoveAsync(Guid organizationId, SocialAccount account, AccountStatus to, string note, CancellationToken cancellationToken)
    {
        // A new account had no status before this move; its history starts here.
        AccountStatus? from = db.Entry(account).State == EntityState.Added ? null : account.Status;
        var now = clock.GetUtcNow();
        account.Status = to;
        account.StatusChangedAt = now;
        if (to == AccountStatus.Dormant)
        {
            account.DormancyEscalatedAt = null;
        }

        var change = new AccountHistoryEntry { OrganizationId = organizationId, AccountId = account.Id, At = now, ActorName = actor.Name, From = from, To = to, Note = note.Trim() };
        db.Add(change);
        await NotifyPeopleAsync(organizationId, account, $"account:{account.Id}:{change.Id}", $"{account.Handle} ({AccountNames.Label(account.Platform)}) is now {AccountNames.Label(to).ToLowerInvariant()}.", cancellationToken);
        if (to == AccountStatus.Retired && from is not null)
        {
            // A retired account speaks for the organization no more: what was planned for it stops in this same commit.
            foreach (var listener in retirementListeners)
            {
                await listener.AccountRetiredAsync(Card(account), cancellationToken);
            }
        }
    }

    private async Task NotifyPeopleAsync(Guid organizationId, SocialAccount account, string eventKey, string title, CancellationToken cancellationToken)
    {
        var people = await PeopleOfAsync(organizationId, account, cancellationToken);
        people.AddRange(await notifier.MembersAtLeastAsync(organizationId, Role.AccountManager, cancellationToken));
        var slug = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        await notifier.NotifyAsync(organizationId, people.Where(p => p != actor.UserId), eventKey, title, $"/o/{slug}/accounts/{account.Id}", cancellationToken);
    }

    /// <summary>The owners and backup who are members of the organization (an audit may name people without a login).</summary>
    internal async Task<List<string>> PeopleOfAsync(Guid organizationId, SocialAccount account, CancellationToken cancellationToken)
    {
        var emails = account.OwnerList.Concat(PeopleLists.Split(account.Backup)).Select(e => e.ToUpperInvariant()).ToList();
        return await (from u in db.People()
                      join m in db.OrganizationMembers on u.Id equals m.UserId
                      where m.OrganizationId == organizationId && emails.Contains(u.NormalizedEmail!)
                      select u.Id).ToListAsync(cancellationToken);
    }

    public static AccountFacts Facts(SocialAccount account) => new(
        account.Kind,
        account.OwnerList.Any(),
        PeopleLists.Split(account.Backup).Any(),
        account.RetireContentArchived && account.RetireCredentialsRemoved && account.RetireHandleHandedOver);

    private static bool MissingPeople(SocialAccount account) =>
        account.Kind != AccountKind.Enterprise && (!account.OwnerList.Any() || !PeopleLists.Split(account.Backup).Any());

    private static string? Trimmed(string? text, int max)
    {
        var value = text?.Trim();
        return string.IsNullOrEmpty(value) ? null : value.Length > max ? value[..max] : value;
    }

    internal static object Snapshot(SocialAccount a) => new
    {
        Platform = AccountNames.Key(a.Platform),
        a.Handle,
        a.Url,
        Kind = AccountNames.Key(a.Kind),
        a.Department,
        a.Owners,
        a.Backup,
        Status = AccountNames.Key(a.Status),
    };
}
