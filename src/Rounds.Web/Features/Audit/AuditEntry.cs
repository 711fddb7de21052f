using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Audit;

/// <summary>One governance action. Rows are only ever inserted: the context refuses updates and deletes,
/// and database triggers refuse them too.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public Guid? OrganizationId { get; set; }

    public string? ActorId { get; set; }

    /// <summary>Kept as text so the record survives the person's account being deleted.</summary>
    public string ActorName { get; set; } = "";

    public string Action { get; set; } = "";

    public string EntityType { get; set; } = "";

    public string EntityId { get; set; } = "";

    public string? Before { get; set; }

    public string? After { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.EntityType).HasMaxLength(100);
        builder.Property(a => a.EntityId).HasMaxLength(100);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        // No foreign keys: an audit row must outlive whatever it describes.
        builder.HasIndex(a => new { a.OrganizationId, a.At });
        // The log is filtered by action (a prefix such as "post.") and read newest first.
        builder.HasIndex(a => new { a.OrganizationId, a.Action, a.At });
    }
}
