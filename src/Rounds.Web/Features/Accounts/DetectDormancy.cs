using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

public sealed record DormancyRun(int BecameDormant, int Escalated);

/// <summary>
/// Marks active accounts with no post for the organization's dormancy period as dormant and tells their
/// owners; after the same period again, tells the communications team. Each change is claimed with a
/// conditional update, so when several app instances run this at once exactly one of them acts and
/// notifies (docs/decisions/0006-account-and-request-state-machines.md).
/// </summary>
public sealed class DetectDormancy(RoundsDbContext db, IAuditLog audit, INotifier notifier, AccountRegistry registry, TimeProvider clock)
{
    public async Task<DormancyRun> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var days = await db.Set<AccountPolicy>().ToDictionaryAsync(p => p.OrganizationId, p => p.DormancyDays, cancellationToken);
        int DaysOf(Guid organizationId) => days.TryGetValue(organizationId, out var d) ? d : AccountPolicy.DefaultDormancyDays;

        // No organization may set fewer than 7 days, so older candidates are all the database needs to return.
        var earliest = now.AddDays(-7);
        var quiet = await db.Set<SocialAccount>().AsNoTracking()
            .Where(a => a.Status == AccountStatus.Active && (a.LastPostAt ?? a.StatusChangedAt) < earliest)
            .Select(a => new { a.Id, a.OrganizationId, LastSeen = a.LastPostAt ?? a.StatusChangedAt })
            .ToListAsync(cancellationToken);
        var becameDormant = 0;
        foreach (var candidate in quiet.Where(c => c.LastSeen < now.AddDays(-DaysOf(c.OrganizationId))))
        {
            // The claim, its history, audit entry and notifications commit together or not at all.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Set<SocialAccount>()
                .Where(a => a.Id == candidate.Id && a.Status == AccountStatus.Active && (a.LastPostAt ?? a.StatusChangedAt) == candidate.LastSeen)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AccountStatus.Dormant).SetProperty(a => a.StatusChangedAt, now).SetProperty(a => a.DormancyEscalatedAt, (DateTimeOffset?)null), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var account = await db.Set<SocialAccount>().AsNoTracking().FirstAsync(a => a.Id == candidate.Id, cancellationToken);
            var period = DaysOf(account.OrganizationId);
            db.Add(new AccountHistoryEntry { OrganizationId = account.OrganizationId, AccountId = account.Id, At = now, ActorName = "Rounds", From = AccountStatus.Active, To = AccountStatus.Dormant, Note = $"No post seen for {period} days." });
            audit.Record(account.OrganizationId, "account.dormant", "SocialAccount", account.Id.ToString(), new { Status = "active" }, new { Status = "dormant", candidate.LastSeen });
            var owners = await registry.PeopleOfAsync(account.OrganizationId, account, cancellationToken);
            await notifier.NotifyAsync(account.OrganizationId, owners, $"account-dormant:{account.Id}:{now.UtcTicks}", $"{account.Handle} ({AccountNames.Label(account.Platform)}) has had no post for {period} days and is now dormant. Post again, or ask the communications team to retire it.", await LinkAsync(account, cancellationToken), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            becameDormant++;
        }

        var dormant = await db.Set<SocialAccount>().AsNoTracking()
            .Where(a => a.Status == AccountStatus.Dormant && a.DormancyEscalatedAt == null && a.StatusChangedAt < earliest)
            .Select(a => new { a.Id, a.OrganizationId, a.StatusChangedAt })
            .ToListAsync(cancellationToken);
        var escalated = 0;
        foreach (var candidate in dormant.Where(c => c.StatusChangedAt < now.AddDays(-DaysOf(c.OrganizationId))))
        {
            // The claim, its history, audit entry and notifications commit together or not at all.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Set<SocialAccount>()
                .Where(a => a.Id == candidate.Id && a.Status == AccountStatus.Dormant && a.DormancyEscalatedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DormancyEscalatedAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var account = await db.Set<SocialAccount>().AsNoTracking().FirstAsync(a => a.Id == candidate.Id, cancellationToken);
            db.Add(new AccountHistoryEntry { OrganizationId = account.OrganizationId, AccountId = account.Id, At = now, ActorName = "Rounds", Note = "Still dormant; the communications team was told." });
            audit.Record(account.OrganizationId, "account.dormancy_escalated", "SocialAccount", account.Id.ToString(), after: new { candidate.StatusChangedAt });
            var team = await notifier.MembersAtLeastAsync(account.OrganizationId, Role.AccountManager, cancellationToken);
            await notifier.NotifyAsync(account.OrganizationId, team, $"account-dormancy-escalated:{account.Id}:{candidate.StatusChangedAt.UtcTicks}", $"{account.Handle} ({AccountNames.Label(account.Platform)}) has been dormant since {candidate.StatusChangedAt:yyyy-MM-dd}: revive it or retire it.", await LinkAsync(account, cancellationToken), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            escalated++;
        }

        return new DormancyRun(becameDormant, escalated);
    }

    private async Task<string> LinkAsync(SocialAccount account, CancellationToken cancellationToken) =>
        $"/o/{await db.Organizations.Where(o => o.Id == account.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken)}/accounts/{account.Id}";
}

/// <summary>Runs <see cref="DetectDormancy"/> every <c>Accounts:DormancyCheckMinutes</c>; the claims keep each escalation single.</summary>
public sealed class DormancyWatch(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<DormancyWatch> logger)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Accounts:DormancyCheckMinutes", 60)));

    // Dormancy is counted in days; a restart need not trigger a run.
    protected override bool RunsAtStart => false;

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var run = await services.GetRequiredService<DetectDormancy>().RunAsync(cancellationToken);
        if (run.BecameDormant + run.Escalated > 0)
        {
            Logger.LogInformation("Dormancy: {Dormant} accounts became dormant, {Escalated} escalated.", run.BecameDormant, run.Escalated);
        }
    }
}
