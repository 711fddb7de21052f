using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity.Contracts;

namespace Rounds.Web.Features.Shared.Time;

/// <summary>
/// The zone of the person this request is for. The organization check sets it (person's own zone, else the
/// organization's); personal pages ask for the person's own; until then it is the installation's. Pages and
/// endpoints show and read every time through it.
/// </summary>
public sealed class ViewerTime(TimeZones zones, RoundsDbContext db) : ZoneTime
{
    private TimeZoneInfo? zone;

    public override TimeZoneInfo Zone => zone ?? zones.Installation;

    /// <summary>Whether the zone is the person's own choice rather than their organization's or the installation's.</summary>
    public bool IsPersonal { get; private set; }

    /// <summary>A line for pages: which zone their times are in, and where it comes from.</summary>
    public string Caption => $"Times are in {Name}{(IsPersonal ? " (your own setting)" : "")}.";

    public void Use(string? personZone, string? organizationZone)
    {
        zone = zones.Effective(personZone, organizationZone);
        IsPersonal = TimeZones.TryFind(personZone, out _);
    }

    /// <summary>For pages outside an organization: the person's own zone, else the installation's.</summary>
    public async Task UsePersonAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var own = userId is null ? null : await db.People().Where(p => p.Id == userId).Select(p => p.TimeZone).FirstOrDefaultAsync(cancellationToken);
        Use(own, null);
    }
}
