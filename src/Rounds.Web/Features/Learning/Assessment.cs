namespace Rounds.Web.Features.Learning;

public enum ModuleState
{
    NotStarted,
    InProgress,
    Passed,
    Failed,
}

/// <param name="Wrong">The numbers (from 1, in the order shown) of the questions answered wrongly; never the right answers.</param>
public sealed record AssessmentResult(int Right, int Total, int Score, int PassMark, bool Passed, IReadOnlyList<int> Wrong);

/// <summary>
/// Scoring and attempt rules of a module's assessment. A question counts as right only when exactly its right
/// choices are picked: picking every box of a "select all that apply" question earns nothing.
/// </summary>
public static class Assessment
{
    public static AssessmentResult Score(IReadOnlyList<Question> questions, IReadOnlyDictionary<Guid, IReadOnlySet<int>> picked, int passMark)
    {
        var ordered = questions.OrderBy(q => q.Position).ToList();
        var wrong = ordered.Select((q, i) => (q, Number: i + 1))
            .Where(x => !(picked.TryGetValue(x.q.Id, out var choices) && choices.SetEquals(x.q.Correct)))
            .Select(x => x.Number).ToList();
        var right = ordered.Count - wrong.Count;
        // Whole percentages, rounded down, so that "80%" never passes someone at 79.9%.
        var score = ordered.Count == 0 ? 0 : right * 100 / ordered.Count;
        return new AssessmentResult(right, ordered.Count, score, passMark, score >= passMark, wrong);
    }

    /// <summary>The numbers (from 1, in the order shown) of the questions with no choice picked.</summary>
    public static IReadOnlyList<int> Blank(IReadOnlyList<Question> questions, IReadOnlyDictionary<Guid, IReadOnlySet<int>> picked) =>
        questions.OrderBy(q => q.Position).Select((q, i) => (q, Number: i + 1))
            .Where(x => !picked.TryGetValue(x.q.Id, out var choices) || choices.Count == 0)
            .Select(x => x.Number).ToList();

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
