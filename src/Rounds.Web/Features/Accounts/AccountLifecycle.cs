using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>
/// Who asks for a change: a member with a role, a member deciding an account request, or Rounds itself
/// (dormancy detection, a recorded post).
/// </summary>
public sealed record Actor(Role? Role, bool ByRequest = false)
{
    public static Actor System { get; } = new((Role?)null);

    public bool IsSystem => Role is null;

    public static Actor Person(Role role) => new(role);

    /// <summary>A member whose approval of an account request starts the trial.</summary>
    public static Actor Request(Role role) => new(role, ByRequest: true);
}

/// <summary>The facts about an account that some moves depend on.</summary>
public sealed record AccountFacts(AccountKind Kind, bool HasOwners, bool HasBackup, bool RetireChecklistComplete);

/// <summary>
/// The account state machine: which status may follow which, who may make the move, and what must be true.
/// Pure, so every legal and illegal move is tested without a database (docs/decisions/0006-account-and-request-state-machines.md).
/// </summary>
public static class AccountLifecycle
{
    private sealed record Move(AccountStatus From, AccountStatus To, Role MinimumRole, bool ByPeople = true, bool BySystem = false, bool ByRequestOnly = false);

    private static readonly Move[] Moves =
    [
        new(AccountStatus.Requested, AccountStatus.Consult, Role.AccountManager),
        new(AccountStatus.Consult, AccountStatus.Training, Role.AccountManager),
        new(AccountStatus.Training, AccountStatus.CommitteeReview, Role.AccountManager),
        new(AccountStatus.CommitteeReview, AccountStatus.Trial, Role.Reviewer),
        new(AccountStatus.Requested, AccountStatus.Retired, Role.AccountManager),
        new(AccountStatus.Consult, AccountStatus.Retired, Role.AccountManager),
        new(AccountStatus.Training, AccountStatus.Retired, Role.AccountManager),
        new(AccountStatus.CommitteeReview, AccountStatus.Retired, Role.Reviewer),

        // The end of a trial is the committee's decision.
        new(AccountStatus.Trial, AccountStatus.Active, Role.Reviewer),
        new(AccountStatus.Trial, AccountStatus.Retired, Role.Reviewer),

        // Dormancy is observed, never declared; a post seen again (or a manager vouching for it) revives it.
        new(AccountStatus.Active, AccountStatus.Dormant, Role.Admin, ByPeople: false, BySystem: true),
        new(AccountStatus.Dormant, AccountStatus.Active, Role.AccountManager, BySystem: true),
        new(AccountStatus.Active, AccountStatus.Retired, Role.AccountManager),
        new(AccountStatus.Dormant, AccountStatus.Retired, Role.AccountManager),

        // A rogue account found in an audit is either adopted (with owners) or shut down.
        new(AccountStatus.Unregistered, AccountStatus.Active, Role.AccountManager),
        new(AccountStatus.Unregistered, AccountStatus.Retired, Role.AccountManager),

        // Retired is final for everyday edits; only a newly approved account request brings the handle back,
        // and a rogue account found in an audit may be requested properly.
        new(AccountStatus.Retired, AccountStatus.Trial, Role.Reviewer, ByRequestOnly: true),
        new(AccountStatus.Unregistered, AccountStatus.Trial, Role.Reviewer, ByRequestOnly: true),
    ];

    /// <summary>The statuses an account may move to from <paramref name="from"/>, for offering only real choices.</summary>
    public static IReadOnlyList<AccountStatus> Next(AccountStatus from) => Moves.Where(m => m.From == from && !m.ByRequestOnly).Select(m => m.To).ToList();

    /// <summary>Null when the move is allowed; otherwise the reason it is refused, in words for the person who tried.</summary>
    public static string? Refusal(AccountStatus from, AccountStatus to, Actor actor, AccountFacts facts)
    {
        if (from == to)
        {
            return $"The account is already {AccountNames.Label(to).ToLowerInvariant()}.";
        }

        var move = Moves.FirstOrDefault(m => m.From == from && m.To == to && (actor.ByRequest || !m.ByRequestOnly));
        if (move is null)
        {
            var next = Next(from);
            return next.Count == 0
                ? $"A {AccountNames.Label(from).ToLowerInvariant()} account cannot change status."
                : $"A {AccountNames.Label(from).ToLowerInvariant()} account cannot become {AccountNames.Label(to).ToLowerInvariant()}; it can become {string.Join(" or ", next.Select(s => AccountNames.Label(s).ToLowerInvariant()))}.";
        }

        if (actor.IsSystem ? !move.BySystem : !move.ByPeople)
        {
            return actor.IsSystem
                ? "This change needs a person's decision."
                : $"Accounts become {AccountNames.Label(to).ToLowerInvariant()} on their own when no post is seen for the organization's dormancy period.";
        }

        // A request is decided by its committee, whose members the organization chose whatever their role.
        if (!actor.ByRequest && actor.Role is { } role && role < move.MinimumRole)
        {
            return $"Only {Roles.Label(move.MinimumRole).ToLowerInvariant()}s and above may make a {AccountNames.Label(from).ToLowerInvariant()} account {AccountNames.Label(to).ToLowerInvariant()}; you are {Roles.Label(role).ToLowerInvariant()}.";
        }

        if (to is AccountStatus.Active or AccountStatus.Trial && facts.Kind != AccountKind.Enterprise && (!facts.HasOwners || !facts.HasBackup))
        {
            return "A non-enterprise account needs at least one owner and a backup before it can run.";
        }

        if (to == AccountStatus.Retired && !facts.RetireChecklistComplete)
        {
            return "Before retiring, confirm the checklist: content archived, stored credentials removed, handle handed over.";
        }

        return null;
    }
}
