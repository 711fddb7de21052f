namespace Rounds.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After);

public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, int Total, int PageSize, bool TotalIsAtLeast, string? Next);

public static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGroup("/orgs/{org}").RequireOrg(Role.Admin)
            .MapGet("/audit", ListAsync).WithName("ListAudit").WithTags("Audit")
            .WithSummary("The organization's audit log, newest first (admins); the next page is `next` (also in the Link header), passed back as `after`.");

    public static async Task<IResult> ListAsync(
        OrgContext org, AuditQuery query, string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, string? after, HttpContext http, CancellationToken cancellationToken)
    {
        AuditCursor cursor = default;
        if (after is not null && !AuditCursor.TryParse(after, out cursor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Use the cursor from the previous page's next."] });
        }

        var found = await query.FindAsync(org.Id, new AuditFilter(action, actor, from, to, after is null ? null : cursor), cancellationToken);
        var next = found.Next?.ToString();
        if (next is not null)
        {
            var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            parameters["after"] = next;
            var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.Path, parameters.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
            http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
        }

        return TypedResults.Ok(new AuditPageDto(
            found.Entries.Select(e => new AuditEntryDto(e.Id, e.At, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Before, e.After)).ToList(),
            found.Total, found.PageSize, found.TotalIsAtLeast, next));
    }
}
