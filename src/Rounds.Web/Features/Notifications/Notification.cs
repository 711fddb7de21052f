using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Notifications;

/// <summary>Something a person should know about, shown under the bell until they mark it read.</summary>
public sealed class Notification : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>Names the event, e.g. <c>account-dormant:{id}:{since}</c>; one notification per person per event.</summary>
    public string EventKey { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>Path inside Rounds where the person can act on it.</summary>
    public string Link { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.EventKey).HasMaxLength(200);
        builder.Property(n => n.Title).HasMaxLength(500);
        builder.Property(n => n.Link).HasMaxLength(500);
        // The database, not the caller, guarantees one notification per person per event across app instances.
        builder.HasIndex(n => new { n.UserId, n.EventKey }).IsUnique();
        builder.HasIndex(n => new { n.UserId, n.OrganizationId, n.ReadAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(n => n.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
