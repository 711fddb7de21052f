using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Publishing.Submissions;

public enum SubmissionStatus
{
    Offered,
    Adopted,
    Declined,
}

/// <summary>A department's content offered to the main (enterprise) channels instead of an account of its own.</summary>
public sealed class MainChannelSubmission : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string SubmitterId { get; set; } = "";

    public string SubmitterName { get; set; } = "";

    public string Department { get; set; } = "";

    public string Text { get; set; } = "";

    public string Note { get; set; } = "";

    public SubmissionStatus Status { get; set; }

    public string DecidedBy { get; set; } = "";

    public string Reason { get; set; } = "";

    public Guid? AdoptedPostId { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
}

internal sealed class MainChannelSubmissionConfiguration : IEntityTypeConfiguration<MainChannelSubmission>
{
    public void Configure(EntityTypeBuilder<MainChannelSubmission> builder)
    {
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.SubmitterId).HasMaxLength(450);
        builder.Property(s => s.SubmitterName).HasMaxLength(256);
        builder.Property(s => s.Department).HasMaxLength(200);
        builder.Property(s => s.Text).HasMaxLength(70_000);
        builder.Property(s => s.Note).HasMaxLength(2000);
        builder.Property(s => s.DecidedBy).HasMaxLength(256);
        builder.Property(s => s.Reason).HasMaxLength(2000);
        builder.HasIndex(s => new { s.OrganizationId, s.Status });
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
