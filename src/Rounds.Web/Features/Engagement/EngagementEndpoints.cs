using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rounds.Web.Features.Engagement;

public sealed record PhysicianDto(Guid Id, string Npi, string Name, string Credentials, string Department, string Specialty, string Email, DateOnly? StartDate, DateOnly? EndDate);

public sealed record EndPhysicianRequest(DateOnly? EndDate);

public sealed record ProfileDto(string Network, string State, string Handle, bool Personal, string Evidence, int? Confidence, string Note, string ChangedBy, DateTimeOffset? ChangedAt);

public sealed record MyRecordDto(PhysicianDto Physician, IReadOnlyList<ProfileDto> Profiles);

public sealed record EngagementSettingsDto(bool ExcludePersonalAccounts);

public static class EngagementEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/engagement").WithTags("Engagement").RequireOrg(Roster.ViewRole);
        group.MapGet("/physicians", ListAsync).WithName("ListPhysicians").WithSummary("The roster a page at a time in (name, NPI) order; ?department= and ?search= (name or NPI start) narrow it, ?includeLeft=true adds physicians who have left, ?after= is the cursor from the Link header.");
        group.MapGet("/physicians/{physicianId:guid}", GetAsync).WithName("GetPhysician");
        group.MapGet("/physicians/export", ExportAsync).WithName("ExportPhysicians").WithSummary("The whole roster as CSV, in the columns the import reads.");
        group.MapPost("/physicians/import", ImportAsync).WithName("ImportPhysicians")
            .WithSummary("Imports a roster (CSV or XLSX body), matched on NPI; ?dryRun=true returns the preview only. A file with any invalid row changes nothing (admins).");
        group.MapPost("/physicians/{physicianId:guid}/end", EndAsync).WithName("EndPhysician").WithSummary("Records the day a physician left; the record is kept (admins).");
        group.MapGet("/physicians/{physicianId:guid}/profiles", ProfilesAsync).WithName("ListPhysicianProfiles").WithSummary("One row per network with its state: confirmed, suggested, none or unknown.");
        group.MapPut("/physicians/{physicianId:guid}/profiles/{network}", SetProfileAsync).WithName("SetPhysicianProfile")
            .WithSummary("Records a verified profile (state confirmed with handle and note), a verified absence (none, with note) or unknown (admins).");
        group.MapPost("/physicians/{physicianId:guid}/profiles/{network}/suggestion", SuggestAsync).WithName("SuggestPhysicianProfile")
            .WithSummary("Records a profile found automatically, with evidence and confidence; never replaces a confirmed state (admins).");
        group.MapPost("/snapshots", SnapshotAsync).WithName("TakeEngagementSnapshot").WithSummary("Takes this week's snapshot now, replacing the week's rows (admins).");
        group.MapGet("/snapshots/progress", ProgressAsync).WithName("EngagementSnapshotProgress")
            .WithSummary("The latest snapshot run: its week, whether it is running, and per network the physicians done of the total and the profiles read or unreadable.");
        group.MapGet("/snapshots.csv", SnapshotsCsvAsync).WithName("ExportEngagementSnapshots").WithSummary("Every snapshot row, raw: the dashboard is computed from these alone.");
        group.MapGet("/dashboard", DashboardAsync).WithName("EngagementDashboard").WithSummary("Figures per week, department (null: all) and network, for the last ?weeks= weeks (default 12).");
        group.MapGet("/dashboard/physicians", DrillAsync).WithName("EngagementDrillDown").WithSummary("The physicians behind a figure: ?week=&network=&measure=confirmed|active|video|mutual|no_disclaimer[&department=].");
        group.MapGet("/report.pdf", ReportAsync).WithName("EngagementLeadershipReport")
            .WithSummary("The dashboard's week on one printable page: ?week=YYYY-MM-DD (default the latest) and ?network= (default bluesky) for the department table.");
        group.MapGet("/settings", SettingsAsync).WithName("GetEngagementSettings");
        group.MapPut("/settings", SaveSettingsAsync).WithName("SetEngagementSettings").WithSummary("excludePersonalAccounts: personal profiles are not read or counted (admins).");
        group.MapGet("/me", MeAsync).WithName("MyPhysicianRecord").WithSummary("Everything stored about the signed-in physician (matched by confirmed email).").RequireOrg(Role.Member);
        group.MapPut("/me/profiles/{network}", ClaimAsync).WithName("ClaimMyProfile").WithSummary("The signed-in physician claims a profile (handle) or says there is none (noProfile).").RequireOrg(Role.Member);
    }

    /// <summary>A page of the roster in (name, NPI) order; the next page's address is in the Link header (and its cursor in X-Next-Cursor).</summary>
    public static async Task<IResult> ListAsync(
        OrgContext org, string? department, bool? includeLeft, string? search, string? after, Roster roster, HttpContext http, CancellationToken cancellationToken)
    {
        RosterCursor? cursor = null;
        if (after is not null && !RosterCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var page = await roster.PageAsync(org, new RosterFilter(department, includeLeft == true, search), cursor, cancellationToken: cancellationToken);
        if (page.Next is { } next)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            query["after"] = next.ToString();
            var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.Path, query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
            http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
            http.Response.Headers["X-Next-Cursor"] = next.ToString();
        }

        return TypedResults.Ok(page.Items.Select(ToDto).ToList());
    }

    public static async Task<Results<Ok<PhysicianDto>, ProblemHttpResult>> GetAsync(OrgContext org, Guid physicianId, Roster roster, CancellationToken cancellationToken) =>
        await roster.FindAsync(org, physicianId, cancellationToken) is { } physician
            ? TypedResults.Ok(ToDto(physician))
            : TypedResults.Problem("No such physician.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> ExportAsync(OrgContext org, Roster roster, CancellationToken cancellationToken)
    {
        var physicians = await roster.ListAsync(org, new RosterFilter(IncludeLeft: true), cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(Roster.Csv(physicians)), "text/csv; charset=utf-8", $"{org.Organization.Slug}-physicians.csv");
    }

    public static async Task<IResult> ImportAsync(OrgContext org, bool? dryRun, HttpRequest http, RosterImport import, CancellationToken cancellationToken)
    {
        if (http.ContentLength > RosterFile.MaxBytes)
        {
            return Outcome.Invalid("File", $"A roster file has at most {RosterFile.MaxBytes / 1024 / 1024} MB.").ToProblem();
        }

        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, cancellationToken);
        var result = dryRun == true
            ? await import.PreviewAsync(org, buffer.ToArray(), cancellationToken)
            : await import.ImportAsync(org, buffer.ToArray(), cancellationToken);
        if (result.Succeeded)
        {
            return TypedResults.Ok(result.Value);
        }

        // A refused import still says which rows were wrong, so the caller need not preview first.
        return result.Value is { } rows
            ? TypedResults.ValidationProblem(result.Status.Errors.ToDictionary(), title: "The roster was not imported.", extensions: new Dictionary<string, object?> { ["rows"] = rows.Lines.Where(l => l.Errors.Count > 0).Take(500).ToList() })
            : result.Status.ToProblem();
    }

    public static async Task<IResult> EndAsync(OrgContext org, Guid physicianId, EndPhysicianRequest request, Roster roster, CancellationToken cancellationToken) =>
        (await roster.EndAsync(org, physicianId, request.EndDate, cancellationToken)).ToProblem();

    public static async Task<IResult> ProfilesAsync(OrgContext org, Guid physicianId, Roster roster, PhysicianProfiles profiles, CancellationToken cancellationToken) =>
        await roster.FindAsync(org, physicianId, cancellationToken) is null
            ? TypedResults.Problem("No such physician.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok((await profiles.ListAsync(org.Id, physicianId, cancellationToken)).Select(ToDto).ToList());

    public static async Task<IResult> SetProfileAsync(OrgContext org, Guid physicianId, string network, ProfileInput request, PhysicianProfiles profiles, CancellationToken cancellationToken) =>
        (await profiles.SetAsync(org, physicianId, network, request, cancellationToken)).ToProblem();

    public static async Task<IResult> SuggestAsync(OrgContext org, Guid physicianId, string network, SuggestionInput request, PhysicianProfiles profiles, CancellationToken cancellationToken) =>
        (await profiles.SuggestAsync(org, physicianId, network, request, cancellationToken)).ToProblem();

    public static async Task<IResult> MeAsync(OrgContext org, PhysicianProfiles profiles, CancellationToken cancellationToken) =>
        await profiles.MeAsync(org, cancellationToken) is { } me
            ? TypedResults.Ok(new MyRecordDto(ToDto(me), (await profiles.ListAsync(org.Id, me.Id, cancellationToken)).Select(ToDto).ToList()))
            : TypedResults.Problem("Your confirmed email address is not on this organization's physician roster.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> ClaimAsync(OrgContext org, string network, ClaimInput request, PhysicianProfiles profiles, CancellationToken cancellationToken) =>
        (await profiles.ClaimAsync(org, network, request, cancellationToken)).ToProblem();

    public static async Task<IResult> SnapshotAsync(OrgContext org, TakeSnapshot snapshot, CancellationToken cancellationToken)
    {
        var result = await snapshot.RunAsync(org, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Status.ToProblem();
    }

    public static async Task<IResult> ProgressAsync(OrgContext org, TakeSnapshot snapshot, CancellationToken cancellationToken) =>
        await snapshot.ProgressAsync(org.Id, cancellationToken) is { } progress
            ? TypedResults.Ok(progress)
            : TypedResults.Problem("No snapshot has been taken yet.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> SnapshotsCsvAsync(OrgContext org, EngagementFigures figures, CancellationToken cancellationToken) =>
        TypedResults.File(Encoding.UTF8.GetBytes(await figures.CsvAsync(org.Id, cancellationToken)), "text/csv; charset=utf-8", $"{org.Organization.Slug}-engagement-snapshots.csv");

    public static async Task<IResult> DashboardAsync(OrgContext org, int? weeks, EngagementFigures figures, CancellationToken cancellationToken)
    {
        var count = weeks is > 0 and <= 520 ? weeks.Value : 12;
        var chosen = await figures.WeeksAsync(org.Id, count, cancellationToken);
        return TypedResults.Ok(await figures.ComputeAsync(org.Id, chosen, cancellationToken));
    }

    public static async Task<IResult> DrillAsync(OrgContext org, DateOnly? week, string? network, string? measure, string? department, EngagementFigures figures, CancellationToken cancellationToken)
    {
        // Optional in the signature so that a caller without access hears 404 or 403, not which parameters are missing.
        if (week is null)
        {
            return Outcome.Invalid("week", "Give the week as YYYY-MM-DD (its Monday).").ToProblem();
        }

        if (PhysicianProfiles.ParseNetwork(network) is not { } platform)
        {
            return Outcome.Invalid("network", $"Unknown network '{network}'.").ToProblem();
        }

        if (!Rounds.Web.Features.Accounts.Contracts.AccountNames.TryParse<EngagementMeasure>(measure, out var chosen))
        {
            return Outcome.Invalid("measure", "Use confirmed, active, video, mutual or no_disclaimer.").ToProblem();
        }

        return TypedResults.Ok(await figures.DrillAsync(org.Id, week.Value, platform, string.IsNullOrWhiteSpace(department) ? null : department, chosen, cancellationToken));
    }

    public static async Task<IResult> ReportAsync(OrgContext org, string? week, string? network, EngagementFigures figures, CancellationToken cancellationToken)
    {
        DateOnly? chosen = null;
        if (!string.IsNullOrEmpty(week))
        {
            if (!DateOnly.TryParseExact(week, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                return Outcome.Invalid("week", "Give the week as YYYY-MM-DD (its Monday).").ToProblem();
            }

            chosen = day;
        }

        if ((string.IsNullOrEmpty(network) ? Rounds.Web.Features.Accounts.Contracts.Platform.Bluesky : PhysicianProfiles.ParseNetwork(network)) is not { } platform)
        {
            return Outcome.Invalid("network", $"Unknown network '{network}'.").ToProblem();
        }

        var report = await figures.ReportAsync(org.Id, org.Organization.Name, chosen, platform, cancellationToken);
        if (report is null)
        {
            return TypedResults.Problem(chosen is null ? "No snapshot has been taken yet." : "There is no snapshot for that week in the dashboard's period.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.File(LeadershipReportPdf.Render(report), "application/pdf", $"{org.Organization.Slug}-engagement-{LeadershipReport.Day(report.Week)}.pdf");
    }

    public static async Task<Ok<EngagementSettingsDto>> SettingsAsync(OrgContext org, EngagementOptions options, CancellationToken cancellationToken) =>
        TypedResults.Ok(new EngagementSettingsDto((await options.GetAsync(org.Id, cancellationToken)).ExcludePersonalAccounts));

    public static async Task<IResult> SaveSettingsAsync(OrgContext org, EngagementSettingsDto request, EngagementOptions options, CancellationToken cancellationToken) =>
        (await options.SetExcludePersonalAsync(org, request.ExcludePersonalAccounts, cancellationToken)).ToProblem();

    internal static ProfileDto ToDto(ProfileView v) => new(
        Rounds.Web.Features.Accounts.Contracts.AccountNames.Key(v.Network), v.State.ToString().ToLowerInvariant(), v.Stored?.Handle ?? "", v.Stored?.Personal ?? false,
        v.Stored?.Evidence ?? "", v.Stored?.Confidence, v.Stored?.Note ?? "", v.Stored?.ChangedBy ?? "", v.Stored?.ChangedAt);

    internal static PhysicianDto ToDto(Physician p) => new(p.Id, p.Npi, p.Name, p.Credentials, p.Department, p.Specialty, p.Email, p.StartDate, p.EndDate);
}
