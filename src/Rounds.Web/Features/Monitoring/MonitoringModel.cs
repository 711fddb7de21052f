using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Networks.Ingestion;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// One source of one registered account (its own posts, or posts addressed to it) and where its last read
/// ended. The cursor is the network's own (Bluesky: the newest record key seen), stored in Rounds so that a
/// restart goes on where the last read stopped.
/// </summary>
public sealed class MonitoringSource : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    public SourceKind Kind { get; set; }

    public string? Cursor { get; set; }

    /// <summary>The account's stable id on the network (a DID), learned on the first read.</summary>
    public string NetworkAccountId { get; set; } = "";

    public DateTimeOffset? LastReadAt { get; set; }

    public string LastError { get; set; } = "";

    /// <summary>
    /// Until when the network asked not to be called again (a throttle's <c>Retry-After</c>): the source is not read
    /// before then, by the rounds or on demand, and the hold outlives a restart.
    /// </summary>
    public DateTimeOffset? RateLimitedUntil { get; set; }

    /// <summary>The newest post the account itself published, from ingestion; dormancy and trials can read it.</summary>
    public DateTimeOffset? LastPostAt { get; set; }

    /// <summary>
    /// The account's profile text as last read with its posts (own-posts source only); its posts are screened
    /// with it, as the composer screens with the bio it is given.
    /// </summary>
    public string? Bio { get; set; }
}

