using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Screening;

namespace Rounds.Web.Features.Community;

/// <summary>
/// Who, beyond the least role, a category is for. Moderators (reviewers and admins) read and post whatever it says.
/// </summary>
public enum CategoryAudience
{
    /// <summary>Everyone signed in to the board, at or above the role.</summary>
    Everyone = 0,

    /// <summary>Those with a membership of the board's network in force, of any plan.</summary>
    Members = 1,

    /// <summary>Those whose membership's plan gives premium standing, their own or their organization's.</summary>
    PremiumMembers = 2,

    /// <summary>The members of one of the board's groups.</summary>
    Group = 3,
}

/// <summary>
/// A shelf of the board with its own audience: the least role that reads it and the least role that posts in it,
/// and who among them (everyone, members, premium members, a group) reads and posts (<see cref="BoardAudience"/>).
/// </summary>
public sealed class CommunityCategory : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public Role ReadRole { get; set; } = Role.Member;

    public Role PostRole { get; set; } = Role.Member;

    public CategoryAudience ReadAudience { get; set; }

    /// <summary>The group that reads, when <see cref="ReadAudience"/> is a group; a group deleted since leaves the category to the moderators.</summary>
    public Guid? ReadGroupId { get; set; }

    /// <summary>Who posts, among those who read.</summary>
    public CategoryAudience PostAudience { get; set; }

    public Guid? PostGroupId { get; set; }

    public int Position { get; set; }

    /// <summary>The only tags topics here may take, separated by spaces; empty when any tag will do.</summary>
    public string AllowedTags { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A conversation: a title and numbered posts, flat, in the order they were released. A topic whose first post is
/// held by screening stays out of every list until a moderator releases that post.
/// </summary>
public sealed class CommunityTopic : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid CategoryId { get; set; }

    public string Title { get; set; } = "";

    public string AuthorId { get; set; } = "";

    /// <summary>False while the first post waits in the moderation queue.</summary>
    public bool Visible { get; set; }

    public bool Pinned { get; set; }

    public bool Closed { get; set; }

    /// <summary>The highest post number handed out; numbers go to posts when they become visible, so readers see no gaps.</summary>
    public int LastNumber { get; set; }

    /// <summary>The author's first topic on the board: community managers greet them from it.</summary>
    public bool FirstFromMember { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastPostedAt { get; set; }
}

public enum PostState
{
    /// <summary>Screening blocked it: only its author and the moderators see it, and nobody has been told.</summary>
    Held = 0,
    Visible = 1,
    Hidden = 2,
    Rejected = 3,
}

/// <summary>One post of a topic, in Markdown; its number is given when it becomes visible.</summary>
public sealed class CommunityPost : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid TopicId { get; set; }

    public int? Number { get; set; }

    public string AuthorId { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>The post number this one answers, in the same topic.</summary>
    public int? ReplyToNumber { get; set; }

    public PostState State { get; set; }

    public Verdict Screening { get; set; }

    /// <summary>The findings that held the post, as its author and the moderators read them.</summary>
    public string Findings { get; set; } = "";

    public int Revision { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EditedAt { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    public string? ModeratedBy { get; set; }
}

/// <summary>The text a post had before an edit: history that readers can open.</summary>
public sealed class CommunityPostRevision : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public int Revision { get; set; }

    public string Body { get; set; } = "";

    public string EditedBy { get; set; } = "";

    public DateTimeOffset EditedAt { get; set; }
}

/// <summary>A member of the board as others address them: <c>@Handle</c>, unique within the organization.</summary>
public sealed class CommunityMember : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public string Handle { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public DateTimeOffset JoinedAt { get; set; }

    public DateTimeOffset? WelcomedAt { get; set; }

    /// <summary>Until then the member reads but cannot post; set by a moderator from the review queue.</summary>
    public DateTimeOffset? SilencedUntil { get; set; }
}

internal sealed class CommunityCategoryConfiguration : IEntityTypeConfiguration<CommunityCategory>
{
    public void Configure(EntityTypeBuilder<CommunityCategory> builder)
    {
        builder.ToTable("CommunityCategories");
        builder.Property(c => c.Name).HasMaxLength(BoardLimits.CategoryName);
        builder.Property(c => c.Description).HasMaxLength(BoardLimits.CategoryDescription);
        builder.Property(c => c.AllowedTags).HasMaxLength(TopicTags.PerCategory * (TopicTags.MaxLength + 1));
        builder.HasIndex(c => new { c.OrganizationId, c.Name }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CommunityGroup>().WithMany().HasForeignKey(c => c.ReadGroupId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<CommunityGroup>().WithMany().HasForeignKey(c => c.PostGroupId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CommunityTopicConfiguration : IEntityTypeConfiguration<CommunityTopic>
{
    public void Configure(EntityTypeBuilder<CommunityTopic> builder)
    {
        builder.ToTable("CommunityTopics");
        builder.Property(t => t.Title).HasMaxLength(BoardLimits.Title);
        builder.HasIndex(t => new { t.OrganizationId, t.CategoryId, t.Visible, t.LastPostedAt });
        builder.HasOne<CommunityCategory>().WithMany().HasForeignKey(t => t.CategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(t => t.AuthorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityPostConfiguration : IEntityTypeConfiguration<CommunityPost>
{
    public void Configure(EntityTypeBuilder<CommunityPost> builder)
    {
        builder.ToTable("CommunityPosts");
        builder.Property(p => p.Body).HasMaxLength(BoardLimits.Body);
        builder.Property(p => p.Findings).HasMaxLength(4000);
        builder.Property(p => p.ModeratedBy).HasMaxLength(450);
        // Two writers racing for the same number: the database refuses the second, which retries with the next one.
        builder.HasIndex(p => new { p.TopicId, p.Number }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.State });
        builder.HasOne<CommunityTopic>().WithMany().HasForeignKey(p => p.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityPostRevisionConfiguration : IEntityTypeConfiguration<CommunityPostRevision>
{
    public void Configure(EntityTypeBuilder<CommunityPostRevision> builder)
    {
        builder.ToTable("CommunityPostRevisions");
        builder.Property(r => r.Body).HasMaxLength(BoardLimits.Body);
        builder.HasIndex(r => new { r.PostId, r.Revision }).IsUnique();
        builder.HasOne<CommunityPost>().WithMany().HasForeignKey(r => r.PostId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityMemberConfiguration : IEntityTypeConfiguration<CommunityMember>
{
    public void Configure(EntityTypeBuilder<CommunityMember> builder)
    {
        builder.ToTable("CommunityMembers");
        builder.Property(m => m.Handle).HasMaxLength(BoardLimits.Handle);
        builder.Property(m => m.DisplayName).HasMaxLength(200);
        builder.HasIndex(m => new { m.OrganizationId, m.Handle }).IsUnique();
        builder.HasIndex(m => new { m.OrganizationId, m.UserId }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class BoardLimits
{
    public const int CategoryName = 80;
    public const int CategoryDescription = 500;
    public const int Title = 200;
    public const int Body = 20_000;
    public const int Handle = 40;
    public const int FlagNote = 500;
}
