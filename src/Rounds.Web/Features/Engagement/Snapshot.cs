using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// One physician on one network in one week, as it stood when the snapshot was taken. Every figure on the
/// dashboard is computed from these rows alone; the department is copied in so that a physician who moves
/// departments does not rewrite past weeks. A signal that could not be read is null: unknown, never false.
/// </summary>
public sealed class EngagementSnapshot : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PhysicianId { get; set; }

    /// <summary>The Monday (UTC) of the week.</summary>
    public DateOnly Week { get; set; }

    public Platform Network { get; set; }

    public string Department { get; set; } = "";

    public ProfileState State { get; set; }

    /// <summary>A personal account the organization chose not to track: its state counts, its activity is not read.</summary>
    public bool Excluded { get; set; }

    public bool? Exists { get; set; }

    public DateTimeOffset? LastPostAt { get; set; }

    public int? PostsIn30Days { get; set; }

    public int? PostsIn90Days { get; set; }

    public int? VideoPostsIn90Days { get; set; }

    /// <summary>Whether the hospital's enterprise account and the physician follow each other.</summary>
    public bool? MutualFollow { get; set; }

    /// <summary>The bio names the employer without a "views are my own" disclaimer (Screening's DISCLAIMER_MISSING).</summary>
    public bool? DisclaimerMissing { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}

/// <summary>
/// The counts of one department on one network in one week, kept once computed from that week's snapshot rows so
/// that the dashboard adds up a few thousand counts rather than hundreds of thousands of rows on every load. They
/// are removed whenever the week's rows are replaced, and computed again from the rows when next asked for.
/// </summary>
public sealed class EngagementWeekFigure : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public DateOnly Week { get; set; }

    public Platform Network { get; set; }

    public string Department { get; set; } = "";

    public int Physicians { get; set; }

    public int Confirmed { get; set; }

    public int Active90 { get; set; }

    public int Video { get; set; }

    public int MutualFollow { get; set; }

    public int LackingDisclaimer { get; set; }
}

internal sealed class EngagementWeekFigureConfiguration : IEntityTypeConfiguration<EngagementWeekFigure>
{
    public void Configure(EntityTypeBuilder<EngagementWeekFigure> builder)
    {
        builder.ToTable("EngagementWeekFigures");
        builder.Property(f => f.Network).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Department).HasMaxLength(200);
        builder.HasIndex(f => new { f.OrganizationId, f.Week, f.Network, f.Department }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EngagementSnapshotConfiguration : IEntityTypeConfiguration<EngagementSnapshot>
{
    public void Configure(EntityTypeBuilder<EngagementSnapshot> builder)
    {
        builder.ToTable("EngagementSnapshots");
        builder.Property(s => s.Network).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Department).HasMaxLength(200);
        builder.HasIndex(s => new { s.PhysicianId, s.Network, s.Week }).IsUnique();
        builder.HasIndex(s => new { s.OrganizationId, s.Week });
        builder.HasOne<Physician>().WithMany().HasForeignKey(s => s.PhysicianId).OnDelete(DeleteBehavior.Cascade);
    }
}
