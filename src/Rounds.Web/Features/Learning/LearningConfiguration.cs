using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Learning;

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

internal static class CreditColumns
{
    public static void Configure(ComplexPropertyBuilder<CreditDesignation> credit)
    {
        credit.Property(c => c.CreditType).HasMaxLength(100);
        credit.Property(c => c.MaximumCredits).HasPrecision(5, 2);
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
