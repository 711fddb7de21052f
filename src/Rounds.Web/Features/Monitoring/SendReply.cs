using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Networks.Bluesky;
using Rounds.Networks.Ingestion;
using Rounds.Screening;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Contracts;

namespace Rounds.Web.Features.Monitoring;

public sealed record ReplyInput(string? Text);

/// <param name="State">"sent"; "awaiting_approval" when the organization holds it for the account's approval steps; "rejected".</param>
public sealed record ReplySent(Guid MessageId, string NetworkId, string Url, string State = "sent");

/// <summary>
/// Answers a conversation from Rounds: the text is screened as the account (a blocking finding refuses it with
/// the findings), then, when the organization says so (every reply, or those screening flags), held for the
/// account's approval steps; otherwise sent at once as a reply to the newest inbound message.
/// </summary>
public sealed class SendReply(
    RoundsDbContext db, IAccountDirectory accounts, IOrganizationScreener screener, IConnectedAccounts connections, IApprovalWorkflows workflows,
    ReplyApprovals approvals, DeliverReply deliver, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<ReplySent>> RunAsync(OrgContext org, Guid conversationId, ReplyInput input, CancellationToken cancellationToken = default)
    {
        var conversation = await db.Set<Conversation>().FirstOrDefaultAsync(c => c.Id == conversationId && c.OrganizationId == org.Id, cancellationToken);
        if (conversation is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Inbox.ViewRole))
        {
            return Outcome.Forbidden("Only account managers, reviewers and admins answer conversations.");
        }

        var text = input.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Outcome.Invalid("Text", "Write the reply.");
        }

        if (conversation.Network != "bluesky")
        {
            return Outcome.Refused("Rounds sends replies to Bluesky only so far; answer on the network itself.");
        }

        if (!PostLimits.Bluesky.Fits(text))
        {
            return Outcome.Invalid("Text", $"The reply is {PostLimits.Bluesky.Measure(text)} characters; Bluesky allows {PostLimits.Bluesky.MaxLength}.");
        }

        var account = await accounts.FindAsync(org.Id, conversation.AccountId, cancellationToken);
        if (account is null || account.Status == AccountStatus.Retired)
        {
            return Outcome.Refused("The account is retired; Rounds no longer speaks for it.");
        }

        var screening = await screener.ScreenAsync(org.Id, new Rounds.Screening.Post(text, IngestAccount.ScreenedKindOf(account.Kind)), Profile.Social, cancellationToken);
        if (screening.Verdict == Verdict.Block)
        {
            var findings = screening.Findings.Where(f => f.Severity == Severity.High).Select(f => $"{f.Type}: {f.Message}").ToArray();
            return new Outcome(OutcomeKind.Invalid, new Dictionary<string, string[]> { ["Text"] = findings }, "Screening blocks this reply: " + string.Join(" ", findings));
        }

        if (!await db.Set<Message>().AnyAsync(m => m.ConversationId == conversation.Id && m.Inbound, cancellationToken))
        {
            return Outcome.Refused("Nobody has written in this conversation; there is nothing to answer.");
        }

        if (await db.Set<Message>().AnyAsync(m => m.ConversationId == conversation.Id && (m.State == MessageState.Sending || m.State == MessageState.AwaitingApproval), cancellationToken))
        {
            return Outcome.Refused("A reply to this conversation is waiting for approval or still on its way; it goes first.");
        }

        if (await connections.ConnectorForAsync(org.Id, account.Id, cancellationToken) is null)
        {
            return Outcome.Refused($"{account.Label} is not connected: connect it on its account page to reply from Rounds.");
        }

        var message = new Message
        {
            OrganizationId = org.Id,
            ConversationId = conversation.Id,
            AccountId = account.Id,
            AuthorHandle = account.Handle,
            Text = text,
            PostedAt = clock.GetUtcNow(),
            SentBy = org.UserId,
        };
        var setting = await ReplyApprovals.SettingAsync(db, org.Id, cancellationToken);
        if (setting == ReplyApproval.All || (setting == ReplyApproval.Flagged && screening.Verdict == Verdict.Review))
        {
            return await HoldAsync(org, conversation, message, screening, cancellationToken);
        }

        db.Add(message);
        return await deliver.SendAsync(org, conversation, message, cancellationToken);
    }

    /// <summary>Keeps the reply for the account's approval steps and tells the first step's approvers.</summary>
    private async Task<Outcome<ReplySent>> HoldAsync(OrgContext org, Conversation conversation, Message message, ScreeningResult screening, CancellationToken cancellationToken)
    {
        var workflow = await workflows.ForAccountAsync(org.Id, message.AccountId, cancellationToken);
        if (workflow.Steps.FirstOrDefault(s => !s.ApproverIds.Any(id => id != org.UserId)) is { } empty)
        {
            return Outcome.Refused($"Nobody but you can approve the step \"{empty.Name}\" of this account's workflow, and nobody approves their own reply; ask a reviewer to add an approver.");
        }

        message.State = MessageState.AwaitingApproval;
        // Unique per account like every network id, and never mistaken for one.
        message.NetworkId = "approval:" + message.Id.ToString("N");
        var flags = string.Join(" ", screening.Findings.Where(f => f.Severity != Severity.Low).Select(f => $"{f.Type}: {f.Message}"));
        message.Flags = flags.Length > 1000 ? flags[..1000] : flags;
        db.Add(message);
        conversation.Version = Guid.NewGuid();
        await approvals.AskAsync(org.Id, conversation, message, workflow.Steps.OrderBy(s => s.Position).First(), cancellationToken);
        audit.Record(org.Id, "monitoring.reply.held", nameof(Message), message.Id.ToString(), after: new { ConversationId = conversation.Id, Flagged = message.Flags.Length > 0 });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refused("Someone else changed this conversation at the same time; read it again before answering.");
        }

        return new Outcome<ReplySent>(Outcome.Success, new ReplySent(message.Id, "", "", "awaiting_approval"));
    }
}

