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

/// <param name="Group">"account" or "person": who the row is about.</param>
/// <param name="Name">The account's label, or the person's name ("on the network" for answers written outside Rounds, "unassigned").</param>
/// <param name="Hours">"business" when the first message arrived inside the policy's opening hours, otherwise "off".</param>
public sealed record ResponseSplit(
    string Group, string Name, string Hours, int Conversations, int Answered, int Unanswered, double? MedianMinutes, double? P90Minutes, int Met, int Missed, double? MetShare);

/// <summary>How fast each account's conversations got their first answer, and how many met their target.</summary>
public sealed class ResponseReport(RoundsDbContext db, IAccountDirectory accounts, TimeProvider clock)
{
    /// <summary>Where an account has no policy, business hours are 9 to 5, Monday to Friday, universal time.</summary>
    private static readonly SlaPolicy DefaultHours = new() { Name = "Default hours" };

    /// <summary>
    /// The same figures per account and per person, each split by whether the first message arrived in business hours
    /// or off hours. A conversation counts for the person who gave its first answer in Rounds; unanswered, for the
    /// person it is assigned to.
    /// </summary>
    public async Task<IReadOnlyList<ResponseSplit>> BreakdownAsync(OrgContext org, int days, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-Math.Clamp(days, 1, MaxDays));
        var rows = await db.Set<Conversation>().AsNoTracking()
            .Where(c => c.OrganizationId == org.Id && c.HasInbound && c.FirstInboundAt != null && c.FirstInboundAt >= since)
            .Select(c => new { c.Id, c.AccountId, First = c.FirstInboundAt!.Value, c.FirstResponseAt, c.AssignedTo })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var answeredBy = (await db.Set<Message>().AsNoTracking()
                .Where(m => ids.Contains(m.ConversationId) && !m.Inbound && m.State == MessageState.Sent)
                .Select(m => new { m.ConversationId, m.PostedAt, m.SentBy }).ToListAsync(cancellationToken))
            .GroupBy(m => m.ConversationId).ToDictionary(g => g.Key, g => g.MinBy(m => m.PostedAt)!.SentBy);
        var policies = await SlaPolicies.ForAccountsAsync(db, org.Id, cancellationToken);
        var cards = (await accounts.FindManyAsync(org.Id, rows.Select(r => r.AccountId).Distinct(), cancellationToken)).ToDictionary(a => a.Id);
        var people = rows.Select(r => r.FirstResponseAt is null ? r.AssignedTo : answeredBy.GetValueOrDefault(r.Id)).OfType<string>().Distinct().ToList();
        var names = await db.People().Where(p => people.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
        var facts = rows.Select(r =>
        {
            var policy = policies.GetValueOrDefault(r.AccountId) ?? policies.GetValueOrDefault(Guid.Empty);
            var person = r.FirstResponseAt is null ? r.AssignedTo : answeredBy.GetValueOrDefault(r.Id);
            var personName = person is null
                ? r.FirstResponseAt is null ? "unassigned" : "on the network"
                : names.GetValueOrDefault(person) ?? "a former member";
            return new ResponseFact(
                cards.TryGetValue(r.AccountId, out var card) ? card.Label : "a retired account", personName,
                SlaClock.IsBusinessTime(policy ?? DefaultHours, r.First) ? "business" : "off", r.First, r.FirstResponseAt, policy is null ? null : SlaClock.DueAt(policy, r.First));
        }).ToList();
        return facts.GroupBy(f => (Group: "account", Name: f.Account, f.Hours)).Concat(facts.GroupBy(f => (Group: "person", Name: f.Person, f.Hours)))
            .Select(g => Summarize(g.Key.Group, g.Key.Name, g.Key.Hours, g.ToList(), now))
            .OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Hours, StringComparer.Ordinal).ToList();
    }

    /// <summary>The breakdown as CSV, one row per account or person and hours.</summary>
    public static string Csv(IEnumerable<ResponseSplit> rows) => CsvExport.Write(
        ["group", "name", "hours", "conversations", "answered", "unanswered", "median_minutes", "p90_minutes", "met", "missed", "met_share"],
        rows.Select(r => new[]
        {
            r.Group, r.Name, r.Hours, Number(r.Conversations), Number(r.Answered), Number(r.Unanswered), Number(r.MedianMinutes), Number(r.P90Minutes),
            Number(r.Met), Number(r.Missed), Number(r.MetShare),
        }));

    private static string Number(double? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private sealed record ResponseFact(string Account, string Person, string Hours, DateTimeOffset First, DateTimeOffset? FirstResponseAt, DateTimeOffset? DueAt);

    private static ResponseSplit Summarize(string group, string name, string hours, IReadOnlyList<ResponseFact> facts, DateTimeOffset now)
    {
        var times = facts.Where(f => f.FirstResponseAt is not null).Select(f => (f.FirstResponseAt!.Value - f.First).TotalMinutes).Order().ToList();
        var met = facts.Count(f => f.DueAt is { } due && f.FirstResponseAt is { } answered && answered <= due);
        var missed = facts.Count(f => f.DueAt is { } due && (f.FirstResponseAt is { } answered ? answered > due : now > due));
        return new ResponseSplit(group, name, hours, facts.Count, times.Count, facts.Count - times.Count, Percentile(times, 0.5), Percentile(times, 0.9),
            met, missed, met + missed == 0 ? null : Math.Round((double)met / (met + missed), 4));
    }

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
