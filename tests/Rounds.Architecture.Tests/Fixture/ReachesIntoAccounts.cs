using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;

// Code written as if it were in the Publishing area, for the rules to judge; nothing calls it.
namespace Rounds.Architecture.Tests.Fixture.Features.Publishing;

public static class ReachesIntoAccounts
{
    public static int CountAccounts(RoundsDbContext db) => db.Set<SocialAccount>().Count();
}

public static class UsesTheDirectory
{
    public static int CountAccounts(RoundsDbContext db) => db.AccountCards().Count();
}
