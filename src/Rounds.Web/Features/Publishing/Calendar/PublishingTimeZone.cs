namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>
/// The zone in which calendars show times and read the times people type. Pages are rendered on the server,
/// which does not know the browser's zone, so the installation names one: <c>Rounds:TimeZone</c> (an IANA name),
/// America/New_York unless set. Everything stored stays in UTC.
/// </summary>
public sealed class PublishingTimeZone
{
    public const string DefaultId = "America/New_York";

    public PublishingTimeZone(IConfiguration configuration)
    {
        var id = configuration["Rounds:TimeZone"];
        id = string.IsNullOrWhiteSpace(id) ? DefaultId : id.Trim();
        Zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : throw new InvalidOperationException($"Rounds:TimeZone '{id}' is not a time zone this machine knows; use an IANA name such as {DefaultId}.");
    }

    public TimeZoneInfo Zone { get; }

    public string Name => Zone.Id;

    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public string Format(DateTimeOffset instant) => ToLocal(instant).ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The value of a <c>datetime-local</c> field showing <paramref name="instant"/>, or empty.</summary>
    public string InputValue(DateTimeOffset? instant) =>
        instant is { } value ? ToLocal(value).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "";

    /// <summary>Reads a <c>datetime-local</c> field: empty means no time; false for text that is not a time in the zone.</summary>
    public bool TryParseInput(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local)
            || !TryToInstant(local, out var parsed))
        {
            return false;
        }

        instant = parsed;
        return true;
    }

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
