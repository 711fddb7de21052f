using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Publishing.Library;

/// <summary>Approved content kept for reuse.</summary>
public sealed class LibraryItem : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    /// <summary>Lower-case tags, comma separated.</summary>
    public string Tags { get; set; } = "";

    public Guid? SourcePostId { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class LibraryItemConfiguration : IEntityTypeConfiguration<LibraryItem>
{
    public void Configure(EntityTypeBuilder<LibraryItem> builder)
    {
        builder.Property(l => l.Title).HasMaxLength(200);
        builder.Property(l => l.Text).HasMaxLength(70_000);
        builder.Property(l => l.Tags).HasMaxLength(1000);
        builder.Property(l => l.CreatedBy).HasMaxLength(256);
        // The search's order, newest first with the id breaking ties: a page is a range of it, sorted already.
        builder.HasIndex(l => new { l.OrganizationId, l.CreatedAt, l.Id });
        builder.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
