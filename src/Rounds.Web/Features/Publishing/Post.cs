using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Publishing.Delivery;
using Verdict = Rounds.Screening.Verdict;

namespace Rounds.Web.Features.Publishing;

/// <summary>Where a post stands; the legal moves are in <see cref="PostLifecycle"/>.</summary>
public enum PostStatus
{
    Draft,
    InReview,
    ChangesRequested,
    Approved,
    Rejected,

    /// <summary>Every account's copy is out.</summary>
    Published,

    /// <summary>At least one account's copy could not be published (the network refused it or the account needs reconnecting).</summary>
    Failed,

    /// <summary>The approval was not given by the scheduled time, so the post was not published.</summary>
    Expired,

    /// <summary>Rounds was down when the post fell due and came back after the grace window.</summary>
    Missed,
}

/// <summary>
/// Content for one or several accounts, drafted by staff and approved before it goes out. The text is the
/// default; each account may carry its own variant in <see cref="PostTarget.Text"/>.
/// </summary>
public sealed class Post : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string AuthorId { get; set; } = "";

    public string AuthorName { get; set; } = "";

    public string Text { get; set; } = "";

    private DateTimeOffset? scheduledAt;

    /// <summary>
    /// When it should go out; null means as soon as it is approved. Setting it places the post on the calendar
    /// there (<see cref="CalendarAt"/>). A time is only ever taken away before any copy went out (a post whose copy
    /// is going out or out can no longer be edited), so a post without one leaves the calendar until it goes out.
    /// The database loads the field, not this setter, so reading a post never moves it.
    /// </summary>
    public DateTimeOffset? ScheduledAt
    {
        get => scheduledAt;
        set
        {
            scheduledAt = value;
            CalendarAt = value;
        }
    }

    /// <summary>
    /// Where the calendar shows the post: its scheduled time, or for one sent as soon as it was approved, when its
    /// first copy went out (<see cref="Calendar.CalendarPlacement"/>); null while it has neither. Kept on the post so that a
    /// calendar day is one range of one index: finding the posts without a time through their copies walked every
    /// copy published in the range.
    /// </summary>
    public DateTimeOffset? CalendarAt { get; set; }

    public PostStatus Status { get; set; }

    /// <summary>Counts edits; approvals are given to one revision, so an edit resets them.</summary>
    public int Revision { get; set; } = 1;

    /// <summary>The approval step the post waits on (0-based) while in review.</summary>
    public int CurrentStep { get; set; }

    /// <summary>The worst screening verdict over the accounts' copies at the last save.</summary>
    public Verdict Verdict { get; set; } = Verdict.Pass;

    /// <summary>Why a reviewer let a blocked post through; empty unless overridden.</summary>
    public string OverrideReason { get; set; } = "";

    public string? OverriddenBy { get; set; }

    /// <summary>Set when the post came from a department's offer to the main channels.</summary>
    public Guid? SubmissionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    /// <summary>Changes on every save, so two reviewers acting at once cannot both win.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    /// <summary>
    /// The post changed in a way reviewers must see again (its words or its images): approvals belong to the old
    /// revision, so a post in review or approved goes back to the first step.
    /// </summary>
    public void StartRevision(DateTimeOffset at)
    {
        Revision++;
        UpdatedAt = at;
        ConcurrencyStamp = Guid.NewGuid();
        if (Status is PostStatus.InReview or PostStatus.Approved)
        {
            Status = PostStatus.InReview;
            CurrentStep = 0;
            ApprovedAt = null;
        }
    }
}

