using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

    /// <summary>The accredited provider that designates the credit and whose name the certificate carries.</summary>
    public string Provider { get; set; } = "";

    public DateOnly? ReleasedOn { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public CreditDesignation Copy() => new() { CreditType = CreditType, MaximumCredits = MaximumCredits, Statement = Statement, Provider = Provider, ReleasedOn = ReleasedOn, ExpiresOn = ExpiresOn };
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

    /// <summary>Markdown; rendered through <see cref="SafeMarkdown"/>, never as raw HTML.</summary>
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

internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> builder)
    {
        builder.HasIndex(c => new { c.OrganizationId, c.Key }).IsUnique();
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.Property(c => c.Title).HasMaxLength(200);
        builder.ComplexProperty(c => c.Credit, CreditColumns.Configure);
        builder.HasMany(c => c.Modules).WithOne().HasForeignKey(m => m.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ModuleConfiguration : IEntityTypeConfiguration<Module>
{
    public void Configure(EntityTypeBuilder<Module> builder)
    {
        builder.ToTable("LearningModules");
        builder.HasIndex(m => new { m.CourseId, m.Key }).IsUnique();
        builder.HasIndex(m => new { m.OrganizationId, m.Key });
        builder.Property(m => m.Key).HasMaxLength(64);
        builder.Property(m => m.Title).HasMaxLength(200);
        builder.ComplexProperty(m => m.Credit, CreditColumns.Configure);
        builder.HasMany(m => m.Lessons).WithOne().HasForeignKey(l => l.ModuleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(m => m.Questions).WithOne().HasForeignKey(q => q.ModuleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LessonConfiguration : IEntityTypeConfiguration<Lesson>
{
    public void Configure(EntityTypeBuilder<Lesson> builder)
    {
        builder.HasIndex(l => l.OrganizationId);
        builder.Property(l => l.Title).HasMaxLength(200);
    }
}

internal sealed class QuestionConfiguration : IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Question> builder)
    {
        builder.ToTable("LearningQuestions");
        builder.HasIndex(q => q.OrganizationId);
        builder.Ignore(q => q.SelectAll);
    }
}

internal static class CreditColumns
{
    public static void Configure(ComplexPropertyBuilder<CreditDesignation> credit)
    {
        credit.Property(c => c.CreditType).HasMaxLength(100);
        credit.Property(c => c.Provider).HasMaxLength(200);
        credit.Property(c => c.MaximumCredits).HasPrecision(5, 2);
    }
}
