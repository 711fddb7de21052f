using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.PressRoom;

public enum AccreditationStatus
{
    Requested = 0,
    Approved = 1,
    Refused = 2,
}

/// <summary>
/// A journalist's standing with one organization's press room. The journalist is an ordinary Rounds user who
/// signs in as anyone does; an approved accreditation that has not expired is what lets them read embargoed
/// releases. Renewal is a new request; the old accreditation stays good until its own expiry.
/// </summary>
public sealed class PressAccreditation : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public string Outlet { get; set; } = "";

    /// <summary>The journalist's role at the outlet (health reporter, producer).</summary>
    public string OutletRole { get; set; } = "";

    /// <summary>Links to published work, one a line, each http or https.</summary>
    public string WorkSamples { get; set; } = "";

    public AccreditationStatus Status { get; set; }

    public string Reason { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public bool IsCurrent(DateTimeOffset now) => Status == AccreditationStatus.Approved && ExpiresAt > now;
}

internal sealed class PressAccreditationConfiguration : IEntityTypeConfiguration<PressAccreditation>
{
    public void Configure(EntityTypeBuilder<PressAccreditation> builder)
    {
        builder.ToTable("PressAccreditations");
        builder.Property(a => a.Outlet).HasMaxLength(200);
        builder.Property(a => a.OutletRole).HasMaxLength(200);
        builder.Property(a => a.WorkSamples).HasMaxLength(4000);
        builder.Property(a => a.Reason).HasMaxLength(1000);
        builder.Property(a => a.DecidedBy).HasMaxLength(256);
        builder.HasIndex(a => new { a.OrganizationId, a.UserId, a.Status });
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A journalist's reading of an embargoed release, kept for the communications team to see per release.</summary>
public sealed class EmbargoView : IOrgOwned
{
    public long Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid ReleaseId { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>What was read: the release page, the API or an asset.</summary>
    public string Channel { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

internal sealed class EmbargoViewConfiguration : IEntityTypeConfiguration<EmbargoView>
{
    public void Configure(EntityTypeBuilder<EmbargoView> builder)
    {
        builder.ToTable("PressEmbargoViews");
        builder.Property(v => v.Channel).HasMaxLength(100);
        builder.Property(v => v.UserId).HasMaxLength(450);
        builder.HasIndex(v => new { v.ReleaseId, v.At });
        builder.HasOne<PressRelease>().WithMany().HasForeignKey(v => v.ReleaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
