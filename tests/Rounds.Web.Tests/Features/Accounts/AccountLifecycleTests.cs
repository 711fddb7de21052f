using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Tests.Features.Accounts;

public sealed class AccountLifecycleTests
{
    private static readonly AccountFacts Ready = new(AccountKind.Department, HasOwners: true, HasBackup: true, RetireChecklistComplete: true);

    /// <summary>Every legal move with the least role that may make it; everything else must be refused.</summary>
    public static readonly (AccountStatus From, AccountStatus To, Role? Least)[] Legal =
    [
        (AccountStatus.Requested, AccountStatus.Consult, Role.AccountManager),
        (AccountStatus.Consult, AccountStatus.Training, Role.AccountManager),
        (AccountStatus.Training, AccountStatus.CommitteeReview, Role.AccountManager),
        (AccountStatus.CommitteeReview, AccountStatus.Trial, Role.Reviewer),
        (AccountStatus.Requested, AccountStatus.Retired, Role.AccountManager),
        (AccountStatus.Consult, AccountStatus.Retired, Role.AccountManager),
        (AccountStatus.Training, AccountStatus.Retired, Role.AccountManager),
        (AccountStatus.CommitteeReview, AccountStatus.Retired, Role.Reviewer),
        (AccountStatus.Trial, AccountStatus.Active, Role.Reviewer),
        (AccountStatus.Trial, AccountStatus.Retired, Role.Reviewer),
        (AccountStatus.Active, AccountStatus.Dormant, null),
        (AccountStatus.Dormant, AccountStatus.Active, Role.AccountManager),
        (AccountStatus.Active, AccountStatus.Retired, Role.AccountManager),
        (AccountStatus.Dormant, AccountStatus.Retired, Role.AccountManager),
        (AccountStatus.Unregistered, AccountStatus.Active, Role.AccountManager),
        (AccountStatus.Unregistered, AccountStatus.Retired, Role.AccountManager),
    ];

    public static TheoryData<AccountStatus, AccountStatus> AllPairs()
    {
        var data = new TheoryData<AccountStatus, AccountStatus>();
        foreach (var from in Enum.GetValues<AccountStatus>())
        {
            foreach (var to in Enum.GetValues<AccountStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_pair_is_allowed_exactly_to_the_roles_the_table_names(AccountStatus from, AccountStatus to)
    {
        var legal = Legal.Where(m => m.From == from && m.To == to).ToList();
        foreach (var role in Enum.GetValues<Role>())
        {
            var refusal = AccountLifecycle.Refusal(from, to, Actor.Person(role), Ready);
            var allowed = legal.Any(m => m.Least is { } least && role >= least);
            Assert.True(allowed == (refusal is null), $"{from} → {to} as {role}: {refusal ?? "allowed"}");
            if (refusal is not null)
            {
                Assert.False(string.IsNullOrWhiteSpace(refusal));
            }
        }

        var bySystem = AccountLifecycle.Refusal(from, to, Actor.System, Ready);
        var systemMay = (from, to) is (AccountStatus.Active, AccountStatus.Dormant) or (AccountStatus.Dormant, AccountStatus.Active);
        Assert.True(systemMay == (bySystem is null), $"{from} → {to} by the system: {bySystem ?? "allowed"}");
    }

    [Fact]
    public void Illegal_moves_say_what_is_possible_instead()
    {
        Assert.Equal("A retired account cannot change status.", AccountLifecycle.Refusal(AccountStatus.Retired, AccountStatus.Active, Actor.Person(Role.Admin), Ready));
        Assert.Contains("can become active or retired", AccountLifecycle.Refusal(AccountStatus.Trial, AccountStatus.Dormant, Actor.Person(Role.Admin), Ready));
        Assert.Contains("on their own", AccountLifecycle.Refusal(AccountStatus.Active, AccountStatus.Dormant, Actor.Person(Role.Admin), Ready));
        Assert.Contains("you are account manager", AccountLifecycle.Refusal(AccountStatus.Trial, AccountStatus.Active, Actor.Person(Role.AccountManager), Ready));
    }

    [Fact]
    public void A_running_non_enterprise_account_needs_owner_and_backup_and_retiring_needs_the_checklist()
    {
        var noBackup = Ready with { HasBackup = false };
        Assert.Contains("owner and a backup", AccountLifecycle.Refusal(AccountStatus.Unregistered, AccountStatus.Active, Actor.Person(Role.Admin), noBackup));
        Assert.Null(AccountLifecycle.Refusal(AccountStatus.Unregistered, AccountStatus.Active, Actor.Person(Role.Admin), noBackup with { Kind = AccountKind.Enterprise }));
        Assert.Contains("checklist", AccountLifecycle.Refusal(AccountStatus.Active, AccountStatus.Retired, Actor.Person(Role.Admin), Ready with { RetireChecklistComplete = false }));
    }
}
