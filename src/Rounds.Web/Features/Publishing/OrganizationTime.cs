namespace Rounds.Web.Features.Publishing;

/// <summary>
/// The time zone people schedule in. Posts are stored in UTC; forms and pages speak local time, because a
/// communications team plans "Saturday 9 am", not an offset. Set with <c>Rounds:TimeZone</c> (an IANA name).
/// </summary>
public sealed class OrganizationTime(IConfiguration configuration)
{
    public const string DefaultZone = "America/New_York";

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.TryFindSystemTimeZoneById(configuration["Rounds:TimeZone"] ?? DefaultZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public DateTime ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).DateTime;

    /// <summary>Reads a <c>datetime-local</c> field; a time that does not exist locally (the spring-forward hour) is refused.</summary>
    public bool TryParseLocal(string? text, out DateTimeOffset? at)
    {
        at = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local)
            || Zone.IsInvalidTime(local))
        {
            return false;
        }

        at = new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
        return true;
    }

    public string Format(DateTimeOffset at) => ToLocal(at).ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string InputValue(DateTimeOffset? at) => at is { } value ? ToLocal(value).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "";
}
