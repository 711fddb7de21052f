using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

public sealed record DashboardView(
    IReadOnlyList<Bar> ByStatus,
    IReadOnlyList<Bar> ByKind,
    IReadOnlyList<Bar> ByPlatform,
    IReadOnlyList<SocialAccount> TrialsEnding,
    IReadOnlyList<SocialAccount> Dormant);

public sealed record WeekCount(DateOnly WeekStart, int Posts);

public sealed record TrialReport(DateOnly Start, DateOnly End, int TargetMin, int TargetMax, IReadOnlyList<WeekCount> Weeks, double Average, bool Ended)
{
    public bool MeetsTarget => Average >= TargetMin;
}

/// <summary>The registry at a glance, and the numbers a committee decides a trial on.</summary>
public sealed class AccountDashboard(RoundsDbContext db, TimeZones zones, TimeProvider clock)
{
    public async Task<DashboardView> GetAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var accounts = await db.Set<SocialAccount>().AsNoTracking().Where(a => a.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var today = zones.For(null, org.Organization.TimeZone).Today(clock);
        return new DashboardView(
            Count(accounts, a => a.Status),
            Count(accounts, a => a.Kind),
            Count(accounts, a => a.Platform),
            accounts.Where(a => a.Status == AccountStatus.Trial && a.TrialEnd is { } end && end <= today.AddDays(14)).OrderBy(a => a.TrialEnd).ToList(),
            accounts.Where(a => a.Status == AccountStatus.Dormant).OrderBy(a => a.StatusChangedAt).ToList());
    }

    /// <summary>Posts per week of the trial so far (or in full once it ended), against the target.</summary>
    public async Task<TrialReport?> TrialAsync(SocialAccount account, CancellationToken cancellationToken = default)
    {
        if (account.TrialStart is not { } start || account.TrialEnd is not { } end)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var until = end < today ? end : today;
        var from = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
        var posts = await db.Set<AccountPost>().Where(p => p.AccountId == account.Id && p.PostedAt >= from && p.PostedAt < to)
            .Select(p => p.PostedAt).ToListAsync(cancellationToken);
        var weeks = new List<WeekCount>();
        for (var week = start; week <= until; week = week.AddDays(7))
        {
            var weekFrom = new DateTimeOffset(week.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            weeks.Add(new WeekCount(week, posts.Count(p => p >= weekFrom && p < weekFrom.AddDays(7))));
        }

        // A week that has only just begun would drag the average down unfairly; count whole weeks once there is one.
        var whole = weeks.Where(w => w.WeekStart.AddDays(7) <= until.AddDays(1)).ToList();
        var basis = whole.Count > 0 ? whole : weeks;
        var average = basis.Count == 0 ? 0 : basis.Average(w => w.Posts);
        return new TrialReport(start, end, account.TargetPostsPerWeekMin, account.TargetPostsPerWeekMax, weeks, Math.Round(average, 1), end < today);
    }

    private static List<Bar> Count<T>(IEnumerable<SocialAccount> accounts, Func<SocialAccount, T> key) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => new Bar(AccountNames.Label(v), accounts.Count(a => EqualityComparer<T>.Default.Equals(key(a), v)))).ToList();
}
