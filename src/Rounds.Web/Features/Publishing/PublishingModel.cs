using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
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

/// <summary>One account's copy of a post on its way to the network.</summary>
public enum DeliveryStatus
{
    /// <summary>Not due yet, or the post is not approved yet.</summary>
    Waiting,

    /// <summary>An instance has claimed it and is talking to the network.</summary>
    Sending,
    Published,
    Failed,
    Expired,
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

    /// <summary>When it should go out; null means as soon as it is approved.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

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

/// <summary>One account's copy of a post, and its delivery.</summary>
public sealed class PostTarget : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PostId { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>This account's own wording; null means the post's text.</summary>
    public string? Text { get; set; }

    public Verdict Verdict { get; set; } = Verdict.Pass;

    public DeliveryStatus Status { get; set; }

    /// <summary>
    /// Chosen when the copy is created and never changed, so every attempt sends the same key: the network
    /// (or a read-back) can then tell a retry from a new post.
    /// </summary>
    public string IdempotencyKey { get; set; } = "";

    public string? ExternalId { get; set; }

    public string? ExternalUrl { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not before this time (after a rate limit or a retryable failure).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The instance that holds the copy while sending, and until when; a lapsed claim can be taken over.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>Set when an attempt ended without knowing whether the network stored the post: read back before retrying.</summary>
    public bool OutcomeUnknown { get; set; }

    public string LastError { get; set; } = "";

    public DateTimeOffset? PublishedAt { get; set; }

    public string TextFor(Post post) => Text ?? post.Text;
}

public enum AttemptOutcome
{
    /// <summary>Written before the network call; an attempt still in this state after a crash has an unknown outcome.</summary>
    Started,
    Published,

    /// <summary>A read-back found the post an earlier attempt had created.</summary>
    FoundExisting,
    Failed,
    RateLimited,
    Unknown,
}

/// <summary>One try at sending a copy to its network; every attempt is kept.</summary>
public sealed class DeliveryAttempt : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid TargetId { get; set; }

    public string Instance { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public AttemptOutcome Outcome { get; set; }

    public string Message { get; set; } = "";
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

    public DateTimeOffset At { get; set; }
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

/// <summary>
/// One step of an account's approval workflow. Approvers are named people, or everyone with at least a role;
/// an account with no steps uses one step for reviewers with quorum "any".
/// </summary>
public sealed class ApprovalStep : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    public int Position { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Set when the step is open to a role (and the roles above it).</summary>
    public Role? ApproverRole { get; set; }

    /// <summary>Email addresses of named approvers, comma separated; used when no role is set.</summary>
    public string Approvers { get; set; } = "";

    public Quorum Quorum { get; set; } = Quorum.Any;
}

public enum ConnectionStatus
{
    Connected,

    /// <summary>The network refused the credentials; nothing is sent until someone reconnects.</summary>
    NeedsReconnect,
}

/// <summary>How Rounds signs in to an account's network. The secret is encrypted with data protection.</summary>
public sealed class AccountConnection : IOrgOwned
{
    public Guid AccountId { get; set; }

    public Guid OrganizationId { get; set; }

    public string Network { get; set; } = "";

    public string Service { get; set; } = "";

    public string Identifier { get; set; } = "";

    public string ProtectedSecret { get; set; } = "";

    /// <summary>The name the network reported for the account when the connection was checked.</summary>
    public string NetworkAccountName { get; set; } = "";

    public DateTimeOffset? ExpiresAt { get; set; }

    public ConnectionStatus Status { get; set; }

    public string LastError { get; set; } = "";

    public DateTimeOffset ConnectedAt { get; set; }

    /// <summary>When the owners were last warned that the token expires soon; one warning per expiry.</summary>
    public DateTimeOffset? ExpiryWarnedAt { get; set; }
}

/// <summary>An image for a post or the library, stored without its metadata (a photo's GPS can identify a patient's home).</summary>
public sealed class MediaItem : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid? PostId { get; set; }

    public Guid? LibraryItemId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public byte[] Content { get; set; } = [];

    public string AltText { get; set; } = "";

    public string UploadedBy { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }
}

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

public enum SubmissionStatus
{
    Offered,
    Adopted,
    Declined,
}

/// <summary>A department's content offered to the main (enterprise) channels instead of an account of its own.</summary>
public sealed class MainChannelSubmission : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string SubmitterId { get; set; } = "";

    public string SubmitterName { get; set; } = "";

    public string Department { get; set; } = "";

    public string Text { get; set; } = "";

    public string Note { get; set; } = "";

    public SubmissionStatus Status { get; set; }

    public string DecidedBy { get; set; } = "";

    public string Reason { get; set; } = "";

