using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// Northfield's inbox: three conversations on its Bluesky research account (one waiting, one assigned with a
/// note, one answered), an open alert on a post published with a record number, and a business-hours target.
/// </summary>
public sealed class MonitoringDemo(RoundsDbContext db, IAccountDirectory accounts, TimeProvider clock) : IDemoData
{
    public int Order => 70;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var account = (await accounts.ListAsync(world.OrganizationId, cancellationToken: cancellationToken)).FirstOrDefault(a => a.Platform == Platform.Bluesky);
        if (account is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var did = "did:plc:northfieldresearch";
        var reviewer = world.UserIds.GetValueOrDefault("reviewer@northfield.example");
        Thread(account, did, "did:plc:patientfamily", "riverside-mom.bsky.social", "@northfieldresearch.bsky.social is the heart study still enrolling? My dad wants to ask.", now.AddHours(-5), null, null);
        var assigned = Thread(account, did, "did:plc:reporter", "ledger-health.bsky.social", "@northfieldresearch.bsky.social could someone talk to me about the sleep trial results?", now.AddHours(-26), reviewer, null);
        if (reviewer is not null)
        {
            db.Add(new ConversationNote { OrganizationId = world.OrganizationId, ConversationId = assigned.Id, AuthorId = reviewer, AuthorName = world.Names.GetValueOrDefault("reviewer@northfield.example") ?? "Reviewer", Text = "Press: hand to media relations before answering.", CreatedAt = now.AddHours(-25) });
        }

        Thread(account, did, "did:plc:nurse", "nightshift-rn.bsky.social", "Congrats on the new grant, @northfieldresearch.bsky.social!", now.AddDays(-3), null, "Thank you! The team is thrilled.");

        // An account carrying the hospital's name that nobody registered, found writing to the research account.
        var found = Thread(account, did, "did:plc:pedsunit", "northfield-peds-unit.bsky.social", "@northfieldresearch.bsky.social our unit is recruiting families for the sleep study too, DM us!", now.AddDays(-1), null, "Thanks! We will be in touch.");
        db.Add(new AccountCandidate
        {
            OrganizationId = world.OrganizationId, Platform = Platform.Bluesky, Handle = "@northfield-peds-unit.bsky.social", NormalizedHandle = "northfield-peds-unit.bsky.social",
            SeenOnAccountId = account.Id, SeenInUrl = $"https://bsky.app/profile/northfield-peds-unit.bsky.social/post/{found.RootId[(found.RootId.LastIndexOf('/') + 1)..]}",
            FirstSeenAt = now.AddDays(-1), LastSeenAt = now.AddDays(-1), TimesSeen = 1,
        });

        db.Add(new MonitoringAlert
        {
            OrganizationId = world.OrganizationId, AccountId = account.Id, PostId = $"at://{did}/app.bsky.feed.post/3demoalert222",
            PostUrl = "https://bsky.app/profile/northfieldresearch.bsky.social/post/3demoalert222", FindingType = "MRN",
            FindingMessage = "A medical record number identifies a patient.", PostedAt = now.AddMinutes(-40), RaisedAt = now.AddMinutes(-39),
        });
        db.Add(new SlaPolicy
        {
            OrganizationId = world.OrganizationId, Name = "Business hours, Central", FirstResponseMinutes = 240, TimeZone = "America/Chicago",
            OpensAt = new TimeOnly(8, 0), ClosesAt = new TimeOnly(18, 0), Days = "1111100",
        });
        db.Add(new MonitoringSource { OrganizationId = world.OrganizationId, AccountId = account.Id, Kind = Rounds.Networks.Ingestion.SourceKind.Posts, NetworkAccountId = did, LastReadAt = now.AddMinutes(-1), LastPostAt = now.AddMinutes(-40) });
        db.Add(new MonitoringSource { OrganizationId = world.OrganizationId, AccountId = account.Id, Kind = Rounds.Networks.Ingestion.SourceKind.Addressed, NetworkAccountId = did, LastReadAt = now.AddMinutes(-1) });
        await db.SaveChangesAsync(cancellationToken);
    }

    private Conversation Thread(AccountCard account, string did, string authorDid, string authorHandle, string text, DateTimeOffset at, string? assignee, string? answer)
    {
        var key = "3demo" + Guid.NewGuid().ToString("N")[..8];
        var id = $"at://{authorDid}/app.bsky.feed.post/{key}";
        var conversation = new Conversation
        {
            OrganizationId = account.OrganizationId, AccountId = account.Id, Network = "bluesky", RootId = id, RootVersion = "bafydemo", StartedAt = at,
            LastMessageAt = at, HasInbound = true, FirstInboundAt = at, WaitingSince = at, AssignedTo = assignee,
        };
        db.Add(conversation);
        db.Add(new Message
        {
            OrganizationId = account.OrganizationId, ConversationId = conversation.Id, AccountId = account.Id, NetworkId = id, Version = "bafydemo",
            Url = $"https://bsky.app/profile/{authorHandle}/post/{key}", AuthorId = authorDid, AuthorHandle = authorHandle, Text = text, PostedAt = at, Inbound = true,
        });
        if (answer is not null)
        {
            var replyKey = "3demo" + Guid.NewGuid().ToString("N")[..8];
            var repliedAt = at.AddMinutes(35);
            db.Add(new Message
            {
                OrganizationId = account.OrganizationId, ConversationId = conversation.Id, AccountId = account.Id, NetworkId = $"at://{did}/app.bsky.feed.post/{replyKey}",
                Url = $"https://bsky.app/profile/{account.NormalizedHandle}/post/{replyKey}", AuthorId = did, AuthorHandle = account.NormalizedHandle, Text = answer,
                PostedAt = repliedAt, State = MessageState.Sent, IdempotencyKey = replyKey,
            });
            IngestAccount.Answered(conversation, repliedAt);
        }

        return conversation;
    }
}
