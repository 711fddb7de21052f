using Microsoft.AspNetCore.Http.HttpResults;

namespace Rounds.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After);

public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, int Total, int Page, int PageSize, bool TotalIsAtLeast);

public static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGroup("/orgs/{org}").RequireOrg(Role.Admin)
            .MapGet("/audit", ListAsync).WithName("ListAudit").WithTags("Audit").WithSummary("The organization's audit log, newest first (admins).");

    public static async Task<Ok<AuditPageDto>> ListAsync(
        OrgContext org, AuditQuery query, string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, int? page, CancellationToken cancellationToken)
    {
        var found = await query.FindAsync(org.Id, new AuditFilter(action, actor, from, to, page ?? 1), cancellationToken);
        return TypedResults.Ok(new AuditPageDto(
            found.Entries.Select(e => new AuditEntryDto(e.Id, e.At, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Before, e.After)).ToList(),
            found.Total, found.Page, found.PageSize, found.TotalIsAtLeast));
    }
}
