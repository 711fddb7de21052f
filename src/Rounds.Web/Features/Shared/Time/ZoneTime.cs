using System.Globalization;

namespace Rounds.Web.Features.Shared.Time;

/// <summary>
/// Wall-clock time in one zone: showing instants and reading the times people type. Everything stored stays in
/// UTC; pages convert on the way in and out (decisions 9 and 54).
/// </summary>
public abstract class ZoneTime
{
    public abstract TimeZoneInfo Zone { get; }

    public string Name => Zone.Id;

    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public string Format(DateTimeOffset instant) => ToLocal(instant).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant with the zone's abbreviation, <c>2026-03-05 14:30 CST</c>, for lists where a reader could
    /// wonder which clock a bare time is on.
    /// </summary>
    public string Stamp(DateTimeOffset instant) =>
        $"{ToLocal(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {Abbreviation(instant)}";

    /// <summary>
    /// The short name of the zone at an instant (CST or CDT). .NET reads zone names from ICU, which gives long
    /// names ("Central Standard Time"); the common three-word ones shorten to the letters people know. Any other
    /// zone shows its offset from UTC, which cannot be misread the way a guessed abbreviation could.
    /// </summary>
    public string Abbreviation(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        var offset = local.Offset;
        if (offset == TimeSpan.Zero && Zone.Id is "UTC" or "Etc/UTC")
        {
            return "UTC";
        }

        var name = Zone.IsDaylightSavingTime(local) ? Zone.DaylightName : Zone.StandardName;
        if (name.Length is > 1 and <= 5 && name.All(char.IsAsciiLetterUpper))
        {
            return name;
        }

        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is [var place, "Standard" or "Daylight" or "Summer" or "Mean", "Time"] && place.All(char.IsAsciiLetter))
        {
            // Alaska's letters would collide with Atlantic's.
            var prefix = place == "Alaska" ? "AK" : place[..1];
            return prefix + words[1][..1] + "T";
        }

        return "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(offset.Minutes == 0 ? "%h" : @"h\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>The value of a <c>datetime-local</c> field showing <paramref name="instant"/>, or empty.</summary>
    public string InputValue(DateTimeOffset? instant) =>
        instant is { } value ? ToLocal(value).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>Reads a <c>datetime-local</c> field: empty means no time; false for text that is not a time in the zone.</summary>
    public bool TryParseInput(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || !TryToInstant(local, out var parsed))
        {
            return false;
        }

        instant = parsed;
        return true;
    }

    /// <summary>Whether typed text names a wall-clock time the clocks skip in this zone, to say so rather than "not a time".</summary>
    public bool IsSkipped(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
        && Zone.IsInvalidTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));

    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow()));

    /// <summary>
    /// The instant a wall-clock time in the zone stands for. A time the clocks skip (spring forward) has none; a
    /// time that happens twice (fall back) means the first of the two, as people read "1:30" that night.
    /// </summary>
    public bool TryToInstant(DateTime local, out DateTimeOffset instant)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            instant = default;
            return false;
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        instant = new DateTimeOffset(local, offset).ToUniversalTime();
        return true;
    }

    /// <summary>When a day begins in the zone; where midnight is skipped, the day begins at the first hour that exists.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        DateTimeOffset instant;
        while (!TryToInstant(local, out instant))
        {
            local = local.AddMinutes(30);
        }

        return instant;
    }
}

/// <summary>One fixed zone: an organization's for its background work, a recipient's for their mail.</summary>
public sealed class WallClock(TimeZoneInfo zone) : ZoneTime
{
    public override TimeZoneInfo Zone { get; } = zone;
}
