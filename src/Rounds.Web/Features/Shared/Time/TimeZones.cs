namespace Rounds.Web.Features.Shared.Time;

/// <summary>
/// The zones this machine knows and the installation's default, <c>Rounds:TimeZone</c> (an IANA name,
/// America/New_York unless set). An organization and a person may each name their own (decision 54); the zone
/// that shows a person's times is theirs if set, else their organization's, else the installation's.
/// </summary>
public sealed class TimeZones
{
    public const string DefaultId = "America/New_York";

    public TimeZones(IConfiguration configuration)
    {
        var id = configuration["Rounds:TimeZone"];
        id = string.IsNullOrWhiteSpace(id) ? DefaultId : id.Trim();
        Installation = TryFind(id, out var zone)
            ? zone
            : throw new InvalidOperationException($"Rounds:TimeZone '{id}' is not a time zone this machine knows; use an IANA name such as {DefaultId}.");
        Ids = TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id)
            .Append("UTC").Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public TimeZoneInfo Installation { get; }

    /// <summary>Every IANA zone of the machine, for the choices on the settings pages.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>An IANA zone this machine knows; Windows names and blanks are refused so that stored ids read the same everywhere.</summary>
    public static bool TryFind(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || id.Trim().Length > 64)
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone!) && zone.HasIanaId;
    }

    public static string UnknownMessage(string? id) =>
        $"'{id?.Trim()}' is not a time zone; choose one from the list, an IANA name such as America/Chicago.";

    /// <summary>
    /// The zone for a person in an organization. A stored name the machine no longer knows (zone data changed)
    /// falls through to the next level instead of failing the page.
    /// </summary>
    public TimeZoneInfo Effective(string? personZone, string? organizationZone) =>
        TryFind(personZone, out var own) ? own
        : TryFind(organizationZone, out var organization) ? organization
        : Installation;

    public WallClock For(string? personZone, string? organizationZone) => new(Effective(personZone, organizationZone));
}
