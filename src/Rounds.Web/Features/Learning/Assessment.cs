namespace Rounds.Web.Features.Learning;

public enum ModuleState
{
    NotStarted,
    InProgress,
    Passed,
    Failed,
}

public sealed record AssessmentResult(int Right, int Total, int Score, int PassMark, bool Passed);

/// <summary>
/// Scoring and attempt rules of a module's assessment. A question counts as right only when exactly its right
/// choices are picked: picking every box of a "select all that apply" question earns nothing.
/// </summary>
public static class Assessment
{
    public static AssessmentResult Score(IReadOnlyList<Question> questions, IReadOnlyDictionary<Guid, IReadOnlySet<int>> picked, int passMark)
    {
        var right = questions.Count(q => picked.TryGetValue(q.Id, out var choices) && choices.SetEquals(q.Correct));
        // Whole percentages, rounded down, so that "80%" never passes someone at 79.9%.
        var score = questions.Count == 0 ? 0 : right * 100 / questions.Count;
        return new AssessmentResult(right, questions.Count, score, passMark, score >= passMark);
    }

    /// <summary>Why another attempt is not allowed, or null when it is.</summary>
    public static string? RefuseAttempt(bool passed, int attemptsUsed, int? attemptLimit)
    {
        if (passed)
        {
            return "You have already passed this module.";
        }

        return attemptLimit is { } limit && attemptsUsed >= limit
            ? $"You have used all {limit} attempts at this assessment; ask an admin of your organization for help."
            : null;
    }

    /// <summary>Passed once any attempt passed; failed while the latest attempt failed; otherwise started or not.</summary>
    public static ModuleState State(bool started, IReadOnlyList<bool> attemptsInOrder) =>
        attemptsInOrder.Any(passed => passed) ? ModuleState.Passed
        : attemptsInOrder.Count > 0 ? ModuleState.Failed
        : started ? ModuleState.InProgress
        : ModuleState.NotStarted;

    public static string Label(ModuleState state) => state switch
    {
        ModuleState.NotStarted => "Not started",
        ModuleState.InProgress => "In progress",
        ModuleState.Passed => "Passed",
        ModuleState.Failed => "Not passed yet",
    };
}
