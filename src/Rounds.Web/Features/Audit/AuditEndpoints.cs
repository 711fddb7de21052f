using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After);

public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, int Total, int Page, int PageSize);

public static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/orgs/{org}/audit", ListAsync).WithName("ListAudit").WithTags("Audit")
            .WithSummary("The organization's audit log, newest first (admins).");

    public static async Task<Results<Ok<AuditPageDto>, ProblemHttpResult>> ListAsync(
        string org, ClaimsPrincipal user, OrgAccess access, AuditQuery query,
        string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, int? page, CancellationToken cancellationToken)
    {
        var result = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        if (!result.Allowed)
        {
            return result.ToProblem();
        }

        var found = await query.FindAsync(result.Context!.Id, new AuditFilter(action, actor, from, to, page ?? 1), cancellationToken);
        return TypedResults.Ok(new AuditPageDto(
            found.Entries.Select(e => new AuditEntryDto(e.Id, e.At, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Before, e.After)).ToList(),
            found.Total, found.Page, found.PageSize));
    }
}
