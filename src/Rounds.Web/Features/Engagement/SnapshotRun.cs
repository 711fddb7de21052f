using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// One organization's snapshot of one week as it is being taken: who holds it (so two instances never take the
/// same week at once), until when (a holder that stops without letting go is replaced once that passes), and
/// how far each network has got, so that a run that stops resumes where it was instead of starting the week again.
/// A run taken again in the same week starts a new pass over the same row.
/// </summary>
public sealed class EngagementSnapshotRun : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public DateOnly Week { get; set; }

    /// <summary>When this pass began; every row it writes carries this time, so rows of an earlier pass can be told apart.</summary>
    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>A token of the run that holds the week; null when nobody does.</summary>
    public string? HeldBy { get; set; }

    public DateTimeOffset? HeldUntil { get; set; }

    /// <summary>Roster physicians in this pass.</summary>
    public int Physicians { get; set; }

    public List<EngagementRunNetwork> Networks { get; set; } = [];
}

/// <summary>How far a pass has got on one network: physicians done in NPI order, and the last NPI written.</summary>
public sealed class EngagementRunNetwork : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid RunId { get; set; }

    public Platform Network { get; set; }

    public int Total { get; set; }

    public int Done { get; set; }

    /// <summary>Confirmed profiles whose activity was read.</summary>
    public int Read { get; set; }

    /// <summary>Confirmed profiles that could not be read (left unknown).</summary>
    public int Unreadable { get; set; }

    /// <summary>The NPI of the last physician whose row is written; a resumed pass goes on after it.</summary>
    public string LastNpi { get; set; } = "";
}

internal sealed class EngagementSnapshotRunConfiguration : IEntityTypeConfiguration<EngagementSnapshotRun>
{
    public void Configure(EntityTypeBuilder<EngagementSnapshotRun> builder)
    {
        builder.ToTable("EngagementSnapshotRuns");
        builder.Property(r => r.HeldBy).HasMaxLength(64);
        builder.HasIndex(r => new { r.OrganizationId, r.Week }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Networks).WithOne().HasForeignKey(n => n.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EngagementRunNetworkConfiguration : IEntityTypeConfiguration<EngagementRunNetwork>
{
    public void Configure(EntityTypeBuilder<EngagementRunNetwork> builder)
    {
        builder.ToTable("EngagementRunNetworks");
        builder.Property(n => n.Network).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.LastNpi).HasMaxLength(10);
        builder.HasIndex(n => new { n.RunId, n.Network }).IsUnique();
    }
}
