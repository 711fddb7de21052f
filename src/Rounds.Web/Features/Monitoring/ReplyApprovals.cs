using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>Which replies written in Rounds wait for the account's approval steps before they are sent.</summary>
public enum ReplyApproval
{
    /// <summary>Screened, then sent at once.</summary>
    None,

    /// <summary>Replies screening flags for review wait for approval; the others are sent at once.</summary>
    Flagged,

    /// <summary>Every reply waits for approval.</summary>
    All,
}

/// <summary>The organization's inbox settings; an organization without a row sends replies without approval.</summary>
public sealed class MonitoringSettings : IOrgOwned
{
    public Guid OrganizationId { get; set; }

    public ReplyApproval ReplyApproval { get; set; }

    /// <summary>What the organization may spend on X reads a month, in millionths of a dollar; null: X is not read.</summary>
    public long? XReadBudgetMicros { get; set; }
}

/// <summary>One approver's decision on one step of a reply waiting for approval.</summary>
public sealed class ReplyDecision : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid MessageId { get; set; }

    public int StepPosition { get; set; }

    public string ApproverId { get; set; } = "";

    public bool Approved { get; set; }

    public DateTimeOffset DecidedAt { get; set; }
}

internal sealed class MonitoringSettingsConfiguration : IEntityTypeConfiguration<MonitoringSettings>
{
    public void Configure(EntityTypeBuilder<MonitoringSettings> builder)
    {
        builder.ToTable("MonitoringSettings");
        builder.HasKey(s => s.OrganizationId);
        builder.Property(s => s.ReplyApproval).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Organization>().WithOne().HasForeignKey<MonitoringSettings>(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReplyDecisionConfiguration : IEntityTypeConfiguration<ReplyDecision>
{
    public void Configure(EntityTypeBuilder<ReplyDecision> builder)
    {
        builder.ToTable("ReplyDecisions");
        builder.Property(d => d.ApproverId).HasMaxLength(100);
        builder.HasIndex(d => new { d.MessageId, d.StepPosition, d.ApproverId }).IsUnique();
        builder.HasIndex(d => d.OrganizationId);
        builder.HasOne<Message>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record MonitoringSettingsInput(string? ReplyApproval);

public sealed record MonitoringSettingsDto(string ReplyApproval);

/// <param name="Note">Why the reply is turned down; required to reject, so its author knows what to change.</param>
public sealed record ReplyDecisionInput(bool Approve, string? Note);

/// <param name="State">"passed", "current" (waiting for its approvers) or "waiting" (an earlier step is open).</param>
public sealed record ReplyStepState(int Position, string Name, string State, IReadOnlyList<string> ApprovedBy, bool EveryoneMustApprove);

/// <param name="CanDecide">The caller is an approver of the current step who has not decided it yet.</param>
public sealed record PendingReply(Guid MessageId, IReadOnlyList<ReplyStepState> Steps, bool CanDecide);

/// <summary>
/// Replies held for the account's approval steps, the same steps a post to the account passes (read through
/// publishing's contract). An author never approves their own reply; a step with quorum "all" needs every other
/// approver; one person approves one step of a reply unless the account allows more. When the last step passes
/// the reply is sent, once, like any other.
/// </summary>
public sealed class ReplyApprovals(
    RoundsDbContext db, IApprovalWorkflows workflows, IAccountDirectory accounts, INotifier notifier, IAuditLog audit, TimeProvider clock,
    DeliverReply deliver)
{
    public static string Key(ReplyApproval value) => value switch
    {
        ReplyApproval.None => "none",
        ReplyApproval.Flagged => "flagged",
        ReplyApproval.All => "all",
    };

    public static async Task<ReplyApproval> SettingAsync(RoundsDbContext db, Guid organizationId, CancellationToken cancellationToken) =>
        await db.Set<MonitoringSettings>().Where(s => s.OrganizationId == organizationId).Select(s => (ReplyApproval?)s.ReplyApproval).FirstOrDefaultAsync(cancellationToken)
            ?? ReplyApproval.None;

    public async Task<MonitoringSettingsDto> SettingsAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        new(Key(await SettingAsync(db, org.Id, cancellationToken)));

    /// <summary>Which replies need approval; loosening it lets replies out unreviewed, so only admins decide.</summary>
    public async Task<Outcome> SaveSettingsAsync(OrgContext org, MonitoringSettingsInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only admins decide which replies need approval.");
        }

        var value = Enum.GetValues<ReplyApproval>().Cast<ReplyApproval?>().FirstOrDefault(v => Key(v!.Value) == input.ReplyApproval?.Trim().ToLowerInvariant());
        if (value is null)
        {
            return Outcome.Invalid("ReplyApproval", "Say which replies need approval: none, flagged or all.");
        }

        var settings = await db.Set<MonitoringSettings>().FirstOrDefaultAsync(s => s.OrganizationId == org.Id, cancellationToken);
        var before = settings?.ReplyApproval ?? ReplyApproval.None;
        if (settings is null)
        {
            settings = new MonitoringSettings { OrganizationId = org.Id };
            db.Add(settings);
        }

        settings.ReplyApproval = value.Value;
        audit.Record(org.Id, "monitoring.settings.saved", nameof(MonitoringSettings), org.Id.ToString(), new { ReplyApproval = Key(before) }, new { ReplyApproval = Key(value.Value) });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Where each reply of a conversation waiting for approval stands, and whether the caller may decide it.</summary>
    public async Task<IReadOnlyList<PendingReply>> PendingAsync(OrgContext org, Guid conversationId, CancellationToken cancellationToken = default)
    {
        var waiting = await db.Set<Message>().AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.OrganizationId == org.Id && m.State == MessageState.AwaitingApproval).ToListAsync(cancellationToken);
        var pending = new List<PendingReply>();
        foreach (var message in waiting)
        {
            var progress = await ProgressAsync(message, cancellationToken);
            var names = await db.People().Where(p => progress.Decisions.Select(d => d.ApproverId).Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
            var steps = progress.Workflow.Steps.Select(step => new ReplyStepState(
                step.Position, step.Name,
                progress.Current is null || step.Position < progress.Current.Position ? "passed" : step.Position == progress.Current.Position ? "current" : "waiting",
                progress.Decisions.Where(d => d.StepPosition == step.Position && d.Approved).Select(d => names.GetValueOrDefault(d.ApproverId) ?? "a former member").ToList(),
                step.EveryoneMustApprove)).ToList();
            pending.Add(new PendingReply(message.Id, steps, progress.MayDecide(org.UserId, message.SentBy)));
        }

        return pending;
    }

    /// <summary>
    /// Records the caller's decision on the reply's current step. A rejection ends the reply, with the reason for its
    /// author; the approval that passes the last step sends it.
    /// </summary>
    public async Task<Outcome<ReplySent>> DecideAsync(OrgContext org, Guid conversationId, Guid messageId, ReplyDecisionInput input, CancellationToken cancellationToken = default)
    {
        var message = await db.Set<Message>().FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == conversationId && m.OrganizationId == org.Id && !m.Inbound, cancellationToken);
        if (message is null)
        {
            return Outcome.NotFound;
        }

        if (message.State != MessageState.AwaitingApproval)
        {
            return Outcome.Refused("The reply is not waiting for approval.");
        }

        var progress = await ProgressAsync(message, cancellationToken);

        // Its author may withdraw a held reply, and an admin may turn one down, whatever step it waits at: a step
        // whose approvers cannot act (someone named who cannot open the inbox, or who has left) must not hold the
        // conversation for ever, since no new reply is taken while one waits.
        var byAuthor = message.SentBy == org.UserId;
        var overriding = !input.Approve && (byAuthor || org.IsAtLeast(Role.Admin));
        if (!overriding && (progress.Current is null || !progress.MayDecide(org.UserId, message.SentBy)))
        {
            return Outcome.Forbidden(byAuthor
                ? "You wrote this reply; someone else approves it."
                : "You are not an approver of the step this reply waits for, or you have decided it already.");
        }

        var note = input.Note?.Trim() ?? "";
        if (!input.Approve && note.Length == 0 && !byAuthor)
        {
            return Outcome.Invalid("Note", "Say why the reply is turned down, so its author knows what to change.");
        }

        if (note.Length > 500)
        {
            return Outcome.Invalid("Note", "A note has at most 500 characters.");
        }

        var conversation = await db.Set<Conversation>().FirstAsync(c => c.Id == message.ConversationId, cancellationToken);
        db.Add(new ReplyDecision { OrganizationId = org.Id, MessageId = message.Id, StepPosition = progress.Current?.Position ?? 0, ApproverId = org.UserId, Approved = input.Approve, DecidedAt = clock.GetUtcNow() });
        conversation.Version = Guid.NewGuid();
        await notifier.SettleAsync(org.Id, $"monitoring-reply:{message.Id}:", org.UserId, cancellationToken);
        if (!input.Approve)
        {
            message.State = MessageState.Rejected;
            message.Error = note.Length > 0 ? note : "Withdrawn by its author.";
            await notifier.SettleAsync(org.Id, $"monitoring-reply:{message.Id}:", cancellationToken: cancellationToken);
            if (message.SentBy is { } author && !byAuthor)
            {
                await notifier.NotifyAsync(org.Id, [author], $"monitoring-reply-rejected:{message.Id}", $"Your reply was turned down: {note}", await LinkAsync(conversation, cancellationToken), cancellationToken);
            }

            audit.Record(org.Id, byAuthor ? "monitoring.reply.withdrawn" : "monitoring.reply.rejected", nameof(Message), message.Id.ToString(),
                after: new { ConversationId = conversation.Id, Step = progress.Current?.Name, Note = note });
            return await SaveAsync(cancellationToken) ?? new Outcome<ReplySent>(Outcome.Success, new ReplySent(message.Id, "", "", "rejected"));
        }

        // Approving is never an override: the check above found the current step and the person on it.
        var step = progress.Current!;
        audit.Record(org.Id, "monitoring.reply.approved", nameof(Message), message.Id.ToString(), after: new { ConversationId = conversation.Id, Step = step.Name });
        var after = await ProgressAsync(message, cancellationToken);
        if (after.Current is { } next)
        {
            if (next.Position != step.Position)
            {
                await AskAsync(org.Id, conversation, message, next, cancellationToken);
            }

            return await SaveAsync(cancellationToken) ?? new Outcome<ReplySent>(Outcome.Success, new ReplySent(message.Id, "", "", "awaiting_approval"));
        }

        // The last approval and the move to sending are saved together, so a failed save sends nothing.
        await notifier.SettleAsync(org.Id, $"monitoring-reply:{message.Id}:", cancellationToken: cancellationToken);
        return await deliver.SendAsync(org, conversation, message, cancellationToken);
    }

    /// <summary>Tells the approvers of a step (never the reply's author) that a reply waits for them.</summary>
    internal async Task AskAsync(Guid organizationId, Conversation conversation, Message message, WorkflowStep step, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(organizationId, message.AccountId, cancellationToken);
        await notifier.NotifyAsync(organizationId, step.ApproverIds.Where(id => id != message.SentBy), $"monitoring-reply:{message.Id}:{step.Position}",
            $"A reply on {account?.Label ?? "an account"} waits for your approval ({step.Name})", await LinkAsync(conversation, cancellationToken), cancellationToken);
    }

    /// <summary>The reply's workflow, its decisions, and the first step not yet passed (none when every step has).</summary>
    internal async Task<Progress> ProgressAsync(Message message, CancellationToken cancellationToken)
    {
        var workflow = await workflows.ForAccountAsync(message.OrganizationId, message.AccountId, cancellationToken);
        var decisions = await db.Set<ReplyDecision>().AsNoTracking().Where(d => d.MessageId == message.Id).ToListAsync(cancellationToken);
        decisions.AddRange(db.ChangeTracker.Entries<ReplyDecision>().Where(e => e.State == EntityState.Added && e.Entity.MessageId == message.Id).Select(e => e.Entity));
        var current = workflow.Steps.OrderBy(s => s.Position).FirstOrDefault(step =>
        {
            var approvers = step.ApproverIds.Where(id => id != message.SentBy).ToHashSet();
            var approved = decisions.Where(d => d.StepPosition == step.Position && d.Approved && approvers.Contains(d.ApproverId)).Select(d => d.ApproverId).ToHashSet();
            return step.EveryoneMustApprove ? approvers.Count == 0 || !approvers.IsSubsetOf(approved) : approved.Count == 0;
        });
        return new Progress(workflow, decisions, current);
    }

    private async Task<string> LinkAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var slug = await db.Organizations.Where(o => o.Id == conversation.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        return $"/o/{slug}/inbox/{conversation.Id}";
    }

    private async Task<Outcome<ReplySent>?> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            // Two decisions at once: the conversation's version (or the unique decision) lets one through.
            return Outcome.Refused("Someone else decided on this reply at the same time; read it again.");
        }
    }

    internal sealed record Progress(AccountWorkflow Workflow, IReadOnlyList<ReplyDecision> Decisions, WorkflowStep? Current)
    {
        /// <summary>
        /// An approver of the current step, not the author, who has not decided it, and (unless the account allows
        /// it) has approved no earlier step of this reply.
        /// </summary>
        public bool MayDecide(string userId, string? author) =>
            Current is { } step && userId != author && step.ApproverIds.Contains(userId)
            && !Decisions.Any(d => d.ApproverId == userId && d.StepPosition == step.Position)
            && (Workflow.OneApproverManySteps || !Decisions.Any(d => d.ApproverId == userId && d.Approved));
    }
}
