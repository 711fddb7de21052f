using System.Text.RegularExpressions;

namespace Rounds.Web.Features.Learning;

/// <summary>What makes a course, module or question well formed; shared by the editor and the importer.</summary>
public static partial class CourseRules
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    public static partial Regex KeyPattern();

    public static string? CheckModule(string? key, string? title, int passMark, int? attemptLimit)
    {
        if (key is null || !KeyPattern().IsMatch(key))
        {
            return $"Module key '{key}': use lower-case letters, digits and hyphens.";
        }

        if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
        {
            return $"Module '{key}' needs a title of 1 to 200 characters.";
        }

        if (passMark is < 1 or > 100)
        {
            return $"Module '{key}': the pass mark is a percentage from 1 to 100.";
        }

        return attemptLimit is < 1 ? $"Module '{key}': the attempt limit is at least 1 (leave it empty for no limit)." : null;
    }

    public static string? CheckCredit(decimal? amount) =>
        amount is { } value && !CreditRules.IsValidAmount(value) ? "Credit amounts are zero or more, in steps of 0.25." : null;

    public static string? CheckQuestion(string? text, IReadOnlyList<string> choices, IReadOnlyList<int> correct)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "A question needs its text.";
        }

        if (choices.Count < 2 || choices.Any(string.IsNullOrWhiteSpace))
        {
            return $"\"{text}\" needs at least two non-empty choices.";
        }

        return correct.Count == 0 || correct.Any(i => i < 0 || i >= choices.Count) ? $"\"{text}\" needs at least one right choice among its choices." : null;
    }
}
