using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>An organization's publishing settings: how late a post that fell due while Rounds was down may still go out.</summary>
public sealed class DeliverySettings(RoundsDbContext db, IAuditLog audit)
{
    /// <summary>Below a few minutes an ordinary pause (a restart, a slow network) would count as missing the post.</summary>
    public const int MinGraceMinutes = 5;

    public const int MaxGraceMinutes = 24 * 60;

    public async Task<int> GraceMinutesAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await db.Set<PublishingSettings>().Where(s => s.OrganizationId == organizationId).Select(s => (int?)s.GraceMinutes).FirstOrDefaultAsync(cancellationToken)
        ?? PublishingSettings.DefaultGraceMinutes;

    public async Task<Outcome> UpdateAsync(OrgContext org, int? graceMinutes, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins change publishing settings.");
        }

        if (graceMinutes is not { } minutes || minutes is < MinGraceMinutes or > MaxGraceMinutes)
        {
            return Outcome.Invalid("graceMinutes", $"Give a number of minutes from {MinGraceMinutes} to {MaxGraceMinutes}.");
        }

        var settings = await db.Set<PublishingSettings>().FirstOrDefaultAsync(s => s.OrganizationId == org.Id, cancellationToken);
        var before = settings?.GraceMinutes ?? PublishingSettings.DefaultGraceMinutes;
        if (settings is null)
        {
            settings = new PublishingSettings { OrganizationId = org.Id };
            db.Add(settings);
        }

        settings.GraceMinutes = minutes;
        audit.Record(org.Id, "publishing.settings_changed", "Organization", org.Id.ToString(), new { GraceMinutes = before }, new { GraceMinutes = minutes });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
