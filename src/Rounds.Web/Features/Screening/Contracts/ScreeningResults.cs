using Rounds.Screening;

namespace Rounds.Web.Features.Screening.Contracts;

public sealed record FindingDto(string Category, string Type, int? Start, int? End, string Severity, string Rule, string Message, string Suggestion);

public sealed record ScreenResultDto(string Verdict, IReadOnlyList<FindingDto> Findings);

/// <summary>The API spelling of a screening result, shared by every endpoint that screens text.</summary>
public static class ScreeningResults
{
    public static ScreenResultDto ToDto(ScreeningResult result) => new(
        ScreeningNames.Of(result.Verdict),
        result.Findings.Select(f => new FindingDto(ScreeningNames.Of(f.Category), f.Type, f.Start, f.End, ScreeningNames.Of(f.Severity), f.Rule, f.Message, f.Suggestion)).ToList());
}
