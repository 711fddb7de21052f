using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// Two years of the response inbox for <c>./rounds seed</c> (<see cref="SeedPlan.Conversations"/>, by default one
/// conversation per ten posts): replies and mentions on the organization's live accounts, most answered by the team,
/// a few hundred still waiting, some assigned. Conversations already seeded are counted, so seeding twice keeps the
/// number.
/// </summary>
internal sealed class SeedConversations(RoundsDbContext db, IAccountDirectory directory) : ISeedData
{
    private static readonly string[] Asks =
    [
        "What are the visiting hours this weekend?", "Is the walk-in clinic open on Sunday?", "Thank you to the night nurses on 4 West!",
        "How do I get a copy of my records?", "Great talk on heart health, will it be posted?", "Where do I park for the cancer center?",
        "Do you offer flu shots for children?", "Congratulations on the new stroke center!", "Who do I call about a billing question?",
    ];

    private static readonly string[] Answers =
    [
        "Thank you for reaching out! Please call our patient line at the number on our website.",
        "Thanks so much for the kind words, we have passed them on to the team.",
        "Good question: the details are on our website, and our team is happy to help by phone.",
    ];

    public int Order => 80;

    public async Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        var wanted = plan.Conversations ?? plan.Posts / 10;
        var seeded = await db.Set<Conversation>().CountAsync(c => c.OrganizationId == plan.OrganizationId && c.RootId.StartsWith("seed:"), cancellationToken);
        var accounts = (await directory.ListAsync(plan.OrganizationId, cancellationToken: cancellationToken)).Where(a => a.Status == AccountStatus.Active).ToList();
        if (wanted <= seeded || accounts.Count == 0)
        {
            return;
        }

        // Those who answer the inbox (account managers and above) are the ones conversations are assigned to.
        var answerers = plan.Members.Where(m => m.Role >= Inbox.ViewRole).ToList();
        var random = new Random(plan.Seed + 8);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var conversations = new BulkInsert<Conversation>(db, transaction.GetDbTransaction());
        await using var messages = new BulkInsert<Message>(db, transaction.GetDbTransaction());
        for (var i = seeded; i < wanted; i++)
        {
            var account = accounts[random.Next(accounts.Count)];
            var network = account.Platform.ToString().ToLowerInvariant();
            var started = plan.Now.AddMinutes(-random.Next(5, 730 * 24 * 60));
            var conversation = new Conversation
            {
                OrganizationId = plan.OrganizationId, AccountId = account.Id, Network = network, RootId = $"seed:{i}", RootVersion = "1",
                StartedAt = started, LastMessageAt = started, HasInbound = true, FirstInboundAt = started,
            };

            // Most are answered; about one in three hundred still waits, as a busy team leaves them at any moment.
            var inbound = 1 + random.Next(3);
            var at = started;
            for (var j = 0; j < inbound; j++)
            {
                messages.Add(Received(plan, account.Id, conversation.Id, $"seed:{i}:{j}", Asks[random.Next(Asks.Length)], at, random));
                conversation.LastMessageAt = at;
                if (random.Next(300) == 0 || at > plan.Now.AddHours(-2))
                {
                    conversation.WaitingSince ??= at;
                    break;
                }

                var answerer = answerers.Count == 0 ? null : answerers[random.Next(answerers.Count)];
                at = at.AddMinutes(5 + random.Next(240));
                if (at > plan.Now)
                {
                    conversation.WaitingSince ??= conversation.LastMessageAt;
                    break;
                }

                messages.Add(Sent(plan, account, conversation.Id, $"seed:{i}:{j}:reply", Answers[random.Next(Answers.Length)], at, answerer?.UserId));
                conversation.FirstResponseAt ??= at;
                conversation.LastReplyAt = at;
                conversation.LastMessageAt = at;
                conversation.AssignedTo = random.Next(4) == 0 ? answerer?.UserId : conversation.AssignedTo;
                at = at.AddMinutes(30 + random.Next(3_000));
                if (at > plan.Now)
                {
                    break;
                }
            }

            conversations.Add(conversation);
            if (conversations.Pending >= 10_000)
            {
                await conversations.FlushAsync(cancellationToken);
                await messages.FlushAsync(cancellationToken);
            }
        }

        // Conversations first, here and above: their messages refer to them.
        await conversations.FlushAsync(cancellationToken);
        await messages.FlushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Message Received(SeedPlan plan, Guid accountId, Guid conversationId, string id, string text, DateTimeOffset at, Random random)
    {
        var who = $"member{random.Next(50_000)}";
        return new Message
        {
            OrganizationId = plan.OrganizationId, ConversationId = conversationId, AccountId = accountId, NetworkId = id, Version = "1",
            Url = $"https://example.org/{who}/{id}", AuthorId = who, AuthorHandle = "@" + who, Text = text, PostedAt = at, Inbound = true,
            State = MessageState.Received,
        };
    }

    private static Message Sent(SeedPlan plan, AccountCard account, Guid conversationId, string id, string text, DateTimeOffset at, string? sentBy) => new()
    {
        OrganizationId = plan.OrganizationId, ConversationId = conversationId, AccountId = account.Id, NetworkId = id, Version = "1",
        Url = $"https://example.org/{account.NormalizedHandle}/{id}", AuthorId = account.NormalizedHandle, AuthorHandle = account.Handle, Text = text,
        PostedAt = at, Inbound = false, State = MessageState.Sent, SentBy = sentBy,
    };
}
