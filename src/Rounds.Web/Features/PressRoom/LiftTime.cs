using System.Globalization;
using System.Text.RegularExpressions;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// The moment an embargo lifts, as people type it: a date, a 24-hour time (or the words "noon" or "midnight"),
/// a named IANA time zone and, where the clock is ambiguous on that date, the UTC offset. Embargoes break on
/// time errors, so anything that two readers could take for two different instants is refused with the reason
/// (docs/decisions/0024-embargo-lift-times.md).
/// </summary>
public static partial class LiftTime
{
    /// <summary>A lift instant read from what was typed, or the field and reason it was refused.</summary>
    public sealed record Reading(DateTimeOffset? Utc, string? Field, string? Error)
    {
        public bool Succeeded => Utc is not null;
    }

    [GeneratedRegex(@"^(?<h>\d{1,2}):(?<m>\d{2})$")]
    private static partial Regex Clock24();

    [GeneratedRegex(@"(a\.?m\.?|p\.?m\.?)", RegexOptions.IgnoreCase)]
    private static partial Regex TwelveHourMarker();

    [GeneratedRegex(@"^(UTC|GMT)?\s*(?<sign>[+\-−])(?<h>\d{1,2}):(?<m>\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || (!id.Contains('/', StringComparison.Ordinal) && id.Trim() != "UTC"))
        {
            // Only named IANA zones ("America/Chicago"): abbreviations such as CST mean different things in different places.
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone!) && zone.HasIanaId;
    }

    /// <summary>Reads a lift instant; <paramref name="offset"/> is needed only where the local time is skipped or repeated.</summary>
    public static Reading Parse(string? date, string? time, string? zoneId, string? offset)
    {
        if (!TryFindZone(zoneId, out var zone))
        {
            return Refuse("LiftZone", "Name the time zone as in the IANA database, such as America/Chicago or Europe/London.");
        }

        if (!DateOnly.TryParseExact(date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Refuse("LiftDate", "Give the date as year-month-day, such as 2026-03-08.");
        }

        var clock = ReadClock(time, out var clockError);
        if (clock is null)
        {
            return Refuse("LiftTime", clockError!);
        }

        var local = day.ToDateTime(clock.Value);
        TimeSpan? chosen = null;
        if (!string.IsNullOrWhiteSpace(offset))
        {
            var match = OffsetPattern().Match(offset.Trim());
            if (!match.Success || int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) > 14 || int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) > 59)
            {
                return Refuse("LiftOffset", "Give the UTC offset as +hh:mm or -hh:mm, such as -05:00.");
            }

            var span = new TimeSpan(int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture), 0);
            chosen = match.Groups["sign"].Value == "+" ? span : -span;
        }

        var candidates = OffsetsAt(zone, local);
        if (candidates.Count == 0)
        {
            // Skipped by a spring-forward change: the offset in force just before or just after names an instant.
            var around = new[] { zone.GetUtcOffset(local.AddDays(-1)), zone.GetUtcOffset(local.AddDays(1)) }.Distinct().ToList();
            if (chosen is null || !around.Contains(chosen.Value))
            {
                return Refuse("LiftTime", $"{Clock(local)} does not exist on {day:yyyy-MM-dd} in {zone.Id}: the clocks skip it. Choose another time, or give the offset ({string.Join(" or ", around.Select(Offset))}) to say which instant you mean.");
            }

            return new Reading(new DateTimeOffset(local, chosen.Value).ToUniversalTime(), null, null);
        }

        if (candidates.Count > 1 && chosen is null)
        {
            return Refuse("LiftOffset", $"{Clock(local)} happens twice on {day:yyyy-MM-dd} in {zone.Id}, when the clocks go back. Give the offset: {string.Join(" (first) or ", candidates.Select(Offset))} (second).");
        }

        var used = chosen ?? candidates[0];
        if (!candidates.Contains(used))
        {
            return Refuse("LiftOffset", $"{zone.Id} is {string.Join(" or ", candidates.Select(Offset))} at {Clock(local)} on {day:yyyy-MM-dd}, not {Offset(used)}.");
        }

        return new Reading(new DateTimeOffset(local, used).ToUniversalTime(), null, null);
    }

    /// <summary>An instant written out in a zone with its offset, e.g. <c>2026-03-08 09:00 America/Chicago (UTC−05:00)</c>.</summary>
    public static string Describe(DateTimeOffset instant, string zoneId)
    {
        if (!TryFindZone(zoneId, out var zone))
        {
            zone = TimeZoneInfo.Utc;
        }

        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{local:yyyy-MM-dd HH:mm} {zone.Id} ({Offset(local.Offset)})";
    }

    /// <summary>The same instant in UTC, for the line beside every local time.</summary>
    public static string DescribeUtc(DateTimeOffset instant) => $"{instant.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";

    public static string Offset(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "−" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static TimeOnly? ReadClock(string? text, out string? error)
    {
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Equals("noon", StringComparison.OrdinalIgnoreCase))
        {
            return new TimeOnly(12, 0);
        }

        if (value.Equals("midnight", StringComparison.OrdinalIgnoreCase))
        {
            // The midnight that starts the date given, never the one that ends it.
            return new TimeOnly(0, 0);
        }

        if (TwelveHourMarker().IsMatch(value))
        {
            error = "Write the time on the 24-hour clock (such as 00:01 or 17:30): a.m. and p.m. are misread at the hours around midnight and noon.";
            return null;
        }

        var match = Clock24().Match(value);
        if (!match.Success)
        {
            error = "Give the time on the 24-hour clock as hh:mm, such as 09:00 or 17:30, or write noon or midnight.";
            return null;
        }

        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        if ((hour is 12 or 0 or 24) && minute == 0)
        {
            error = "12:00, 00:00 and 24:00 are read as noon by some and midnight by others: write noon, or midnight (the start of the date given).";
            return null;
        }

        if (hour > 23 || minute > 59)
        {
            error = "Give the time on the 24-hour clock as hh:mm, from 00:01 to 23:59.";
            return null;
        }

        return new TimeOnly(hour, minute);
    }

    // The offsets at which the wall-clock time occurs in the zone: none in a gap, two in an overlap.
    private static List<TimeSpan> OffsetsAt(TimeZoneInfo zone, DateTime local)
    {
        if (zone.IsInvalidTime(local))
        {
            return [];
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The earlier instant first: the larger offset (daylight time) comes before the clocks go back.
            return zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).ToList();
        }

        return [zone.GetUtcOffset(local)];
    }

    private static string Clock(DateTime local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static Reading Refuse(string field, string error) => new(null, field, error);
}