/// <summary>
/// A thread of messages on one account: a post addressed to it and what followed, or the account's own post
/// and the replies it drew. <see cref="WaitingSince"/> is the time of the oldest inbound message nobody has
/// answered; only a reply by a person clears it, so assigning or noting never makes a message look answered.
/// </summary>
public sealed class Conversation : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    public string Network { get; set; } = "";

    /// <summary>The network id of the thread's first post, which every later message names.</summary>
    public string RootId { get; set; } = "";

    /// <summary>The root's version (Bluesky's CID), which a reply must name beside its id.</summary>
    public string RootVersion { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastMessageAt { get; set; }

    public bool HasInbound { get; set; }

    public DateTimeOffset? WaitingSince { get; set; }

    /// <summary>When the first inbound message arrived, and when a person first answered it: the first-response clock.</summary>
    public DateTimeOffset? FirstInboundAt { get; set; }

    public DateTimeOffset? FirstResponseAt { get; set; }

    /// <summary>The latest answer by the account, so that a message older than it, read late, does not wait.</summary>
    public DateTimeOffset? LastReplyAt { get; set; }

    public string? AssignedTo { get; set; }

    /// <summary>The due time a second person was last told about, so one approaching breach escalates once.</summary>
    public DateTimeOffset? EscalatedDueAt { get; set; }

    /// <summary>Changed on every write, so two people answering at once cannot both pass the check that nobody has.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}

public enum MessageState
{
    /// <summary>Read from the network.</summary>
    Received,

    /// <summary>Written in Rounds; its record key is stored, the network has not confirmed it yet.</summary>
    Sending,

    Sent,

    /// <summary>The network refused it; the reason is kept and nothing is retried.</summary>
    Failed,

    /// <summary>Written in Rounds and held for the account's approval steps; nothing has gone to the network.</summary>
    AwaitingApproval,

    /// <summary>An approver turned it down; it is never sent, and the reason is kept in its error.</summary>
    Rejected,
}

public sealed class Message : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ConversationId { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The network id (at:// URI); for a reply not yet confirmed, <c>pending:</c> and its record key.</summary>
    public string NetworkId { get; set; } = "";

    /// <summary>The version replied to when answering this message (Bluesky's CID).</summary>
    public string Version { get; set; } = "";

    public string Url { get; set; } = "";

    public string AuthorId { get; set; } = "";

    public string AuthorHandle { get; set; } = "";

    public string Text { get; set; } = "";

    public DateTimeOffset PostedAt { get; set; }

    /// <summary>Written by someone other than the account.</summary>
    public bool Inbound { get; set; }

    public MessageState State { get; set; }

    /// <summary>The person who wrote it in Rounds; null for what was read from the network.</summary>
    public string? SentBy { get; set; }

    /// <summary>The record key chosen before the first attempt, the same on every retry.</summary>
    public string? IdempotencyKey { get; set; }

    public string Error { get; set; } = "";

    /// <summary>What screening flagged in a reply written in Rounds, for its approvers; empty when nothing was.</summary>
    public string Flags { get; set; } = "";

    /// <summary>When the network reported the post deleted.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>A note the team leaves on a conversation; never sent to the network.</summary>
public sealed class ConversationNote : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ConversationId { get; set; }

    public string AuthorId { get; set; } = "";

    public string AuthorName { get; set; } = "";

    public string Text { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A post a registered account published that screening blocks, raised once per post and finding type.
/// The post's text is not copied: the link leads to it, and the finding says what was found.
/// </summary>
public sealed class MonitoringAlert : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    public string PostId { get; set; } = "";

    public string PostUrl { get; set; } = "";

    public string FindingType { get; set; } = "";

    public string FindingMessage { get; set; } = "";

    public DateTimeOffset PostedAt { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    public string ResolutionNote { get; set; } = "";
}

internal sealed class MonitoringSourceConfiguration : IEntityTypeConfiguration<MonitoringSource>
{
    /// <summary>Longer than any network allows a profile (Bluesky 256 graphemes, Mastodon 500 characters by default).</summary>
    public const int MaxBio = 2_000;

    public void Configure(EntityTypeBuilder<MonitoringSource> builder)
    {
        builder.ToTable("MonitoringSources");
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Cursor).HasMaxLength(200);
        builder.Property(s => s.NetworkAccountId).HasMaxLength(200);
        builder.Property(s => s.LastError).HasMaxLength(500);
        builder.Property(s => s.Bio).HasMaxLength(MaxBio);
        builder.HasIndex(s => new { s.AccountId, s.Kind }).IsUnique();
        builder.HasIndex(s => s.OrganizationId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.Property(c => c.Network).HasMaxLength(20);
        builder.Property(c => c.RootId).HasMaxLength(300);
        builder.Property(c => c.RootVersion).HasMaxLength(200);
        builder.Property(c => c.AssignedTo).HasMaxLength(100);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => new { c.AccountId, c.RootId }).IsUnique();
        // The inbox's two runs, each read in an index's order (Inbox.ListAsync): the waiting ones, longest first, and the
        // others, latest message first. The inbound flag comes last so the index answers it without the row: SQLite
        // seeks no further on a bare boolean column, and the waiting count on every page is then read from the index
        // alone. The second, partial index holds only the others, in their order, for a planner that will not take that
        // order from the first after an "IS NULL" (PostgreSQL's).
        builder.HasIndex(c => new { c.OrganizationId, c.WaitingSince, c.LastMessageAt, c.Id, c.HasInbound });
        builder.HasIndex(c => new { c.OrganizationId, c.LastMessageAt, c.Id, c.HasInbound }).HasDatabaseName("IX_Conversations_Answered_Latest")
            .HasFilter("\"WaitingSince\" IS NULL");
        // The first-answer report reads the conversations whose first inbound message falls in its window; without this
        // it reads every conversation of the organization.
        builder.HasIndex(c => new { c.OrganizationId, c.FirstInboundAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("ConversationMessages");
        builder.Property(m => m.NetworkId).HasMaxLength(300);
        builder.Property(m => m.Version).HasMaxLength(200);
        builder.Property(m => m.Url).HasMaxLength(500);
        builder.Property(m => m.AuthorId).HasMaxLength(200);
        builder.Property(m => m.AuthorHandle).HasMaxLength(300);
        builder.Property(m => m.Text).HasMaxLength(10_000);
        builder.Property(m => m.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.SentBy).HasMaxLength(100);
        builder.Property(m => m.IdempotencyKey).HasMaxLength(100);
        builder.Property(m => m.Error).HasMaxLength(500);
        builder.Property(m => m.Flags).HasMaxLength(1000);

        // A post addressed to two accounts of the organization is in both inboxes, once each.
        builder.HasIndex(m => new { m.AccountId, m.NetworkId }).IsUnique();
        builder.HasIndex(m => m.ConversationId);
        builder.HasIndex(m => m.OrganizationId);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConversationNoteConfiguration : IEntityTypeConfiguration<ConversationNote>
{
    public void Configure(EntityTypeBuilder<ConversationNote> builder)
    {
        builder.ToTable("ConversationNotes");
        builder.Property(n => n.AuthorId).HasMaxLength(100);
        builder.Property(n => n.AuthorName).HasMaxLength(200);
        builder.Property(n => n.Text).HasMaxLength(4000);
        builder.HasIndex(n => n.ConversationId);
        builder.HasIndex(n => n.OrganizationId);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(n => n.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MonitoringAlertConfiguration : IEntityTypeConfiguration<MonitoringAlert>
{
    public void Configure(EntityTypeBuilder<MonitoringAlert> builder)
    {
        builder.ToTable("MonitoringAlerts");
        builder.Property(a => a.PostId).HasMaxLength(300);
        builder.Property(a => a.PostUrl).HasMaxLength(500);
        builder.Property(a => a.FindingType).HasMaxLength(100);
        builder.Property(a => a.FindingMessage).HasMaxLength(1000);
        builder.Property(a => a.ResolvedBy).HasMaxLength(100);
        builder.Property(a => a.ResolutionNote).HasMaxLength(2000);
        builder.HasIndex(a => new { a.AccountId, a.PostId, a.FindingType }).IsUnique();
        builder.HasIndex(a => new { a.OrganizationId, a.ResolvedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
