using Microsoft.AspNetCore.Http.HttpResults;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After);

public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, int Total, int PageSize, bool TotalIsAtLeast, string? Next);

public static class AuditEndpoints
{
    /// <summary>The most entries one export holds: a year of a busy organization, and a file a spreadsheet opens.</summary>
    public const int ExportLimit = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/orgs/{org}").RequireOrg(Role.Admin).WithTags("Audit");
        audit.MapGet("/audit", ListAsync).WithName("ListAudit")
            .WithSummary("The organization's audit log, newest first (admins); filters: action, actor, record (an id), from, to; the next page is `next` (also in the Link header), passed back as `after`.");
        audit.MapGet("/audit.csv", ExportAsync).WithName("ExportAudit").Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithSummary("The audit log as CSV with the same filters, newest first, up to 10,000 entries (`X-Truncated: true` when more match; narrow the dates): time (UTC), who, what in a sentence, action, record type and id, before, after.");
    }

    public static async Task<IResult> ExportAsync(
        OrgContext org, AuditQuery query, string? action, string? actor, string? record, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await query.FindAsync(org.Id, new AuditFilter(action, actor, from, to, null, ExportLimit, record), cancellationToken);
        if (found.Next is not null)
        {
            // The file holds the newest 10,000; a reader must be able to tell it from the whole log.
            http.Response.Headers["X-Truncated"] = "true";
        }

        var csv = CsvExport.Write(
            ["at_utc", "who", "what", "action", "record_type", "record_id", "before", "after"],
            found.Entries.Select(e => new[] { e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), e.ActorName, AuditReading.Sentence(e), e.Action, e.EntityType, e.EntityId, e.Before ?? "", e.After ?? "" }));
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"audit-{org.Organization.Slug}.csv");
    }

    public static async Task<IResult> ListAsync(
        OrgContext org, AuditQuery query, string? action, string? actor, string? record, DateTimeOffset? from, DateTimeOffset? to, string? after, HttpContext http, CancellationToken cancellationToken)
    {
        AuditCursor cursor = default;
        if (after is not null && !AuditCursor.TryParse(after, out cursor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Use the cursor from the previous page's next."] });
        }

        var found = await query.FindAsync(org.Id, new AuditFilter(action, actor, from, to, after is null ? null : cursor, Record: record), cancellationToken);
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
