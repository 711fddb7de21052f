using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Community;

public sealed class CommunityLike : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public string UserId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

public enum FlagReason
{
    OffTopic = 0,
    Inappropriate = 1,
    PatientInformation = 2,
    Spam = 3,
    SomethingElse = 4,
}

/// <summary>A member asking the moderators to look at a post; open until a moderator hides the post or dismisses the flag.</summary>
public sealed class CommunityFlag : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public string UserId { get; set; } = "";

    public FlagReason Reason { get; set; }

    public string Note { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }
}

/// <summary>
/// How much a person hears about a category or a topic. Watching: every post. Tracking and normal: only posts
/// that mention or answer them (tracking also counts unread posts in lists). Muted: nothing at all, not even
/// mentions. Watching first post is for categories: new topics only.
/// </summary>
public enum WatchLevel
{
    Normal = 0,
    Tracking = 1,
    Watching = 2,
    WatchingFirstPost = 3,
    Muted = 4,
}

/// <summary>A person's level for one category or one topic; a topic without one takes its category's.</summary>
public sealed class CommunityWatch : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public Guid? CategoryId { get; set; }

    public Guid? TopicId { get; set; }

    public WatchLevel Level { get; set; }
}

/// <summary>The last post number a person has seen in a topic; what lies beyond is unread.</summary>
public sealed class CommunityReadMark : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public Guid TopicId { get; set; }

    public int LastReadNumber { get; set; }
}

internal sealed class CommunityLikeConfiguration : IEntityTypeConfiguration<CommunityLike>
{
    public void Configure(EntityTypeBuilder<CommunityLike> builder)
    {
        builder.ToTable("CommunityLikes");
        builder.HasIndex(l => new { l.PostId, l.UserId }).IsUnique();
        builder.HasOne<CommunityPost>().WithMany().HasForeignKey(l => l.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityFlagConfiguration : IEntityTypeConfiguration<CommunityFlag>
{
    public void Configure(EntityTypeBuilder<CommunityFlag> builder)
    {
        builder.ToTable("CommunityFlags");
        builder.Property(f => f.Note).HasMaxLength(BoardLimits.FlagNote);
        builder.Property(f => f.ResolvedBy).HasMaxLength(450);
        builder.HasIndex(f => new { f.OrganizationId, f.ResolvedAt });
        builder.HasOne<CommunityPost>().WithMany().HasForeignKey(f => f.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityWatchConfiguration : IEntityTypeConfiguration<CommunityWatch>
{
    public void Configure(EntityTypeBuilder<CommunityWatch> builder)
    {
        builder.ToTable("CommunityWatches");
        builder.HasIndex(w => new { w.UserId, w.CategoryId, w.TopicId }).IsUnique();
        builder.HasIndex(w => new { w.TopicId, w.Level });
        builder.HasIndex(w => new { w.CategoryId, w.Level });
        builder.HasOne<CommunityCategory>().WithMany().HasForeignKey(w => w.CategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CommunityTopic>().WithMany().HasForeignKey(w => w.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityReadMarkConfiguration : IEntityTypeConfiguration<CommunityReadMark>
{
    public void Configure(EntityTypeBuilder<CommunityReadMark> builder)
    {
        builder.ToTable("CommunityReadMarks");
        builder.HasIndex(r => new { r.UserId, r.TopicId }).IsUnique();
        builder.HasOne<CommunityTopic>().WithMany().HasForeignKey(r => r.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