    public Guid? AdoptedPostId { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>The secret behind a person's calendar feed address; only its hash is kept.</summary>
public sealed class CalendarFeed
{
    public string UserId { get; set; } = "";

    public string TokenHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An organization's publishing settings.</summary>
public sealed class PublishingSettings : IOrgOwned
{
    public const int DefaultGraceMinutes = 60;

    public Guid OrganizationId { get; set; }

    /// <summary>How late a post that fell due while Rounds was down may still go out.</summary>
    public int GraceMinutes { get; set; } = DefaultGraceMinutes;
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
        builder.HasIndex(p => new { p.OrganizationId, p.Status, p.ScheduledAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostTargetConfiguration : IEntityTypeConfiguration<PostTarget>
{
    public void Configure(EntityTypeBuilder<PostTarget> builder)
    {
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Text).HasMaxLength(70_000);
        builder.Property(t => t.Verdict).HasConversion(VerdictColumn.ToText, VerdictColumn.FromText).HasMaxLength(10);
        builder.Property(t => t.IdempotencyKey).HasMaxLength(100);
        builder.Property(t => t.ExternalId).HasMaxLength(500);
        builder.Property(t => t.ExternalUrl).HasMaxLength(1000);
        builder.Property(t => t.ClaimedBy).HasMaxLength(200);
        builder.Property(t => t.LastError).HasMaxLength(2000);
        builder.HasIndex(t => new { t.PostId, t.AccountId }).IsUnique();
        builder.HasIndex(t => t.IdempotencyKey).IsUnique();
        builder.HasIndex(t => new { t.Status, t.NextAttemptAt });
        builder.HasOne<Post>().WithMany().HasForeignKey(t => t.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Accounts.SocialAccount>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Instance).HasMaxLength(200);
        builder.Property(a => a.Message).HasMaxLength(2000);
        builder.HasIndex(a => new { a.TargetId, a.StartedAt });
        builder.HasOne<PostTarget>().WithMany().HasForeignKey(a => a.TargetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostRevisionConfiguration : IEntityTypeConfiguration<PostRevision>
{
    public void Configure(EntityTypeBuilder<PostRevision> builder)
    {
        builder.Property(r => r.EditorName).HasMaxLength(256);
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

internal sealed class ApprovalStepConfiguration : IEntityTypeConfiguration<ApprovalStep>
{
    public void Configure(EntityTypeBuilder<ApprovalStep> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.ApproverRole).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Approvers).HasMaxLength(2000);
        builder.Property(s => s.Quorum).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(s => new { s.AccountId, s.Position }).IsUnique();
        builder.HasOne<Rounds.Web.Features.Accounts.SocialAccount>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountConnectionConfiguration : IEntityTypeConfiguration<AccountConnection>
{
    public void Configure(EntityTypeBuilder<AccountConnection> builder)
    {
        builder.HasKey(c => c.AccountId);
        builder.Property(c => c.Network).HasMaxLength(20);
        builder.Property(c => c.Service).HasMaxLength(500);
        builder.Property(c => c.Identifier).HasMaxLength(300);
        builder.Property(c => c.ProtectedSecret).HasMaxLength(8000);
        builder.Property(c => c.NetworkAccountName).HasMaxLength(300);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.LastError).HasMaxLength(2000);
        builder.HasOne<Rounds.Web.Features.Accounts.SocialAccount>().WithOne().HasForeignKey<AccountConnection>(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MediaItemConfiguration : IEntityTypeConfiguration<MediaItem>
{
    public void Configure(EntityTypeBuilder<MediaItem> builder)
    {
        builder.Property(m => m.FileName).HasMaxLength(260);
        builder.Property(m => m.ContentType).HasMaxLength(100);
        builder.Property(m => m.AltText).HasMaxLength(2000);
        builder.Property(m => m.UploadedBy).HasMaxLength(256);
        builder.HasIndex(m => m.PostId);
        builder.HasIndex(m => m.LibraryItemId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LibraryItemConfiguration : IEntityTypeConfiguration<LibraryItem>
{
    public void Configure(EntityTypeBuilder<LibraryItem> builder)
    {
        builder.Property(l => l.Title).HasMaxLength(200);
        builder.Property(l => l.Text).HasMaxLength(70_000);
        builder.Property(l => l.Tags).HasMaxLength(1000);
        builder.Property(l => l.CreatedBy).HasMaxLength(256);
        builder.HasIndex(l => new { l.OrganizationId, l.CreatedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MainChannelSubmissionConfiguration : IEntityTypeConfiguration<MainChannelSubmission>
{
    public void Configure(EntityTypeBuilder<MainChannelSubmission> builder)
    {
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.SubmitterId).HasMaxLength(450);
        builder.Property(s => s.SubmitterName).HasMaxLength(256);
        builder.Property(s => s.Department).HasMaxLength(200);
        builder.Property(s => s.Text).HasMaxLength(70_000);
        builder.Property(s => s.Note).HasMaxLength(2000);
        builder.Property(s => s.DecidedBy).HasMaxLength(256);
        builder.Property(s => s.Reason).HasMaxLength(2000);
        builder.HasIndex(s => new { s.OrganizationId, s.Status });
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> builder)
    {
        builder.HasKey(f => f.UserId);
        builder.Property(f => f.UserId).HasMaxLength(450);
        builder.Property(f => f.TokenHash).HasMaxLength(100);
        builder.HasIndex(f => f.TokenHash).IsUnique();
    }
}

internal sealed class PublishingSettingsConfiguration : IEntityTypeConfiguration<PublishingSettings>
{
    public void Configure(EntityTypeBuilder<PublishingSettings> builder)
    {
        builder.HasKey(s => s.OrganizationId);
        builder.HasOne<Organization>().WithOne().HasForeignKey<PublishingSettings>(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Verdicts are stored as their API spelling (<c>pass</c>, <c>review</c>, <c>block</c>), readable in the database.</summary>
internal static class VerdictColumn
{
    public static readonly System.Linq.Expressions.Expression<Func<Verdict, string>> ToText = v => ScreeningNames.Of(v);

    public static readonly System.Linq.Expressions.Expression<Func<string, Verdict>> FromText = s => ScreeningNames.ParseVerdict(s);
}
