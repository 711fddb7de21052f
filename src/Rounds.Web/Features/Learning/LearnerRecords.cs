using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Learning;

/// <summary>One learner's place in one module: where they stopped reading and how long they spent.</summary>
public sealed class ModuleProgress : IOrgOwned
{
    /// <summary>A gap longer than this between two steps is a break, not study time.</summary>
    public static readonly TimeSpan LongestCountedGap = TimeSpan.FromMinutes(30);

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public Guid ModuleId { get; set; }

    public Guid? LastLessonId { get; set; }

    public int SecondsSpent { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>Adds the time since the previous step, capped so that a tab left open overnight does not count.</summary>
    public void Touch(DateTimeOffset now)
    {
        var gap = now - LastActivityAt;
        if (gap > TimeSpan.Zero)
        {
            SecondsSpent += (int)Math.Min(gap.TotalSeconds, LongestCountedGap.TotalSeconds);
        }

        LastActivityAt = now;
    }
}

public sealed class Attempt : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public Guid ModuleId { get; set; }

    public int Number { get; set; }

    public int Score { get; set; }

    public int PassMark { get; set; }

    public bool Passed { get; set; }

    /// <summary>The choices picked per question, as JSON, so that a result can be explained later.</summary>
    public string Answers { get; set; } = "";

    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>Credit a learner claimed for a module or a whole course, with their evaluation and attestation.</summary>
public sealed class CreditClaim : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>The module or course the credit is for; which one is said by <see cref="IsCourse"/>.</summary>
    public Guid ActivityId { get; set; }

    public bool IsCourse { get; set; }

    public string ActivityTitle { get; set; } = "";

    public decimal Credits { get; set; }

    public string CreditType { get; set; } = "";

    /// <summary>The day the activity was completed (the passing attempt, or the last module's).</summary>
    public DateOnly CompletedOn { get; set; }

    public string Evaluation { get; set; } = "";

    public DateTimeOffset ClaimedAt { get; set; }
}

/// <summary>
/// What was certified, copied at the time of issue: later edits of the course or the profile do not change a
/// certificate already in someone's hands.
/// </summary>
public sealed class Certificate : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public Guid ClaimId { get; set; }

    public string Code { get; set; } = "";

    public string LearnerName { get; set; } = "";

    public string Degree { get; set; } = "";

    public string ActivityTitle { get; set; } = "";

    /// <summary>The course the activity is, or belongs to; empty on certificates issued before it was recorded.</summary>
    public string CourseTitle { get; set; } = "";

    /// <summary>The accredited provider that designated the credit.</summary>
    public string ProviderName { get; set; } = "";

    public string IssuerName { get; set; } = "";

    public DateOnly CompletedOn { get; set; }

    public decimal Credits { get; set; }

    public string CreditType { get; set; } = "";

    public string Statement { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevocationReason { get; set; }

    public bool IsValid => RevokedAt is null;

    /// <summary>What was completed, as printed: a module names the course it is part of.</summary>
    public string Activity => CourseTitle.Length == 0 || CourseTitle == ActivityTitle ? ActivityTitle : $"{ActivityTitle}, a module of {CourseTitle}";
}

/// <summary>
/// What an accreditor's report needs about a learner, kept by the learning feature and keyed by user id so that
/// the sign-in record stays about signing in.
/// </summary>
public sealed class LearnerProfile
{
    public string UserId { get; set; } = "";

    /// <summary>E.g. MD, DO, RN, PharmD; printed after the name on certificates.</summary>
    public string Degree { get; set; } = "";

    /// <summary>State licence number or NPI.</summary>
    public string Licence { get; set; } = "";

    public int? BirthMonth { get; set; }

    public int? BirthDay { get; set; }
}

/// <summary>The modules an organization requires before it approves an account of one kind.</summary>
public sealed class TrainingRequirement : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string AccountKind { get; set; } = "";

    public List<string> ModuleKeys { get; set; } = [];

    /// <summary>Also require the module of the account's platform (X, LinkedIn…), when there is one.</summary>
    public bool IncludePlatformModule { get; set; }
}

internal sealed class ModuleProgressConfiguration : IEntityTypeConfiguration<ModuleProgress>
{
    public void Configure(EntityTypeBuilder<ModuleProgress> builder)
    {
        builder.HasIndex(p => new { p.OrganizationId, p.UserId, p.ModuleId }).IsUnique();
        builder.HasOne<Module>().WithMany().HasForeignKey(p => p.ModuleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AttemptConfiguration : IEntityTypeConfiguration<Attempt>
{
    public void Configure(EntityTypeBuilder<Attempt> builder)
    {
        builder.ToTable("LearningAttempts");
        builder.HasIndex(a => new { a.OrganizationId, a.UserId, a.ModuleId, a.Number }).IsUnique();
        builder.HasOne<Module>().WithMany().HasForeignKey(a => a.ModuleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CreditClaimConfiguration : IEntityTypeConfiguration<CreditClaim>
{
    public void Configure(EntityTypeBuilder<CreditClaim> builder)
    {
        builder.HasIndex(c => new { c.OrganizationId, c.UserId, c.ActivityId }).IsUnique();
        builder.HasIndex(c => new { c.OrganizationId, c.ClaimedAt });
        builder.Property(c => c.Credits).HasPrecision(5, 2);
        builder.Property(c => c.ActivityTitle).HasMaxLength(200);
        builder.Property(c => c.CreditType).HasMaxLength(100);
    }
}

internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> builder)
    {
        builder.HasIndex(c => c.Code).IsUnique();
        builder.HasIndex(c => new { c.OrganizationId, c.UserId });
        builder.Property(c => c.Code).HasMaxLength(16);
        builder.Property(c => c.Credits).HasPrecision(5, 2);
        builder.Ignore(c => c.IsValid);
        builder.Ignore(c => c.Activity);
        builder.Property(c => c.CourseTitle).HasMaxLength(200);
        builder.Property(c => c.ProviderName).HasMaxLength(200);
        builder.HasOne<CreditClaim>().WithOne().HasForeignKey<Certificate>(c => c.ClaimId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LearnerProfileConfiguration : IEntityTypeConfiguration<LearnerProfile>
{
    public void Configure(EntityTypeBuilder<LearnerProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.Degree).HasMaxLength(40);
        builder.Property(p => p.Licence).HasMaxLength(40);
    }
}

internal sealed class TrainingRequirementConfiguration : IEntityTypeConfiguration<TrainingRequirement>
{
    public void Configure(EntityTypeBuilder<TrainingRequirement> builder)
    {
        builder.HasIndex(r => new { r.OrganizationId, r.AccountKind }).IsUnique();
        builder.Property(r => r.AccountKind).HasMaxLength(32);
    }
}