/// <summary>
/// Posts a reply through the account's connector as an answer to the newest inbound message. The record key is
/// chosen and saved before the network is called, so a retry or a read-back after a lost answer finds the same
/// post instead of writing a second one (docs/decisions/0008-exactly-once-delivery.md).
/// </summary>
public sealed class DeliverReply(
    RoundsDbContext db, IAccountDirectory accounts, IConnectedAccounts connections, IAuditLog audit, TimeProvider clock, ILogger<DeliverReply> logger)
{
    /// <summary>Sends a reply just written (added, not saved) or just approved; the caller's pending changes are saved with it.</summary>
    public async Task<Outcome<ReplySent>> SendAsync(OrgContext org, Conversation conversation, Message message, CancellationToken cancellationToken = default)
    {
        var account = await accounts.FindAsync(org.Id, conversation.AccountId, cancellationToken);
        if (account is null || account.Status == AccountStatus.Retired)
        {
            return Outcome.Refused("The account is retired; Rounds no longer speaks for it.");
        }

        var parent = await db.Set<Message>().AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Inbound)
            .OrderByDescending(m => m.PostedAt).FirstOrDefaultAsync(cancellationToken);
        var connector = await connections.ConnectorForAsync(org.Id, account.Id, cancellationToken);
        if (parent is null || connector is null)
        {
            return Outcome.Refused($"{account.Label} is not connected: connect it on its account page to reply from Rounds.");
        }

        // The key and the time are saved before the network is called; the conversation's version makes two
        // people answering (or approving) at once collide here instead of on the network.
        var now = clock.GetUtcNow();
        var key = Tid.Next(clock);
        (message.NetworkId, message.PostedAt, message.State, message.IdempotencyKey) = ("pending:" + key, now, MessageState.Sending, key);
        conversation.Version = Guid.NewGuid();
        audit.Record(org.Id, "monitoring.reply.written", nameof(Message), message.Id.ToString(), after: new { ConversationId = conversation.Id, Key = key });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Outcome.Refused("Someone else changed this conversation at the same time; read it again before answering.");
        }

        var request = new PublishRequest(message.Text, key, now, ReplyTo: new ReplyReference(
            new PostReference(parent.NetworkId, parent.Version), new PostReference(conversation.RootId, conversation.RootVersion)));
        PublishedPost? published;
        try
        {
            published = await connector.PublishAsync(request, cancellationToken);
        }
        catch (NetworkException e) when (e.OutcomeUnknown)
        {
            published = await ReadBackAsync(connector, request, cancellationToken);
            if (published is null)
            {
                // Left as sending: ingestion reads the account's posts and confirms the reply by its key if it landed.
                message.Error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Refused("The network did not confirm the reply; Rounds will see it when it reads the account's posts.");
            }
        }
        catch (NetworkException e)
        {
            logger.LogInformation("A reply on {Account} was refused: {Reason}", account.Label, e.Message);
            message.State = MessageState.Failed;
            message.Error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            await db.SaveChangesAsync(cancellationToken);
            return Outcome.Refused("The network refused the reply: " + message.Error);
        }

        message.NetworkId = published.Id;
        message.Url = published.Url;
        message.State = MessageState.Sent;
        IngestAccount.Answered(conversation, now);
        audit.Record(org.Id, "monitoring.reply.sent", nameof(Message), message.Id.ToString(), after: new { ConversationId = conversation.Id, published.Id });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<ReplySent>(Outcome.Success, new ReplySent(message.Id, published.Id, published.Url));
    }

    private static async Task<PublishedPost?> ReadBackAsync(INetworkConnector connector, PublishRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await connector.FindAsync(request, cancellationToken);
        }
        catch (NetworkException)
        {
            return null;
        }
    }
}
