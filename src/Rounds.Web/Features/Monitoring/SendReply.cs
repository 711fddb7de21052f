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

public sealed record ReplySent(Guid MessageId, string NetworkId, string Url);

/// <summary>
/// Answers a conversation from Rounds: the text is screened as the account (a blocking finding refuses it with
/// the findings), then posted through the account's connector as a reply to the newest inbound message. The
/// record key is chosen and saved before the network is called, so a retry or a read-back after a lost answer
/// finds the same post instead of writing a second one (docs/decisions/0008-exactly-once-delivery.md).
/// </summary>
public sealed class SendReply(
    RoundsDbContext db, IAccountDirectory accounts, IOrganizationScreener screener, IConnectedAccounts connections,
    IAuditLog audit, TimeProvider clock, ILogger<SendReply> logger)
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

        var parent = await db.Set<Message>().AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Inbound)
            .OrderByDescending(m => m.PostedAt).FirstOrDefaultAsync(cancellationToken);
        if (parent is null)
        {
            return Outcome.Refused("Nobody has written in this conversation; there is nothing to answer.");
        }

        if (await db.Set<Message>().AnyAsync(m => m.ConversationId == conversation.Id && m.State == MessageState.Sending, cancellationToken))
        {
            return Outcome.Refused("A reply to this conversation is still on its way; wait for the network to confirm it.");
        }

        var connector = await connections.ConnectorForAsync(org.Id, account.Id, cancellationToken);
        if (connector is null)
        {
            return Outcome.Refused($"{account.Label} is not connected: connect it on its account page to reply from Rounds.");
        }

        // The key and the time are saved before the network is called; the conversation's version makes two
        // people answering at once collide here instead of on the network.
        var now = clock.GetUtcNow();
        var key = Tid.Next(clock);
        var message = new Message
        {
            OrganizationId = org.Id,
            ConversationId = conversation.Id,
            AccountId = account.Id,
            NetworkId = "pending:" + key,
            AuthorHandle = account.Handle,
            Text = text,
            PostedAt = now,
            State = MessageState.Sending,
            SentBy = org.UserId,
            IdempotencyKey = key,
        };
        db.Add(message);
        conversation.Version = Guid.NewGuid();
        audit.Record(org.Id, "monitoring.reply.written", nameof(Message), message.Id.ToString(), after: new { ConversationId = conversation.Id, Key = key });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refused("Someone else changed this conversation at the same time; read it again before answering.");
        }

        var request = new PublishRequest(text, key, now, ReplyTo: new ReplyReference(
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
