using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// A post's one video, with the title YouTube shows above it (the copy's text is its description). The bytes are
/// in the video store under <see cref="StorageName"/>, not in the database: a video is hundreds of megabytes.
/// </summary>
public sealed class PostVideo : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public string Title { get; set; } = "";

    public string FileName { get; set; } = "";

    /// <summary>Read from the file's first bytes: video/mp4, video/quicktime or video/webm.</summary>
    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    public string StorageName { get; set; } = "";

    public string UploadedBy { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }
}

internal sealed class PostVideoConfiguration : IEntityTypeConfiguration<PostVideo>
{
    public void Configure(EntityTypeBuilder<PostVideo> builder)
    {
        builder.Property(v => v.Title).HasMaxLength(100);
        builder.Property(v => v.FileName).HasMaxLength(260);
        builder.Property(v => v.ContentType).HasMaxLength(100);
        builder.Property(v => v.StorageName).HasMaxLength(64);
        builder.Property(v => v.UploadedBy).HasMaxLength(256);
        builder.HasIndex(v => v.PostId).IsUnique();
        builder.HasOne<Post>().WithMany().HasForeignKey(v => v.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Where post videos are kept: a folder on the server's disk (<c>Publishing:VideoPath</c>, by default
/// data/post-videos). Uploads are written to a staging file there first and moved in only once checked, so a refused
/// upload leaves nothing behind; reading is by offset, for range requests and for resuming an upload to YouTube.
/// </summary>
public sealed class PostVideoStore(string folder)
{
    public static PostVideoStore FromConfiguration(IConfiguration configuration, IHostEnvironment environment) =>
        new(Path.GetFullPath(configuration["Publishing:VideoPath"] ?? "data/post-videos", environment.ContentRootPath));

    /// <summary>A new staging file's path; the caller moves it in with <see cref="Keep"/> or deletes it.</summary>
    public string StagingPath()
    {
        var staging = Path.Combine(folder, "partial");
        Directory.CreateDirectory(staging);
        return Path.Combine(staging, Guid.NewGuid().ToString("N") + ".upload");
    }

    /// <summary>Moves a checked staging file into the store; returns its storage name.</summary>
    public string Keep(string stagedFile)
    {
        var name = Guid.NewGuid().ToString("N");
        File.Move(stagedFile, Path.Combine(folder, name));
        return name;
    }

    /// <summary>The stored file's path, or null when it is gone.</summary>
    public string? PathOf(string name)
    {
        var path = Path.Combine(folder, Path.GetFileName(name));
        return name.Length > 0 && File.Exists(path) ? path : null;
    }

    public Stream OpenAt(string name, long offset)
    {
        var stream = new FileStream(PathOf(name) ?? throw new FileNotFoundException("The post's video is no longer in the store.", name),
            FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        stream.Position = offset;
        return stream;
    }

    public void Delete(string name)
    {
        if (PathOf(name) is { } path)
        {
            File.Delete(path);
        }
    }
}
