using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.PressRoom;

/// <summary>An image, sound bite or b-roll clip attached to a release, stored as a file under a random name.</summary>
public sealed class PressAsset : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ReleaseId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    /// <summary>The file's name in the store: random, never derived from the upload's name.</summary>
    public string StorageName { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }
}

internal sealed class PressAssetConfiguration : IEntityTypeConfiguration<PressAsset>
{
    public void Configure(EntityTypeBuilder<PressAsset> builder)
    {
        builder.ToTable("PressAssets");
        builder.Property(a => a.FileName).HasMaxLength(200);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.StorageName).HasMaxLength(100);
        builder.HasIndex(a => a.ReleaseId);
        builder.HasOne<PressRelease>().WithMany().HasForeignKey(a => a.ReleaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
