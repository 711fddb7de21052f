namespace Rounds.Web.Features.Learning;

/// <summary>
/// The credit an accreditor allows for an activity: its type, the most one may claim, the statement the
/// certificate repeats, and the dates between which it may be claimed.
/// </summary>
public sealed class CreditDesignation
{
    public string CreditType { get; set; } = "";

    /// <summary>The most credit a learner may claim, in steps of 0.25; zero means the activity carries no credit.</summary>
    public decimal MaximumCredits { get; set; }

    public string Statement { get; set; } = "";

    public DateOnly? ReleasedOn { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public CreditDesignation Copy() => new() { CreditType = CreditType, MaximumCredits = MaximumCredits, Statement = Statement, ReleasedOn = ReleasedOn, ExpiresOn = ExpiresOn };
}

public sealed class Course : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    /// <summary>Stable name within the organization, e.g. <c>social-media-basics</c>.</summary>
    public string Key { get; set; } = "";

    public string Title { get; set; } = "";

    public string Summary { get; set; } = "";

    /// <summary>When set, a module opens only after the ones before it are passed.</summary>
    public bool Sequential { get; set; }

    public CreditDesignation Credit { get; set; } = new();

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Module> Modules { get; set; } = [];
}

public sealed class Module : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid CourseId { get; set; }

    /// <summary>Stable name that account-request requirements refer to, e.g. <c>professionalism</c>.</summary>
    public string Key { get; set; } = "";

    public string Title { get; set; } = "";

    public string Summary { get; set; } = "";

    public int Position { get; set; }

    /// <summary>Percentage of questions answered right needed to pass.</summary>
    public int PassMark { get; set; } = 80;

    /// <summary>How many attempts a learner has; null for no limit.</summary>
    public int? AttemptLimit { get; set; }

    public CreditDesignation Credit { get; set; } = new();

    public List<Lesson> Lessons { get; set; } = [];

    public List<Question> Questions { get; set; } = [];
}

public sealed class Lesson : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ModuleId { get; set; }

    public int Position { get; set; }

    public string Title { get; set; } = "";

    /// <summary>Markdown; rendered through <see cref="LessonMarkdown"/>, never as raw HTML.</summary>
    public string Markdown { get; set; } = "";
}

public sealed class Question : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ModuleId { get; set; }

    public int Position { get; set; }

    public string Text { get; set; } = "";

    public List<string> Choices { get; set; } = [];

    /// <summary>Zero-based indexes of the right choices; more than one makes it a "select all that apply" question.</summary>
    public List<int> Correct { get; set; } = [];

    public bool SelectAll => Correct.Count > 1;
}
