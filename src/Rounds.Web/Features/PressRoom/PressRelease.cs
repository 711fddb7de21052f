using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Screening;

namespace Rounds.Web.Features.PressRoom;

/// <summary>Draft: only the communications team sees it. Scheduled: under embargo until its lift. Public: anyone.</summary>
public enum ReleaseStatus
{
    Draft = 0,
    Scheduled = 1,
    Public = 2,
}

/// <summary>Who may read a scheduled release before its lift.</summary>
public enum EmbargoAudience
{
    AllAccredited = 0,
    Named = 1,
}

/// <summary>A news release of an organization, written in Markdown, held under embargo until its lift instant.</summary>
public sealed class PressRelease : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Title { get; set; } = "";

    public string Summary { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>Who reporters call: names, phone numbers, addresses, as the team writes them.</summary>
    public string Contacts { get; set; } = "";

    public ReleaseStatus Status { get; set; }

    /// <summary>Always UTC; the zone below is how it was entered and how the team reads it.</summary>
    public DateTimeOffset? LiftAt { get; set; }

    public string LiftZone { get; set; } = "UTC";

    public EmbargoAudience Audience { get; set; }

    /// <summary>Normalized topics, one a line (see <see cref="PressTopics"/>); empty: news for every accredited journalist.</summary>
    public string Topics { get; set; } = "";

    /// <summary>The screening verdict of the title, summary and body as last saved; a blocked release cannot be scheduled.</summary>
    public Verdict Screening { get; set; }

    public string ScreeningNote { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}

/// <summary>A journalist named for a release whose audience is <see cref="EmbargoAudience.Named"/>.</summary>
public sealed class EmbargoReader : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ReleaseId { get; set; }

    public string UserId { get; set; } = "";
}

internal sealed class PressReleaseConfiguration : IEntityTypeConfiguration<PressRelease>
{
    public void Configure(EntityTypeBuilder<PressRelease> builder)
    {
        builder.ToTable("PressReleases");
        builder.Property(r => r.Title).HasMaxLength(ReleaseInput.TitleLimit);
        builder.Property(r => r.Summary).HasMaxLength(ReleaseInput.SummaryLimit);
        builder.Property(r => r.Contacts).HasMaxLength(ReleaseInput.ContactsLimit);
        builder.Property(r => r.LiftZone).HasMaxLength(64);
        builder.Property(r => r.ScreeningNote).HasMaxLength(1000);
        builder.Property(r => r.Topics).HasMaxLength(PressTopics.StoredLimit);
        builder.HasIndex(r => new { r.Status, r.LiftAt });
        builder.HasIndex(r => new { r.OrganizationId, r.Status });
        // The public newsroom's order, newest lift first: a page is a range of it.
        builder.HasIndex(r => new { r.OrganizationId, r.LiftAt, r.Id });
        // The staff's list, last changed first: without it each page sorted all the organization's releases, a
        // cost that grew with them (2,001 releases: a read of the table and a sort, 0.7 ms a page on PostgreSQL).
        builder.HasIndex(r => new { r.OrganizationId, r.UpdatedAt, r.Id });
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmbargoReaderConfiguration : IEntityTypeConfiguration<EmbargoReader>
{
    public void Configure(EntityTypeBuilder<EmbargoReader> builder)
    {
        builder.ToTable("PressEmbargoReaders");
        builder.HasIndex(r => new { r.ReleaseId, r.UserId }).IsUnique();
        builder.HasOne<PressRelease>().WithMany().HasForeignKey(r => r.ReleaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
