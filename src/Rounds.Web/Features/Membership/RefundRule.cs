using System.Globalization;
using System.Text.Json;

namespace Rounds.Web.Features.Membership;

/// <summary>One step of an event's refund rule: cancelling at least <paramref name="DaysBefore"/> days before the start returns <paramref name="Percent"/> of what was paid.</summary>
public sealed record RefundTier(int DaysBefore, decimal Percent);

/// <summary>A refund rule as it arrives from the API or a form; checked by <see cref="RefundRule.Parse"/>.</summary>
public sealed record RefundTierInput(int? DaysBefore, decimal? Percent);

/// <summary>
/// What an attendee gets back when they cancel, as data on the event (docs/decisions/0047-partial-refunds-under-the-events-rule.md).
/// A cut-off is an instant: the start less whole days of 24 hours, so it is the same for attendees in every time
/// zone; cancelling at the cut-off itself still gets that step. The amount is the percentage of what the line
/// cost, rounded to the cent half away from zero, and never more than is left unrefunded on it.
/// </summary>
public sealed class RefundRule
{
    public const int MaxTiers = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private RefundRule(IReadOnlyList<RefundTier> tiers) => Tiers = tiers;

    /// <summary>Latest cut-off last, so the tier that applies is the first one whose cut-off has not passed.</summary>
    public IReadOnlyList<RefundTier> Tiers { get; }

    public static RefundRule None { get; } = new([]);

    /// <summary>The rule stored on an event; an event with none refunds nothing on cancellation.</summary>
    public static RefundRule Read(string? json) =>
        string.IsNullOrWhiteSpace(json) ? None : new((JsonSerializer.Deserialize<List<RefundTier>>(json, Json) ?? []).OrderByDescending(t => t.DaysBefore).ToList());

    public string Write() => JsonSerializer.Serialize(Tiers, Json);

    /// <summary>Checks a rule entered by an admin: up to five steps, distinct days, and a refund that never grows as the event nears.</summary>
    public static Outcome<RefundRule> Parse(IReadOnlyList<RefundTierInput>? input)
    {
        if (input is null || input.Count == 0)
        {
            return new Outcome<RefundRule>(Outcome.Success, None);
        }

        if (input.Count > MaxTiers)
        {
            return Outcome.Invalid("RefundRule", $"A refund rule has at most {MaxTiers} steps.");
        }

        var tiers = new List<RefundTier>();
        foreach (var tier in input)
        {
            if (tier.DaysBefore is not (>= 0 and <= 365))
            {
                return Outcome.Invalid("RefundRule", "Each step of the refund rule names the days before the start, from 0 to 365.");
            }

            if (tier.Percent is not { } percent || percent < 0 || percent > 100 || Math.Round(percent, 2) != percent)
            {
                return Outcome.Invalid("RefundRule", "Each step of the refund rule gives a percentage from 0 to 100, with at most two decimals.");
            }

            tiers.Add(new RefundTier(tier.DaysBefore.Value, percent));
        }

        var ordered = tiers.OrderByDescending(t => t.DaysBefore).ToList();
        if (ordered.Select(t => t.DaysBefore).Distinct().Count() != ordered.Count)
        {
            return Outcome.Invalid("RefundRule", "Two steps of the refund rule name the same number of days.");
        }

        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Percent > ordered[i - 1].Percent)
            {
                return Outcome.Invalid("RefundRule", "A refund never grows as the event nears: a later step gives the same percentage or less.");
            }
        }

        return new Outcome<RefundRule>(Outcome.Success, new RefundRule(ordered));
    }

    public static DateTimeOffset CutOff(DateTimeOffset startsAt, RefundTier tier) => startsAt - TimeSpan.FromDays(tier.DaysBefore);

    /// <summary>The percentage returned to someone cancelling at <paramref name="at"/>; nothing once the event has started.</summary>
    public decimal PercentAt(DateTimeOffset startsAt, DateTimeOffset at)
    {
        if (at >= startsAt)
        {
            return 0m;
        }

        return Tiers.Where(t => at <= CutOff(startsAt, t)).Select(t => t.Percent).DefaultIfEmpty(0m).Max();
    }

    /// <summary>
    /// What goes back on a line that cost <paramref name="paid"/> and has <paramref name="alreadyRefunded"/> refunded
    /// already: the percentage of the price, rounded to the cent half away from zero, capped at what is left.
    /// </summary>
    public static decimal AmountFor(decimal paid, decimal alreadyRefunded, decimal percent) =>
        Math.Max(0m, Math.Min(Money.Round(paid * percent / 100m), paid - alreadyRefunded));

    /// <summary>The rule in words, with each cut-off as people where the event is held read it.</summary>
    public string Describe(NetworkEvent e)
    {
        if (Tiers.Count == 0 || Tiers.All(t => t.Percent == 0))
        {
            return "Cancelling gives no refund.";
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(e.TimeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            zone = TimeZoneInfo.Utc;
        }

        var steps = Tiers.Where(t => t.Percent > 0).Select(t =>
        {
            var cutOff = TimeZoneInfo.ConvertTime(CutOff(e.StartsAt, t), zone);
            var share = t.Percent == 100 ? "a full refund" : $"{t.Percent.ToString("0.##", CultureInfo.InvariantCulture)}% back";
            var when = t.DaysBefore == 0 ? "until the start" : $"{t.DaysBefore} {(t.DaysBefore == 1 ? "day" : "days")} or more before the start (by {cutOff.ToString("MMMM d, yyyy, h:mm tt", CultureInfo.InvariantCulture)})";
            return $"{share} if you cancel {when}";
        });
        return $"Refunds: {string.Join("; ", steps)}; no refund after that.";
    }
}
