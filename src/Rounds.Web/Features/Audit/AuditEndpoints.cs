using Microsoft.AspNetCore.Http.HttpResults;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After);

public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Entries, int Total, int Page, int PageSize, bool TotalIsAtLeast);

public static class AuditEndpoints
{
    /// <summary>The most entries one export holds: a year of a busy organization, and a file a spreadsheet opens.</summary>
    public const int ExportLimit = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/orgs/{org}").RequireOrg(Role.Admin).WithTags("Audit");
        audit.MapGet("/audit", ListAsync).WithName("ListAudit").WithSummary("The organization's audit log, newest first (admins); filters: action, actor, record (an id), from, to.");
        audit.MapGet("/audit.csv", ExportAsync).WithName("ExportAudit").Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithSummary("The audit log as CSV with the same filters, newest first, up to 10,000 entries: time (UTC), who, what in a sentence, action, record type and id, before, after.");
    }

    public static async Task<IResult> ExportAsync(
        OrgContext org, AuditQuery query, string? action, string? actor, string? record, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var found = await query.FindAsync(org.Id, new AuditFilter(action, actor, from, to, 1, ExportLimit, record), cancellationToken);
        var csv = CsvExport.Write(
            ["at_utc", "who", "what", "action", "record_type", "record_id", "before", "after"],
            found.Entries.Select(e => new[] { e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), e.ActorName, AuditReading.Sentence(e), e.Action, e.EntityType, e.EntityId, e.Before ?? "", e.After ?? "" }));
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"audit-{org.Organization.Slug}.csv");
    }

    public static async Task<Ok<AuditPageDto>> ListAsync(
        OrgContext org, AuditQuery query, string? action, string? actor, string? record, DateTimeOffset? from, DateTimeOffset? to, int? page, CancellationToken cancellationToken)
    {
        var found = await query.FindAsync(org.Id, new AuditFilter(action, actor, from, to, page ?? 1, Record: record), cancellationToken);
        return TypedResults.Ok(new AuditPageDto(
            found.Entries.Select(e => new AuditEntryDto(e.Id, e.At, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Before, e.After)).ToList(),
            found.Total, found.Page, found.PageSize, found.TotalIsAtLeast));
    }
}
