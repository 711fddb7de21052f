using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rounds.Web.Features.Learning;

public sealed record ModuleSummaryDto(Guid Id, string Key, string Title, int PassMark, int? AttemptLimit, decimal Credits, string State, int AttemptsUsed, bool Open, int SecondsSpent);

public sealed record CourseDto(Guid Id, string Key, string Title, string Summary, bool Sequential, decimal Credits, string CreditType, IReadOnlyList<ModuleSummaryDto> Modules);

public sealed record TranscriptDto(string? Degree, IReadOnlyList<PassedModule> Passed, IReadOnlyList<ClaimedCredit> Credits);

public sealed record CertificateDto(string Code, bool Valid, string LearnerName, string Degree, string Activity, string Issuer, DateOnly CompletedOn, decimal Credits, string CreditType, string Statement, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt, string? RevocationReason, string Course, string Provider);

public sealed record RequirementDto(string AccountKind, IReadOnlyList<string> ModuleKeys, bool IncludePlatformModule);

public sealed record RevokeRequest(string? Reason);

public static class LearningEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Administration unless an endpoint says that every member may use it.
        var org = api.MapGroup("/orgs/{org}").WithTags("Learning").RequireOrg(Role.Admin);
        org.MapGet("/courses", ListAsync).WithName("ListCourses").WithSummary("Courses with your state in each module.").RequireOrg(Role.Member);
        org.MapGet("/courses/{id:guid}", GetAsync).WithName("GetCourse").RequireOrg(Role.Member);
        org.MapGet("/courses/{id:guid}/export", ExportAsync).WithName("ExportCourse").WithSummary("The course as JSON, for import elsewhere (admins).");
        org.MapPost("/courses/import", ImportAsync).WithName("ImportCourse").WithSummary("Creates a course from an exported JSON file (admins).").Accepts<CourseDocument>("application/json");
        org.MapGet("/training-requirements", RequirementsAsync).WithName("ListTrainingRequirements").WithSummary("Modules required per account kind.").RequireOrg(Role.Member);
        org.MapPut("/training-requirements", SaveRequirementAsync).WithName("SetTrainingRequirement").WithSummary("Sets the modules one account kind requires (admins).");
        org.MapGet("/certificates/{id:guid}/pdf", PdfAsync).WithName("DownloadCertificate").WithSummary("Your certificate as PDF (admins: any of the organization's).").RequireOrg(Role.Member);
        org.MapPost("/certificates/{id:guid}/revoke", RevokeAsync).WithName("RevokeCertificate").WithSummary("Revokes a certificate (admins).");
        org.MapGet("/credits.csv", CreditsCsvAsync).WithName("ExportCredits").WithSummary("Credit claimed in a year, for the accreditor's report (admins).");
        api.MapGet("/me/transcript", TranscriptAsync).WithTags("Learning").WithName("MyTranscript");
        // Printed certificates are checked by people without an account, so this one answers anonymous callers too.
        api.MapGet("/certificates/{code}", VerifyAsync).WithTags("Learning").WithName("VerifyCertificate").AllowAnonymous();
    }

    public static async Task<Ok<List<CourseDto>>> ListAsync(OrgContext org, CourseCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.ListAsync(org, cancellationToken)).Select(ToDto).ToList());

    public static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> GetAsync(OrgContext org, Guid id, CourseCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(org, id, cancellationToken) is { } course
            ? TypedResults.Ok(ToDto(course))
            : TypedResults.Problem("No such course.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> ExportAsync(OrgContext org, Guid id, CourseEditor editor, CancellationToken cancellationToken) =>
        await editor.ExportAsync(org, id, cancellationToken) is { } document
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(document.ToJson()), "application/json", document.Key + ".json")
            : TypedResults.Problem("No such course.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> ImportAsync(OrgContext org, HttpRequest request, CourseEditor editor, CancellationToken cancellationToken)
    {
        // Read as text so that the file is validated by the same code as an import from the page.
        using var reader = new StreamReader(request.Body);
        var imported = await editor.ImportAsync(org, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        return imported.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/courses/{imported.Value!.Id}", new { imported.Value.Id, imported.Value.Key, imported.Value.Title })
            : imported.Status.ToProblem();
    }

    public static async Task<Ok<List<RequirementDto>>> RequirementsAsync(OrgContext org, TrainingRequirements requirements, CancellationToken cancellationToken) =>
        TypedResults.Ok((await requirements.ListAsync(org, cancellationToken)).Select(r => new RequirementDto(r.AccountKind, r.ModuleKeys, r.IncludePlatformModule)).ToList());

    public static async Task<IResult> SaveRequirementAsync(OrgContext org, RequirementDto request, TrainingRequirements requirements, CancellationToken cancellationToken) =>
        (await requirements.SaveAsync(org, request.AccountKind ?? "", request.ModuleKeys ?? [], request.IncludePlatformModule, cancellationToken)).ToProblem();

    public static async Task<IResult> PdfAsync(OrgContext org, Guid id, HttpRequest request, Certificates certificates, CancellationToken cancellationToken)
    {
        var certificate = await certificates.ForDownloadAsync(org, id, cancellationToken);
        if (certificate is null)
        {
            return TypedResults.Problem("No such certificate.", statusCode: StatusCodes.Status404NotFound);
        }

        var verifyUrl = $"{request.Scheme}://{request.Host}/verify/{IssueCertificate.DisplayCode(certificate.Code)}";
        return TypedResults.File(CertificatePdf.Render(certificate, verifyUrl), "application/pdf", $"certificate-{certificate.Code}.pdf");
    }

    public static async Task<IResult> RevokeAsync(OrgContext org, Guid id, RevokeRequest? body, RevokeCertificate revoke, CancellationToken cancellationToken) =>
        (await revoke.RunAsync(org, id, body?.Reason, cancellationToken)).ToProblem();

    public static async Task<IResult> CreditsCsvAsync(OrgContext org, int? year, CreditReport report, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reportYear = year is >= 2000 and <= 2200 ? year.Value : clock.GetUtcNow().Year;
        var csv = await report.CsvAsync(org, reportYear, cancellationToken);
        return TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv", $"credits-{org.Organization.Slug}-{reportYear}.csv");
    }

    public static async Task<Ok<TranscriptDto>> TranscriptAsync(ClaimsPrincipal user, Transcript transcript, CancellationToken cancellationToken)
    {
        var view = await transcript.LoadAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, null, cancellationToken);
        return TypedResults.Ok(new TranscriptDto(view.Profile?.Degree, view.Passed, view.Credits));
    }

    public static async Task<Results<Ok<CertificateDto>, ProblemHttpResult>> VerifyAsync(string code, Certificates certificates, CancellationToken cancellationToken)
    {
        if (code.Length > 20 || await certificates.ByCodeAsync(code, cancellationToken) is not { } c)
        {
            return TypedResults.Problem("No certificate has this code.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(new CertificateDto(IssueCertificate.DisplayCode(c.Code), c.IsValid, c.LearnerName, c.Degree, c.ActivityTitle, c.IssuerName, c.CompletedOn, CreditRules.Normalize(c.Credits), c.CreditType, c.Statement, c.IssuedAt, c.RevokedAt, c.RevocationReason, c.CourseTitle, c.ProviderName));
    }

    private static CourseDto ToDto(CourseView view) => new(
        view.Course.Id, view.Course.Key, view.Course.Title, view.Course.Summary, view.Course.Sequential, CreditRules.Normalize(view.Course.Credit.MaximumCredits), view.Course.Credit.CreditType,
        view.Modules.Select(m => new ModuleSummaryDto(m.Module.Id, m.Module.Key, m.Module.Title, m.Module.PassMark, m.Module.AttemptLimit, CreditRules.Normalize(m.Module.Credit.MaximumCredits), m.State.ToString(), m.AttemptsUsed, m.Open, m.SecondsSpent)).ToList());
}
