using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Audit;

public sealed record AuditFilter(string? Action = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 1, int PageSize = 50);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int Page, int PageSize);

/// <summary>Reads one organization's audit log, newest first.</summary>
public sealed class AuditQuery(RoundsDbContext db)
{
    public async Task<AuditPage> FindAsync(Guid organizationId, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(a => a.Action.StartsWith(filter.Action.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim().ToLower();
            query = query.Where(a => a.ActorName.ToLower().Contains(actor));
        }

        if (filter.From is { } from)
        {
            query = query.Where(a => a.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(a => a.At < to);
        }

        var pageSize = Math.Clamp(filter.PageSize, 1, 200);
        var page = Math.Max(1, filter.Page);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new AuditPage(entries, total, page, pageSize);
    }

    public Task<List<string>> ActionsAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.AuditEntries.Where(a => a.OrganizationId == organizationId).Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
}
