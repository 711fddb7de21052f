using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>
/// A health system's registry at scale for <c>./rounds seed</c>: department, program and clinician accounts on
/// every network, most of them active. Handles already present are kept, so seeding twice adds no duplicates.
/// </summary>
internal sealed class SeedAccounts(RoundsDbContext db) : ISeedData
{
    private static readonly string[] Departments =
    [
        "Cardiology", "Oncology", "Pediatrics", "Orthopedics", "Neurology", "Emergency medicine", "Women's health", "Nursing",
        "Research institute", "Foundation", "Human resources", "Behavioral health", "Primary care", "Sports medicine", "Transplant", "Volunteer services",
    ];

    private static readonly Platform[] Networks = [Platform.X, Platform.Facebook, Platform.LinkedIn, Platform.Bluesky, Platform.Mastodon, Platform.Instagram, Platform.YouTube];

    public int Order => 10;

    public async Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        var existing = await db.Set<SocialAccount>().Where(a => a.OrganizationId == plan.OrganizationId).Select(a => a.NormalizedHandle).ToListAsync(cancellationToken);
        var taken = existing.ToHashSet(StringComparer.Ordinal);
        var random = new Random(plan.Seed);
        var owners = plan.Members.Where(m => m.Role >= Role.Contributor).Select(m => m.Email.ToLowerInvariant()).ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var accounts = new BulkInsert<SocialAccount>(db, transaction.GetDbTransaction());
        await using var history = new BulkInsert<AccountHistoryEntry>(db, transaction.GetDbTransaction());
        for (var i = 1; i <= plan.Accounts; i++)
        {
            var department = Departments[i % Departments.Length];
            var platform = Networks[i % Networks.Length];
            var handle = $"northfield-{department.ToLowerInvariant().Replace(' ', '-').Replace("'", "", StringComparison.Ordinal)}-{i:000}";
            if (!taken.Add(Handles.Normalize(platform, handle)))
            {
                continue;
            }

            // Mostly active, as in a registry that has been looked after; a few dormant, in trial or retired.
            var roll = random.Next(100);
            var status = roll switch { < 85 => AccountStatus.Active, < 91 => AccountStatus.Dormant, < 95 => AccountStatus.Trial, _ => AccountStatus.Retired };
            var created = plan.Now.AddDays(-random.Next(760, 1500));
            var account = new SocialAccount
            {
                OrganizationId = plan.OrganizationId, Platform = platform, Handle = Handles.Display(platform, handle), NormalizedHandle = Handles.Normalize(platform, handle),
                Kind = (i % 10) switch { 0 => AccountKind.Enterprise, < 6 => AccountKind.Department, < 8 => AccountKind.Program, 8 => AccountKind.IndividualProfessional, _ => AccountKind.BrandedRole },
                Department = department, Owners = owners.Count == 0 ? "" : owners[i % owners.Count], Backup = owners.Count < 2 ? "" : owners[(i + 1) % owners.Count], Status = status, CreatedAt = created,
                StatusChangedAt = status == AccountStatus.Active ? created : plan.Now.AddDays(-random.Next(1, 60)),
                LastPostAt = plan.Now.AddDays(-random.Next(0, 20)),
            };
            if (status == AccountStatus.Trial)
            {
                account.TrialStart = DateOnly.FromDateTime(account.StatusChangedAt.UtcDateTime);
                account.TrialEnd = account.TrialStart.Value.AddMonths(3);
            }

            accounts.Add(account);
            history.Add(new AccountHistoryEntry { OrganizationId = plan.OrganizationId, AccountId = account.Id, At = created, ActorName = "Rounds", To = status, Note = "Recorded in the account inventory." });
        }

        await accounts.FlushAsync(cancellationToken);
        await history.FlushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
