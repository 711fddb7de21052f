using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rounds.Web.Features.Membership;

[JsonConverter(typeof(JsonStringEnumConverter<QuestionKind>))]
public enum QuestionKind
{
    /// <summary>A line of text: dietary needs, a badge name.</summary>
    Text = 0,

    /// <summary>One of a list: which track.</summary>
    Choice = 1,

    /// <summary>Yes or no.</summary>
    YesNo = 2,
}

/// <summary>A question an event asks at registration; <paramref name="Key"/> names it in the answers and the API.</summary>
public sealed record RegistrationQuestion(string Key, string Label, QuestionKind Kind, bool Required, IReadOnlyList<string> Options);

/// <param name="Kind"><c>text</c>, <c>choice</c> or <c>yes_no</c>.</param>
public sealed record QuestionInput(string? Label, string? Kind, bool? Required, IReadOnlyList<string>? Options);

/// <summary>
/// The questions an event asks its registrants, as data on the event, and the checking of answers against them.
/// Answers are checked in full before anything is saved, so a registration with a wrong answer leaves no seat
/// taken and no order behind.
/// </summary>
public static class RegistrationQuestions
{
    public const int MaxQuestions = 10;

    public const int MaxAnswerLength = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<RegistrationQuestion> Read(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<RegistrationQuestion>>(json, Json) ?? [];

    public static string Write(IReadOnlyList<RegistrationQuestion> questions) => JsonSerializer.Serialize(questions, Json);

    public static IReadOnlyDictionary<string, string> ReadAnswers(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? [];

    public static string WriteAnswers(IReadOnlyDictionary<string, string> answers) => JsonSerializer.Serialize(answers, Json);

    /// <summary>Checks the questions an admin sets on an event; each gets the key <c>q1</c>, <c>q2</c>… in the order given.</summary>
    public static Outcome<IReadOnlyList<RegistrationQuestion>> Parse(IReadOnlyList<QuestionInput>? input)
    {
        if (input is null || input.Count == 0)
        {
            return new Outcome<IReadOnlyList<RegistrationQuestion>>(Outcome.Success, []);
        }

        if (input.Count > MaxQuestions)
        {
            return Outcome.Invalid("Questions", $"An event asks at most {MaxQuestions} questions.");
        }

        var questions = new List<RegistrationQuestion>();
        foreach (var (question, index) in input.Select((q, i) => (q, i)))
        {
            var label = question.Label?.Trim() ?? "";
            if (label.Length is 0 or > 200 || label.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(label) is not null)
            {
                return Outcome.Invalid("Questions", $"Question {index + 1} needs a wording of up to 200 characters on one line.");
            }

            QuestionKind? kind = question.Kind?.Trim().ToLowerInvariant() switch
            {
                "text" => QuestionKind.Text,
                "choice" => QuestionKind.Choice,
                "yes_no" => QuestionKind.YesNo,
                _ => null,
            };
            if (kind is null)
            {
                return Outcome.Invalid("Questions", $"Question {index + 1} is text, choice or yes_no.");
            }

            var options = (question.Options ?? []).Select(o => o?.Trim() ?? "").ToList();
            if (kind == QuestionKind.Choice && (options.Count is < 2 or > 20 || options.Any(o => o.Length is 0 or > 100 || TextRules.FirstRefused(o) is not null)
                || options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count))
            {
                return Outcome.Invalid("Questions", $"Question {index + 1} offers from 2 to 20 different choices of up to 100 characters each.");
            }

            questions.Add(new RegistrationQuestion($"q{index + 1}", label, kind.Value, question.Required ?? false, kind == QuestionKind.Choice ? options : []));
        }

        return new Outcome<IReadOnlyList<RegistrationQuestion>>(Outcome.Success, questions);
    }

    /// <summary>
    /// Checks a registrant's answers against the event's questions and returns them as stored: choices in the
    /// event's own wording, yes/no as <c>yes</c> or <c>no</c>, empty answers left out. Each wrong answer is reported
    /// under <c>Answers.{key}</c> with the question it belongs to.
    /// </summary>
    public static Outcome<IReadOnlyDictionary<string, string>> Check(IReadOnlyList<RegistrationQuestion> questions, IReadOnlyDictionary<string, string?>? answers)
    {
        answers ??= new Dictionary<string, string?>();
        var errors = new Dictionary<string, string[]>();
        if (answers.Keys.FirstOrDefault(k => questions.All(q => q.Key != k)) is { } unknown)
        {
            errors[$"Answers.{unknown}"] = ["This event asks no such question."];
        }

        var stored = new Dictionary<string, string>();
        foreach (var question in questions)
        {
            var answer = answers.GetValueOrDefault(question.Key)?.Trim() ?? "";
            if (answer.Length == 0)
            {
                if (question.Required)
                {
                    errors[$"Answers.{question.Key}"] = [$"Answer \"{question.Label}\"."];
                }

                continue;
            }

            switch (question.Kind)
            {
                case QuestionKind.Text when answer.Length > MaxAnswerLength || TextRules.FirstRefused(answer) is not null:
                    errors[$"Answers.{question.Key}"] = [$"Answer \"{question.Label}\" in up to {MaxAnswerLength} characters of plain text."];
                    break;
                case QuestionKind.Text:
                    stored[question.Key] = answer;
                    break;
                case QuestionKind.Choice when question.Options.FirstOrDefault(o => string.Equals(o, answer, StringComparison.OrdinalIgnoreCase)) is { } option:
                    stored[question.Key] = option;
                    break;
                case QuestionKind.Choice:
                    errors[$"Answers.{question.Key}"] = [$"For \"{question.Label}\", choose one of: {string.Join(", ", question.Options)}."];
                    break;
                case QuestionKind.YesNo when answer.ToLowerInvariant() is "yes" or "no":
                    stored[question.Key] = answer.ToLowerInvariant();
                    break;
                case QuestionKind.YesNo:
                    errors[$"Answers.{question.Key}"] = [$"Answer \"{question.Label}\" with yes or no."];
                    break;
            }
        }

        return errors.Count > 0
            ? new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0])
            : new Outcome<IReadOnlyDictionary<string, string>>(Outcome.Success, stored);
    }
}
