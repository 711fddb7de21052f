using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// The course an event gives its registrants, through Learning's published grants. A confirmed seat grants it in
/// the transaction that confirms the seat, under a key naming the registration, so a replayed payment grants once;
/// a seat that goes back (cancelled, or refunded in full) withdraws it. A partial refund leaves the seat, and so
/// the course.
/// </summary>
public sealed class ResidencyCourse(RoundsDbContext db, ICourseGrants grants)
{
    public static string KeyFor(Guid registrationId) => $"membership-registration:{registrationId}";

    public async Task GrantForAsync(Guid registrationId, Guid eventId, string userId, CancellationToken cancellationToken = default)
    {
        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().Where(e => e.Id == eventId)
            .Select(e => new { e.OrganizationId, e.GrantsCourseId, e.Title }).FirstAsync(cancellationToken);
        if (networkEvent.GrantsCourseId is { } courseId)
        {
            // A course removed from Learning since the admin picked it grants nothing; the seat is not held up for it.
            await grants.GrantAsync(networkEvent.OrganizationId, courseId, userId, KeyFor(registrationId), $"Registered for {networkEvent.Title}", cancellationToken);
        }
    }

    public Task WithdrawForAsync(Guid registrationId, CancellationToken cancellationToken = default) =>
        grants.WithdrawAsync(KeyFor(registrationId), cancellationToken);
}
