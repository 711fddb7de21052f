using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Publishing;
using Verdict = Rounds.Screening.Verdict;

namespace Rounds.Web.Features.Publishing.Delivery;

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

    /// <summary>The account was retired (or otherwise stopped running) before the copy went out.</summary>
    Cancelled,

    /// <summary>
    /// Rounds cannot publish to the account, so the approved copy waits for one of its owners to post it by hand
    /// and record its address (<see cref="PostByHand"/>).
    /// </summary>
    WithOwner,
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

    /// <summary>
    /// A new value at every claim, checked by every write of the claimant (a concurrency token): an instance whose
    /// claim was taken over, after it lapsed or under a clock behind the others', cannot write over what the
    /// instance now holding the copy records.
    /// </summary>
    public Guid? ClaimId { get; set; }

    /// <summary>Set when an attempt ended without knowing whether the network stored the post: read back before retrying.</summary>
    public bool OutcomeUnknown { get; set; }

    public string LastError { get; set; } = "";

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>
    /// A resumable video upload this copy started, as "REVISION URI" (YouTube's session address), kept so that a
    /// retry resumes the upload or finds its video rather than uploading it again.
    /// </summary>
    public string? UploadSession { get; set; }

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

    /// <summary>
    /// The network limited the account's posting until then. Written as soon as the network says so, so that
    /// every instance, and this one after a restart, sends nothing to the account before that time.
    /// </summary>
    public DateTimeOffset? RateLimitedUntil { get; set; }
}

/// <summary>An organization's publishing settings.</summary>
public sealed class PublishingSettings : IOrgOwned
{
    public const int DefaultGraceMinutes = 60;

    public Guid OrganizationId { get; set; }

    /// <summary>How late a post that fell due while Rounds was down may still go out.</summary>
    public int GraceMinutes { get; set; } = DefaultGraceMinutes;
}

internal sealed class PostTargetConfiguration : IEntityTypeConfiguration<PostTarget>
{
    public void Configure(EntityTypeBuilder<PostTarget> builder)
    {
        builder.Property(t => t.UploadSession).HasMaxLength(2048);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Text).HasMaxLength(70_000);
        builder.Property(t => t.Verdict).HasConversion(VerdictColumn.ToText, VerdictColumn.FromText).HasMaxLength(10);
        builder.Property(t => t.IdempotencyKey).HasMaxLength(100);
        builder.Property(t => t.ExternalId).HasMaxLength(500);
        builder.Property(t => t.ExternalUrl).HasMaxLength(1000);
        builder.Property(t => t.ClaimedBy).HasMaxLength(200);
        builder.Property(t => t.ClaimId).IsConcurrencyToken();
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

internal sealed class PublishingSettingsConfiguration : IEntityTypeConfiguration<PublishingSettings>
{
    public void Configure(EntityTypeBuilder<PublishingSettings> builder)
    {
        builder.HasKey(s => s.OrganizationId);
        builder.HasOne<Organization>().WithOne().HasForeignKey<PublishingSettings>(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
