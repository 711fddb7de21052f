using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <param name="MedianMinutes">Median time to the first answer, over the answered conversations; null when none was.</param>
/// <param name="Met">Answered by their due time.</param>
/// <param name="Missed">Answered late, or unanswered past their due time.</param>
/// <param name="MetShare">Met out of met and missed; conversations still within their time count for neither.</param>
public sealed record AccountResponse(
    Guid AccountId, string Account, int Conversations, int Answered, int Unanswered, double? MedianMinutes, double? P90Minutes, int Met, int Missed, double? MetShare);

/// <summary>How fast each account's conversations got their first answer, and how many met their target.</summary>
public sealed class ResponseReport(RoundsDbContext db, IAccountDirectory accounts, TimeProvider clock)
{
    public const int MaxDays = 366;

    public async Task<IReadOnlyList<AccountResponse>> ComputeAsync(OrgContext org, int days, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-Math.Clamp(days, 1, MaxDays));
        var rows = await db.Set<Conversation>().AsNoTracking()
            .Where(c => c.OrganizationId == org.Id && c.HasInbound && c.FirstInboundAt != null && c.FirstInboundAt >= since)
            .Select(c => new { c.AccountId, First = c.FirstInboundAt!.Value, c.FirstResponseAt })
            .ToListAsync(cancellationToken);
        var policies = await SlaPolicies.ForAccountsAsync(db, org.Id, cancellationToken);
        var cards = (await accounts.FindManyAsync(org.Id, rows.Select(r => r.AccountId).Distinct(), cancellationToken)).ToDictionary(a => a.Id);
        return rows.GroupBy(r => r.AccountId).Select(group =>
        {
            var policy = policies.GetValueOrDefault(group.Key) ?? policies.GetValueOrDefault(Guid.Empty);
            var times = group.Where(r => r.FirstResponseAt is not null).Select(r => (r.FirstResponseAt!.Value - r.First).TotalMinutes).Order().ToList();
            int met = 0, missed = 0;
            if (policy is not null)
            {
                foreach (var row in group)
                {
                    var due = SlaClock.DueAt(policy, row.First);
                    if (row.FirstResponseAt is { } answered)
                    {
                        (met, missed) = answered <= due ? (met + 1, missed) : (met, missed + 1);
                    }
                    else if (now > due)
                    {
                        missed++;
                    }
                }
            }

            return new AccountResponse(
                group.Key, cards.TryGetValue(group.Key, out var card) ? card.Label : "a retired account", group.Count(), times.Count, group.Count() - times.Count,
                Percentile(times, 0.5), Percentile(times, 0.9), met, missed, met + missed == 0 ? null : Math.Round((double)met / (met + missed), 4));
        }).OrderBy(r => r.Account, StringComparer.Ordinal).ToList();
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)], 1);
}
