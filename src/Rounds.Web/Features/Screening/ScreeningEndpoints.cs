using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Rounds.Screening;

namespace Rounds.Web.Features.Screening;

public sealed record ScreenAccount(string? Kind);

public sealed record ScreenRequest(
    [property: Required, MaxLength(ScreeningEndpoints.MaxTextLength)] string Text,
    ScreenAccount? Account,
    [property: MaxLength(2_000)] string? Bio,
    string? Profile);

public static class ScreeningEndpoints
{
    /// <summary>Longer than any network allows (Facebook: 63,206); screening stays fast at this size.</summary>
    public const int MaxTextLength = 100_000;

    public static void Map(RouteGroupBuilder api)
    {
        var org = api.MapGroup("/orgs/{org}").WithTags("Screening").RequireOrg(Role.Reviewer);
        org.MapPost("/screen", ScreenAsync).WithName("ScreenPost").RequireOrg(Role.Contributor)
            .WithSummary("Screens a post for patient information and policy risks with the organization's rules (contributors and up).");
        org.MapGet("/screening/rules", GetRulesAsync).WithName("GetScreeningRules").WithSummary("The screening rules in force (reviewers and up).");
        org.MapPut("/screening/rules", PutRulesAsync).WithName("PutScreeningRules").Accepts<JsonElement>("application/json")
            .WithSummary("Replaces the rules; invalid rules are refused with the JSON path of each error (reviewers and up).");
        org.MapDelete("/screening/rules", ResetRulesAsync).WithName("ResetScreeningRules").WithSummary("Returns to the default rules.");
    }

    public static async Task<Results<Ok<ScreenResultDto>, ValidationProblem>> ScreenAsync(
        OrgContext org, ScreenRequest request, ScreeningRules rules, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ScreeningNames.TryParseKind(request.Account?.Kind, out var kind))
        {
            errors["account.kind"] = ["Use one of: enterprise, department, program, personal, branded."];
        }

        if (!ScreeningNames.TryParseProfile(request.Profile, out var profile))
        {
            errors["profile"] = ["Use social or strict."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await rules.ScreenAsync(org.Id, new Post(request.Text, kind, request.Bio), profile, cancellationToken);
        return TypedResults.Ok(ScreeningResults.ToDto(result));
    }

    public static async Task<ContentHttpResult> GetRulesAsync(OrgContext org, ScreeningRules rules, CancellationToken cancellationToken) =>
        TypedResults.Content(await rules.EffectiveJsonAsync(org.Id, cancellationToken), "application/json");

    public static async Task<IResult> PutRulesAsync(OrgContext org, HttpRequest http, ScreeningRules rules, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var outcome = await rules.SaveAsync(org, json, cancellationToken);
        return outcome.Succeeded ? TypedResults.Content(await rules.EffectiveJsonAsync(org.Id, cancellationToken), "application/json") : outcome.ToProblem();
    }

    public static async Task<IResult> ResetRulesAsync(OrgContext org, ScreeningRules rules, CancellationToken cancellationToken) =>
        (await rules.ResetAsync(org, cancellationToken)).ToProblem();
}
