using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Notifications;

/// <summary>A person's notifications in one organization: the list, the unread count, marking read.</summary>
public sealed class NotificationCentre(RoundsDbContext db, TimeProvider clock)
{
    public Task<List<Notification>> ListAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        db.Set<Notification>().Where(n => n.OrganizationId == org.Id && n.UserId == org.UserId)
            .OrderByDescending(n => n.CreatedAt).Take(200).ToListAsync(cancellationToken);

    /// <summary>A row per unread notification of the person in the organization, for the bell's count.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<RoundsDbContext, Guid, string, IQueryable<int>>> Unread = (db, organizationId, userId) =>
        db.Set<Notification>().Where(n => n.OrganizationId == organizationId && n.UserId == userId && n.ReadAt == null).Select(n => 1);

    /// <summary>Marks one notification read, or all of them when <paramref name="id"/> is null.</summary>
    public Task<int> MarkReadAsync(OrgContext org, Guid? id, CancellationToken cancellationToken = default) =>
        db.Set<Notification>()
            .Where(n => n.OrganizationId == org.Id && n.UserId == org.UserId && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), cancellationToken);
}
