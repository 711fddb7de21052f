using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

public sealed record CourseFields(string? Title, string? Summary, bool Sequential, string? CreditType, decimal CreditAmount, string? Statement, DateOnly? ReleasedOn, DateOnly? ExpiresOn, string? Provider = null);

public sealed record ModuleFields(string? Title, string? Summary, int PassMark, int? AttemptLimit, string? CreditType, decimal CreditAmount, string? Statement, DateOnly? ReleasedOn, DateOnly? ExpiresOn, string? Provider = null);

/// <summary>
/// Admins write and change courses: course, modules, lessons, questions, and whole courses as JSON. Every change
/// is audited. Certificates already issued keep their own copy of what they certify, so edits never reach them.
/// </summary>
public sealed class CourseEditor(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public Task<Course?> LoadAsync(OrgContext org, Guid courseId, CancellationToken cancellationToken = default) =>
        db.Set<Course>().Where(c => c.Id == courseId && c.OrganizationId == org.Id)
            .Include(c => c.Modules).ThenInclude(m => m.Lessons)
            .Include(c => c.Modules).ThenInclude(m => m.Questions)
            .AsSplitQuery().FirstOrDefaultAsync(cancellationToken);

    public Task<Module?> LoadModuleAsync(OrgContext org, Guid moduleId, CancellationToken cancellationToken = default) =>
        db.Set<Module>().Where(m => m.Id == moduleId && m.OrganizationId == org.Id)
            .Include(m => m.Lessons).Include(m => m.Questions).AsSplitQuery().FirstOrDefaultAsync(cancellationToken);

    public async Task<Outcome<Course>> CreateAsync(OrgContext org, string? key, string? title, CancellationToken cancellationToken = default)
    {
        key = key?.Trim().ToLowerInvariant() ?? "";
        if (!CourseRules.KeyPattern().IsMatch(key))
        {
            return Outcome.Invalid("Key", "Use lower-case letters, digits and hyphens, e.g. patient-stories.");
        }

        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > 200)
        {
            return Outcome.Invalid("Title", "Enter a title of 1 to 200 characters.");
        }

        if (await db.Set<Course>().AnyAsync(c => c.OrganizationId == org.Id && c.Key == key, cancellationToken))
        {
            return Outcome.Invalid("Key", $"A course with the key '{key}' exists already.");
        }

        var course = new Course { OrganizationId = org.Id, Key = key, Title = title.Trim(), UpdatedAt = clock.GetUtcNow() };
        db.Add(course);
        audit.Record(org.Id, "course.created", "Course", course.Id.ToString(), after: new { key, course.Title });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Course>(Outcome.Success, course);
    }

    public async Task<Outcome> UpdateCourseAsync(OrgContext org, Guid courseId, CourseFields fields, CancellationToken cancellationToken = default)
    {
        var course = await db.Set<Course>().FirstOrDefaultAsync(c => c.Id == courseId && c.OrganizationId == org.Id, cancellationToken);
        if (course is null)
        {
            return Outcome.NotFound;
        }

        if (string.IsNullOrWhiteSpace(fields.Title) || fields.Title.Trim().Length > 200)
        {
            return Outcome.Invalid("Title", "Enter a title of 1 to 200 characters.");
        }

        if (CheckCredit(fields.CreditAmount, fields.ReleasedOn, fields.ExpiresOn, fields.Provider) is { } invalid)
        {
            return invalid;
        }

        var before = Describe(course);
        course.Title = fields.Title.Trim();
        course.Summary = fields.Summary?.Trim() ?? "";
        course.Sequential = fields.Sequential;
        course.Credit = new CreditDesignation { CreditType = fields.CreditType?.Trim() ?? "", MaximumCredits = fields.CreditAmount, Statement = fields.Statement?.Trim() ?? "", Provider = fields.Provider?.Trim() ?? "", ReleasedOn = fields.ReleasedOn, ExpiresOn = fields.ExpiresOn };
        course.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, "course.updated", "Course", course.Id.ToString(), before, Describe(course));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome<Module>> AddModuleAsync(OrgContext org, Guid courseId, string? key, string? title, CancellationToken cancellationToken = default)
    {
        var course = await LoadAsync(org, courseId, cancellationToken);
        if (course is null)
        {
            return Outcome.NotFound;
        }

        key = key?.Trim().ToLowerInvariant();
        if (CourseRules.CheckModule(key, title?.Trim(), 80, null) is { } problem)
        {
            return Outcome.Invalid(problem.Contains("key", StringComparison.Ordinal) ? "Key" : "Title", problem);
        }

        if (course.Modules.Any(m => m.Key == key))
        {
            return Outcome.Invalid("Key", $"The course already has a module '{key}'.");
        }

        var module = new Module
        {
            OrganizationId = org.Id, CourseId = course.Id, Key = key!, Title = title!.Trim(), Position = course.Modules.Select(m => m.Position + 1).DefaultIfEmpty().Max(),
            Credit = course.Credit.Copy(),
        };
        module.Credit.MaximumCredits = 0;
        db.Add(module);
        Touch(org, course, "module.added", "Module", module.Id, null, new { module.Key, module.Title });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Module>(Outcome.Success, module);
    }

    public async Task<Outcome> UpdateModuleAsync(OrgContext org, Guid moduleId, ModuleFields fields, CancellationToken cancellationToken = default)
    {
        var module = await db.Set<Module>().FirstOrDefaultAsync(m => m.Id == moduleId && m.OrganizationId == org.Id, cancellationToken);
        if (module is null)
        {
            return Outcome.NotFound;
        }

        if (CourseRules.CheckModule(module.Key, fields.Title?.Trim(), fields.PassMark, fields.AttemptLimit) is { } problem)
        {
            return Outcome.Invalid(problem.Contains("pass mark", StringComparison.Ordinal) ? "PassMark" : problem.Contains("attempt", StringComparison.Ordinal) ? "AttemptLimit" : "Title", problem);
        }

        if (CheckCredit(fields.CreditAmount, fields.ReleasedOn, fields.ExpiresOn, fields.Provider) is { } invalid)
        {
            return invalid;
        }

        var before = new { module.Title, module.Summary, module.PassMark, module.AttemptLimit, Credit = CreditDocument.From(module.Credit) };
        module.Title = fields.Title!.Trim();
        module.Summary = fields.Summary?.Trim() ?? "";
        module.PassMark = fields.PassMark;
        module.AttemptLimit = fields.AttemptLimit;
        module.Credit = new CreditDesignation { CreditType = fields.CreditType?.Trim() ?? "", MaximumCredits = fields.CreditAmount, Statement = fields.Statement?.Trim() ?? "", Provider = fields.Provider?.Trim() ?? "", ReleasedOn = fields.ReleasedOn, ExpiresOn = fields.ExpiresOn };
        await TouchCourseAsync(org, module, "module.updated", "Module", module.Id, before, new { module.Title, module.Summary, module.PassMark, module.AttemptLimit, Credit = CreditDocument.From(module.Credit) }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Adds a lesson, or changes the one with <paramref name="lessonId"/>.</summary>
    public async Task<Outcome> SaveLessonAsync(OrgContext org, Guid moduleId, Guid? lessonId, string? title, string? markdown, CancellationToken cancellationToken = default)
    {
        var module = await LoadModuleAsync(org, moduleId, cancellationToken);
        if (module is null)
        {
            return Outcome.NotFound;
        }

        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > 200)
        {
            return Outcome.Invalid("Title", "Enter a lesson title of 1 to 200 characters.");
        }

        if (string.IsNullOrWhiteSpace(markdown) || markdown.Length > 50_000)
        {
            return Outcome.Invalid("Markdown", "Write the lesson (up to 50,000 characters of Markdown).");
        }

        var lesson = lessonId is null ? null : module.Lessons.FirstOrDefault(l => l.Id == lessonId);
        if (lessonId is not null && lesson is null)
        {
            return Outcome.NotFound;
        }

        var before = lesson is null ? null : new { lesson.Title, lesson.Markdown };
        if (lesson is null)
        {
            lesson = new Lesson { OrganizationId = org.Id, ModuleId = module.Id, Position = module.Lessons.Select(l => l.Position + 1).DefaultIfEmpty().Max() };
            db.Add(lesson);
        }

        lesson.Title = title.Trim();
        lesson.Markdown = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        await TouchCourseAsync(org, module, before is null ? "lesson.added" : "lesson.updated", "Lesson", lesson.Id, before, new { lesson.Title, lesson.Markdown }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> DeleteLessonAsync(OrgContext org, Guid lessonId, CancellationToken cancellationToken = default)
    {
        var lesson = await db.Set<Lesson>().FirstOrDefaultAsync(l => l.Id == lessonId && l.OrganizationId == org.Id, cancellationToken);
        if (lesson is null)
        {
            return Outcome.NotFound;
        }

        db.Remove(lesson);
        var module = await db.Set<Module>().FirstAsync(m => m.Id == lesson.ModuleId, cancellationToken);
        await TouchCourseAsync(org, module, "lesson.deleted", "Lesson", lesson.Id, new { lesson.Title, lesson.Markdown }, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>
    /// Adds or changes a question. Choices are written one per line in the editor, the right ones starting
    /// with an asterisk, so a question reads the way it will be asked.
    /// </summary>
    public async Task<Outcome> SaveQuestionAsync(OrgContext org, Guid moduleId, Guid? questionId, string? text, string? choicesText, CancellationToken cancellationToken = default)
    {
        var module = await LoadModuleAsync(org, moduleId, cancellationToken);
        if (module is null)
        {
            return Outcome.NotFound;
        }

        var (choices, correct) = ParseChoices(choicesText);
        if (CourseRules.CheckQuestion(text?.Trim(), choices, correct) is { } problem)
        {
            return Outcome.Invalid(string.IsNullOrWhiteSpace(text) ? "Text" : "Choices", problem);
        }

        var question = questionId is null ? null : module.Questions.FirstOrDefault(q => q.Id == questionId);
        if (questionId is not null && question is null)
        {
            return Outcome.NotFound;
        }

        var before = question is null ? null : new { question.Text, question.Choices, question.Correct };
        if (question is null)
        {
            question = new Question { OrganizationId = org.Id, ModuleId = module.Id, Position = module.Questions.Select(q => q.Position + 1).DefaultIfEmpty().Max() };
            db.Add(question);
        }

        question.Text = text!.Trim();
        question.Choices = choices;
        question.Correct = correct;
        await TouchCourseAsync(org, module, before is null ? "question.added" : "question.updated", "Question", question.Id, before, new { question.Text, question.Choices, question.Correct }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> DeleteQuestionAsync(OrgContext org, Guid questionId, CancellationToken cancellationToken = default)
    {
        var question = await db.Set<Question>().FirstOrDefaultAsync(q => q.Id == questionId && q.OrganizationId == org.Id, cancellationToken);
        if (question is null)
        {
            return Outcome.NotFound;
        }

        db.Remove(question);
        var module = await db.Set<Module>().FirstAsync(m => m.Id == question.ModuleId, cancellationToken);
        await TouchCourseAsync(org, module, "question.deleted", "Question", question.Id, new { question.Text, question.Choices, question.Correct }, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public static string ChoicesText(Question question) =>
        string.Join('\n', question.Choices.Select((choice, index) => (question.Correct.Contains(index) ? "* " : "") + choice));

    public static (List<string> Choices, List<int> Correct) ParseChoices(string? text)
    {
        var choices = new List<string>();
        var correct = new List<int>();
        foreach (var line in (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            if (line.StartsWith('*'))
            {
                correct.Add(choices.Count);
                choices.Add(line[1..].Trim());
            }
            else
            {
                choices.Add(line);
            }
        }

        return (choices, correct);
    }

    public async Task<CourseDocument?> ExportAsync(OrgContext org, Guid courseId, CancellationToken cancellationToken = default) =>
        await LoadAsync(org, courseId, cancellationToken) is { } course ? CourseDocument.From(course) : null;

    public async Task<Outcome<Course>> ImportAsync(OrgContext org, string? json, CancellationToken cancellationToken = default)
    {
        var (document, error) = CourseDocument.Parse(json ?? "");
        if (document is null || error is not null)
        {
            return Outcome.Invalid("Json", error ?? "The file is not a course.");
        }

        if (!CourseRules.KeyPattern().IsMatch(document.Key))
        {
            return Outcome.Invalid("Json", "The course key must be lower-case letters, digits and hyphens.");
        }

        if (await db.Set<Course>().AnyAsync(c => c.OrganizationId == org.Id && c.Key == document.Key, cancellationToken))
        {
            return Outcome.Invalid("Json", $"A course with the key '{document.Key}' exists already; change the key in the file to import it as a new course.");
        }

        var course = document.ToCourse(org.Id, clock.GetUtcNow());
        db.Add(course);
        audit.Record(org.Id, "course.imported", "Course", course.Id.ToString(), after: new { course.Key, course.Title, modules = course.Modules.Count });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Course>(Outcome.Success, course);
    }

    private static Outcome? CheckCredit(decimal amount, DateOnly? releasedOn, DateOnly? expiresOn, string? provider)
    {
        if (provider?.Trim().Length > 200)
        {
            return Outcome.Invalid("Provider", "The accredited provider's name has at most 200 characters.");
        }

        if (CourseRules.CheckCredit(amount) is { } problem)
        {
            return Outcome.Invalid("CreditAmount", problem);
        }

        return releasedOn is { } from && expiresOn is { } to && to < from ? Outcome.Invalid("ExpiresOn", "The expiry date comes after the release date.") : null;
    }

    private static object Describe(Course c) => new { c.Title, c.Summary, c.Sequential, Credit = CreditDocument.From(c.Credit) };

    private void Touch(OrgContext org, Course course, string action, string entityType, Guid id, object? before, object? after)
    {
        course.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, action, entityType, id.ToString(), before, after);
    }

    private async Task TouchCourseAsync(OrgContext org, Module module, string action, string entityType, Guid id, object? before, object? after, CancellationToken cancellationToken)
    {
        var course = await db.Set<Course>().FirstAsync(c => c.Id == module.CourseId, cancellationToken);
        Touch(org, course, action, entityType, id, before, after);
    }
}