/// <summary>A text as it stood at one revision, for the reviewer's diff.</summary>
public sealed class PostRevision : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public int Revision { get; set; }

    /// <summary>The post's text and every variant, as JSON: account id (or "" for the post) to text.</summary>
    public string Texts { get; set; } = "";

    public string EditorName { get; set; } = "";

    /// <summary>Who wrote this revision: an author of it, who may not override its screening or approve it.</summary>
    public string? EditorId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>
    /// What screening flagged as patient data in <see cref="Texts"/> when the revision was saved, as JSON
    /// (<see cref="RevisionFinding"/>): category, type, rule and offsets, never the matched words. Null for a
    /// revision saved before findings were kept; it is screened when it is next needed.
    /// </summary>
    public string? Findings { get; set; }

    /// <summary>SHA-256 of <see cref="Texts"/> as first saved, kept once the text is redacted so an auditor can match a copy to it.</summary>
    public string? OriginalTextHash { get; set; }

    /// <summary>When flagged details were last replaced by placeholders because a later revision removed them.</summary>
    public DateTimeOffset? RedactedAt { get; set; }
}

public enum ReviewDecision
{
    Approve,
    RequestChanges,
    Reject,
}

/// <summary>One reviewer's decision on one revision at one approval step.</summary>
public sealed class PostReview : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public int Revision { get; set; }

    public int Step { get; set; }

    public string ReviewerId { get; set; } = "";

    public string ReviewerName { get; set; } = "";

    public ReviewDecision Decision { get; set; }

    public string Note { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

internal sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> builder)
    {
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.AuthorId).HasMaxLength(450);
        builder.Property(p => p.AuthorName).HasMaxLength(256);
        builder.Property(p => p.Text).HasMaxLength(70_000);
        builder.Property(p => p.Verdict).HasConversion(VerdictColumn.ToText, VerdictColumn.FromText).HasMaxLength(10);
        builder.Property(p => p.OverrideReason).HasMaxLength(2000);
        builder.Property(p => p.OverriddenBy).HasMaxLength(256);
        builder.Property(p => p.ConcurrencyStamp).IsConcurrencyToken();
        // The review queue reads posts in review in queue order (time, then submission, then id), each run from
        // this index without sorting; the publisher seeks approved posts by time on its first three columns.
        builder.HasIndex(p => new { p.OrganizationId, p.Status, p.ScheduledAt, p.SubmittedAt, p.Id });
        // The posts list pages by latest change, and the calendar seeks a range of placements whatever the status.
        // The id completes both orders, so a page is read from the index without sorting its ties; the status
        // after it lets the calendar leave out rejected posts, and count a day, without reading the rows.
        builder.HasIndex(p => new { p.OrganizationId, p.UpdatedAt, p.Id });
        builder.HasIndex(p => new { p.OrganizationId, p.CalendarAt, p.Id, p.Status });
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostRevisionConfiguration : IEntityTypeConfiguration<PostRevision>
{
    public void Configure(EntityTypeBuilder<PostRevision> builder)
    {
        builder.Property(r => r.EditorName).HasMaxLength(256);
        builder.Property(r => r.OriginalTextHash).HasMaxLength(64);
        builder.Property(r => r.EditorId).HasMaxLength(450);
        builder.HasIndex(r => new { r.PostId, r.Revision }).IsUnique();
        builder.HasOne<Post>().WithMany().HasForeignKey(r => r.PostId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostReviewConfiguration : IEntityTypeConfiguration<PostReview>
{
    public void Configure(EntityTypeBuilder<PostReview> builder)
    {
        builder.Property(r => r.Decision).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.ReviewerId).HasMaxLength(450);
        builder.Property(r => r.ReviewerName).HasMaxLength(256);
        builder.Property(r => r.Note).HasMaxLength(2000);
        builder.HasIndex(r => new { r.PostId, r.Revision, r.Step });
        builder.HasOne<Post>().WithMany().HasForeignKey(r => r.PostId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Verdicts are stored as their API spelling (<c>pass</c>, <c>review</c>, <c>block</c>), readable in the database.</summary>
internal static class VerdictColumn
{
    public static readonly System.Linq.Expressions.Expression<Func<Verdict, string>> ToText = v => ScreeningNames.Of(v);

    public static readonly System.Linq.Expressions.Expression<Func<string, Verdict>> FromText = s => ScreeningNames.ParseVerdict(s);
}
