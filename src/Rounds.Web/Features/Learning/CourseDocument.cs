using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// A course as a JSON file: what an admin exports and imports, and the form in which Rounds ships its own
/// course. Ids are left out, so a file can be imported into any organization.
/// </summary>
public sealed record CourseDocument(
    string Format,
    string Key,
    string Title,
    string Summary,
    bool Sequential,
    CreditDocument Credit,
    IReadOnlyList<ModuleDocument> Modules)
{
    public const string CurrentFormat = "rounds-course/1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a file; a syntax error or a missing part becomes a message for the person importing.</summary>
    public static (CourseDocument? Document, string? Error) Parse(string json)
    {
        try
        {
            var document = JsonSerializer.Deserialize<CourseDocument>(json, Json);
            return document is null ? (null, "The file is empty.") : (document, document.Check());
        }
        catch (JsonException e)
        {
            return (null, "The file is not a course: " + e.Message);
        }
    }

    public static CourseDocument From(Course course) => new(
        CurrentFormat,
        course.Key,
        course.Title,
        course.Summary,
        course.Sequential,
        CreditDocument.From(course.Credit),
        course.Modules.OrderBy(m => m.Position).Select(m => new ModuleDocument(
            m.Key,
            m.Title,
            m.Summary,
            m.PassMark,
            m.AttemptLimit,
            CreditDocument.From(m.Credit),
            m.Lessons.OrderBy(l => l.Position).Select(l => new LessonDocument(l.Title, l.Markdown)).ToList(),
            m.Questions.OrderBy(q => q.Position).Select(q => new QuestionDocument(
                q.Text, q.Choices.Select((text, index) => new ChoiceDocument(text, q.Correct.Contains(index))).ToList())).ToList())).ToList());

    public Course ToCourse(Guid organizationId, DateTimeOffset now)
    {
        var course = new Course { OrganizationId = organizationId, Key = Key, Title = Title, Summary = Summary, Sequential = Sequential, Credit = Credit.ToDesignation(), UpdatedAt = now };
        var position = 0;
        foreach (var m in Modules)
        {
            var module = new Module
            {
                OrganizationId = organizationId, CourseId = course.Id, Key = m.Key, Title = m.Title, Summary = m.Summary, Position = position++,
                PassMark = m.PassMark, AttemptLimit = m.AttemptLimit, Credit = m.Credit.ToDesignation(),
            };
            module.Lessons.AddRange(m.Lessons.Select((l, i) => new Lesson { OrganizationId = organizationId, ModuleId = module.Id, Position = i, Title = l.Title, Markdown = l.Markdown }));
            module.Questions.AddRange(m.Questions.Select((q, i) => new Question
            {
                OrganizationId = organizationId, ModuleId = module.Id, Position = i, Text = q.Text,
                Choices = q.Choices.Select(c => c.Text).ToList(),
                Correct = q.Choices.Select((c, index) => (c, index)).Where(x => x.c.Correct).Select(x => x.index).ToList(),
            }));
            course.Modules.Add(module);
        }

        return course;
    }

    private string? Check()
    {
        if (Format != CurrentFormat)
        {
            return $"Unknown format '{Format}'; expected '{CurrentFormat}'.";
        }

        if (string.IsNullOrWhiteSpace(Key) || string.IsNullOrWhiteSpace(Title) || Modules is null || Credit is null)
        {
            return "A course needs a key, a title, a credit designation and a list of modules.";
        }

        var problems = Modules.Select(m => CourseRules.CheckModule(m.Key, m.Title, m.PassMark, m.AttemptLimit)
                ?? CourseRules.CheckCredit(m.Credit?.Amount)
                ?? (m.Lessons is null || m.Questions is null ? $"Module '{m.Key}' needs lists of lessons and questions." : null)
                ?? m.Questions!.Select(q => CourseRules.CheckQuestion(q.Text, q.Choices?.Select(c => c.Text).ToList() ?? [], q.Choices?.Select((c, i) => (c, i)).Where(x => x.c.Correct).Select(x => x.i).ToList() ?? [])).FirstOrDefault(p => p is not null))
            .FirstOrDefault(p => p is not null);
        if (problems is not null)
        {
            return problems;
        }

        if (Modules.Select(m => m.Credit).Prepend(Credit).Any(c => c.Provider?.Trim().Length > 200))
        {
            return "An accredited provider's name has at most 200 characters.";
        }

        return Modules.Select(m => m.Key).Distinct().Count() != Modules.Count ? "Two modules have the same key." : CourseRules.CheckCredit(Credit.Amount);
    }
}

/// <param name="Provider">The accredited provider; left out of a file for a course that no provider has designated yet.</param>
public sealed record CreditDocument(string Type, decimal Amount, string Statement, DateOnly? ReleasedOn, DateOnly? ExpiresOn, string? Provider = null)
{
    public static CreditDocument From(CreditDesignation d) =>
        new(d.CreditType, CreditRules.Normalize(d.MaximumCredits), d.Statement, d.ReleasedOn, d.ExpiresOn, string.IsNullOrEmpty(d.Provider) ? null : d.Provider);

    public CreditDesignation ToDesignation() => new()
    {
        CreditType = Type ?? "", MaximumCredits = CreditRules.Normalize(Amount), Statement = Statement ?? "", Provider = Provider?.Trim() ?? "", ReleasedOn = ReleasedOn, ExpiresOn = ExpiresOn,
    };
}

public sealed record ModuleDocument(
    string Key,
    string Title,
    string Summary,
    int PassMark,
    int? AttemptLimit,
    CreditDocument Credit,
    IReadOnlyList<LessonDocument> Lessons,
    IReadOnlyList<QuestionDocument> Questions);

public sealed record LessonDocument(string Title, string Markdown);

public sealed record QuestionDocument(string Text, IReadOnlyList<ChoiceDocument> Choices);

public sealed record ChoiceDocument(string Text, bool Correct);
