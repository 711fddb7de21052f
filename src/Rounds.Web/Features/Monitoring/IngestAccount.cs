using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Networks.Ingestion;
using Rounds.Screening;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using AccountKind = Rounds.Web.Features.Accounts.Contracts.AccountKind;
using ScreenedKind = Rounds.Screening.AccountKind;

namespace Rounds.Web.Features.Monitoring;

public sealed record IngestSummary(int Read, int NewMessages, int NewAlerts, IReadOnlyList<string> Errors);

/// <summary>
/// Reads every source of one registered account and files what is new: posts addressed to the account become
/// inbound messages of a conversation (which then waits for an answer), the account's own replies in those
/// threads become outbound messages (which answer it), and every post the account itself published is screened
/// as that account, a blocking finding raising an alert to its owners and the communications team. Everything
/// read is deduplicated on the account and the post's network id, so reading a post twice changes nothing.
/// </summary>
public sealed class IngestAccount(
    RoundsDbContext db, PostSources sources, IOrganizationScreener screener, IAccountDirectory accounts, INotifier notifier,
    AccountCandidates candidates, TimeProvider clock, ILogger<IngestAccount> logger)
{
    /// <summary>Where alerts go besides the account's own people: the organization's reviewers and admins.</summary>
    public const Role CommunicationsTeam = Role.Reviewer;

    public Task<IngestSummary> RunAsync(AccountCard account, CancellationToken cancellationToken = default) => RunAsync(account, null, cancellationToken);

    /// <summary>Reads one kind of source of the account (<paramref name="only"/>), or both when null.</summary>
    public async Task<IngestSummary> RunAsync(AccountCard account, SourceKind? only, CancellationToken cancellationToken)
    {
        if (await sources.ForAsync(account, cancellationToken) is not { } source)
        {
            return new IngestSummary(0, 0, 0, []);
        }

        int read = 0, messages = 0, alerts = 0;
        var errors = new List<string>();

        // Posts addressed to the account first, so the account's replies read next find the conversations they answer.
        foreach (var kind in new[] { SourceKind.Addressed, SourceKind.Posts })
        {
            if (source.ModeOf(kind) == SourceMode.Impossible || (only is { } wanted && wanted != kind))
            {
                continue;
            }

            var state = await db.Set<MonitoringSource>().FirstOrDefaultAsync(s => s.AccountId == account.Id && s.Kind == kind, cancellationToken);
            if (state is null)
            {
                state = new MonitoringSource { OrganizationId = account.OrganizationId, AccountId = account.Id, Kind = kind };
                db.Add(state);
            }

            if (state.RateLimitedUntil is { } held && held > clock.GetUtcNow())
            {
                // The network asked for a pause; calling it sooner would only extend the throttle.
                errors.Add($"{AccountNames.Label(account.Platform)} asked Rounds to wait: {kind.ToString().ToLowerInvariant()} are not read before {held.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.");
                continue;
            }

            SourceBatch batch;
            try
            {
                batch = await source.ReadAsync(account.NormalizedHandle, kind, state.Cursor, cancellationToken);
            }
            catch (NetworkException e)
            {
                logger.LogWarning("Reading {Kind} of {Account} failed: {Reason}", kind, account.Label, e.Message);
                state.LastError = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                state.LastReadAt = clock.GetUtcNow();
                state.RateLimitedUntil = HoldUntil(e);
                await db.SaveChangesAsync(cancellationToken);
                errors.Add(e.Message);
                continue;
            }

            read += batch.Posts.Count;
            if (kind == SourceKind.Posts)
            {
                // The profile as it is now: a bio emptied on the network no longer vouches for anything.
                state.Bio = batch.Bio is { Length: > MonitoringSourceConfiguration.MaxBio } bio ? bio[..MonitoringSourceConfiguration.MaxBio] : batch.Bio;
            }

            var (filed, raised) = await FileAsync(account, batch.AccountId, batch.Posts, state, cancellationToken);
            messages += filed;
            alerts += raised;

            state.Cursor = batch.Cursor;
            state.NetworkAccountId = batch.AccountId;
            state.LastReadAt = clock.GetUtcNow();
            state.LastError = "";
            state.RateLimitedUntil = null;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new IngestSummary(read, messages, alerts, errors);
    }

    /// <summary>The longest a throttle holds a source: no network's limit window is longer than a day.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromDays(1);

    /// <summary>
    /// When a throttle that names its end (<c>Retry-After</c>, a rate-limit reset, LinkedIn's DAY limit) allows the
    /// next read; null for any other failure, which the next round tries again.
    /// </summary>
    private DateTimeOffset? HoldUntil(NetworkException e) =>
        e.Kind == FailureKind.RateLimited && e.RetryAfter is { } wait && wait > TimeSpan.Zero
            ? clock.GetUtcNow() + (wait > MaxHold ? MaxHold : wait)
            : null;

    /// <summary>
    /// Files posts read about the account (by whatever source): the account's own are screened and answer their
    /// threads, others' become inbound messages. Joins the caller's unit of work; the caller saves.
    /// </summary>
    public async Task<(int Messages, int Alerts)> FileAsync(AccountCard account, string networkAccountId, IEnumerable<InboundPost> posts, MonitoringSource ownPosts, CancellationToken cancellationToken = default)
    {
        var network = AccountNames.Key(account.Platform);
        int messages = 0, alerts = 0;
        foreach (var post in posts.OrderBy(p => p.PostedAt))
        {
            if (post.AuthorId == networkAccountId)
            {
                alerts += await ScreenAsync(account, post, ownPosts, cancellationToken);
                messages += await FileOwnReplyAsync(account, network, post, cancellationToken) ? 1 : 0;
            }
            else
            {
                messages += await FileInboundAsync(account, network, post, cancellationToken) ? 1 : 0;
            }
        }

        return (messages, alerts);
    }

    public static ScreenedKind ScreenedKindOf(AccountKind kind) => kind switch
    {
        AccountKind.Enterprise => ScreenedKind.Enterprise,
        AccountKind.Department => ScreenedKind.Department,
        AccountKind.Program => ScreenedKind.Program,
        AccountKind.IndividualProfessional => ScreenedKind.Personal,
        AccountKind.BrandedRole => ScreenedKind.Branded,
    };

    private async Task<bool> FileInboundAsync(AccountCard account, string network, InboundPost post, CancellationToken cancellationToken)
    {
        if (await KnownAsync(account.Id, post, cancellationToken))
        {
            return false;
        }

        var root = post.Reply?.Root ?? new PostReference(post.Id, post.Version);
        var conversation = await ConversationAsync(account, network, root, post.PostedAt, cancellationToken);
        conversation.HasInbound = true;
        conversation.FirstInboundAt ??= post.PostedAt;
        conversation.LastMessageAt = post.PostedAt > conversation.LastMessageAt ? post.PostedAt : conversation.LastMessageAt;

        // A message older than the last answer was answered by it, even when it is read only now.
        if (conversation.WaitingSince is null && (conversation.LastReplyAt is null || post.PostedAt > conversation.LastReplyAt))
        {
            conversation.WaitingSince = post.PostedAt;
        }

        conversation.Version = Guid.NewGuid();
        db.Add(ToMessage(account, conversation, post, inbound: true));
        await candidates.NoteAsync(account, post, cancellationToken);
        return true;
    }

    /// <summary>A reply the account posted on the network itself answers the thread like one written in Rounds.</summary>
    private async Task<bool> FileOwnReplyAsync(AccountCard account, string network, InboundPost post, CancellationToken cancellationToken)
    {
        if (post.Reply is null || await KnownAsync(account.Id, post, cancellationToken))
        {
            return false;
        }

        // A reply sent from Rounds is already filed under its record key; the network's id now confirms it.
        var sent = await db.Set<Message>().FirstOrDefaultAsync(m => m.AccountId == account.Id && m.IdempotencyKey == post.Key && !m.Inbound, cancellationToken);
        if (sent is not null)
        {
            (sent.NetworkId, sent.Url, sent.Version, sent.State, sent.Error) = (post.Id, post.Url, post.Version, MessageState.Sent, "");
            if (await db.Set<Conversation>().FindAsync([sent.ConversationId], cancellationToken) is { } answered)
            {
                Answered(answered, sent.PostedAt);
            }

            return false;
        }

        var conversation = await db.Set<Conversation>().FirstOrDefaultAsync(c => c.AccountId == account.Id && c.RootId == post.Reply.Root.Id, cancellationToken)
            ?? db.ChangeTracker.Entries<Conversation>().Select(e => e.Entity).FirstOrDefault(c => c.AccountId == account.Id && c.RootId == post.Reply.Root.Id);
        if (conversation is null)
        {
            // A reply in a thread nobody addressed to the account is the account's own conversation, not the inbox's.
            return false;
        }

        Answered(conversation, post.PostedAt);
        db.Add(ToMessage(account, conversation, post, inbound: false));
        return true;
    }

    /// <summary>The answer clears the wait when it came after the message that started it.</summary>
    internal static void Answered(Conversation conversation, DateTimeOffset at)
    {
        if (conversation.WaitingSince is { } waiting && at >= waiting)
        {
            conversation.WaitingSince = null;
        }

        if (conversation.HasInbound && conversation.FirstResponseAt is null && at >= conversation.FirstInboundAt)
        {
            conversation.FirstResponseAt = at;
        }

        conversation.LastReplyAt = conversation.LastReplyAt is null || at > conversation.LastReplyAt ? at : conversation.LastReplyAt;
        conversation.LastMessageAt = at > conversation.LastMessageAt ? at : conversation.LastMessageAt;
        conversation.Version = Guid.NewGuid();
    }

    private async Task<bool> KnownAsync(Guid accountId, InboundPost post, CancellationToken cancellationToken) =>
        db.ChangeTracker.Entries<Message>().Any(e => e.Entity.AccountId == accountId && e.Entity.NetworkId == post.Id)
        || await db.Set<Message>().AnyAsync(m => m.AccountId == accountId && m.NetworkId == post.Id, cancellationToken);

    private async Task<Conversation> ConversationAsync(AccountCard account, string network, PostReference root, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var rootId = root.Id;
        var conversation = db.ChangeTracker.Entries<Conversation>().Select(e => e.Entity).FirstOrDefault(c => c.AccountId == account.Id && c.RootId == rootId)
            ?? await db.Set<Conversation>().FirstOrDefaultAsync(c => c.AccountId == account.Id && c.RootId == rootId, cancellationToken);
        if (conversation is null)
        {
            conversation = new Conversation { OrganizationId = account.OrganizationId, AccountId = account.Id, Network = network, RootId = rootId, RootVersion = root.Version, StartedAt = at, LastMessageAt = at };
            db.Add(conversation);
        }

        return conversation;
    }

    private static Message ToMessage(AccountCard account, Conversation conversation, InboundPost post, bool inbound) => new()
    {
        OrganizationId = account.OrganizationId,
        ConversationId = conversation.Id,
        AccountId = account.Id,
        NetworkId = post.Id,
        Version = post.Version,
        Url = post.Url,
        AuthorId = post.AuthorId,
        AuthorHandle = post.AuthorHandle,
        Text = post.Text.Length > 10_000 ? post.Text[..10_000] : post.Text,
        PostedAt = post.PostedAt,
        Inbound = inbound,
        State = inbound ? MessageState.Received : MessageState.Sent,
    };

    /// <summary>
    /// A finding's message quotes what it found (the record number, the name); the alert goes by mail and to the
    /// bell, so every found span is taken out of it and the link leads to the post itself.
    /// </summary>
    internal static string Redacted(string message, string text, IEnumerable<Finding> findings)
    {
        foreach (var surface in findings.Where(f => f is { Start: { } start, End: { } end } && start >= 0 && end <= text.Length && end > start)
                     .Select(f => text[f.Start!.Value..f.End!.Value]).OrderByDescending(s => s.Length))
        {
            message = message.Replace(surface, "[removed]", StringComparison.Ordinal);
        }

        return message.Length > 1000 ? message[..1000] : message;
    }

    /// <summary>Screens a post the account published; each blocking finding not raised before for the post becomes an alert.</summary>
    private async Task<int> ScreenAsync(AccountCard account, InboundPost post, MonitoringSource state, CancellationToken cancellationToken)
    {
        state.LastPostAt = state.LastPostAt is null || post.PostedAt > state.LastPostAt ? post.PostedAt : state.LastPostAt;

        // The registry counts the post (once, by its URI, whoever published it), so trials and dormancy see what the
        // account really did, not only what Rounds published for it.
        await accounts.AddPublishedPostAsync(account.OrganizationId, account.Id, post.Id, post.PostedAt, cancellationToken);
        var result = await screener.ScreenAsync(account.OrganizationId, new Rounds.Screening.Post(post.Text, ScreenedKindOf(account.Kind), state.Bio), Profile.Social, cancellationToken);
        var raised = 0;
        foreach (var finding in result.Findings.Where(f => f.Severity == Severity.High).DistinctBy(f => f.Type))
        {
            var known = db.ChangeTracker.Entries<MonitoringAlert>().Any(e => e.Entity.AccountId == account.Id && e.Entity.PostId == post.Id && e.Entity.FindingType == finding.Type)
                || await db.Set<MonitoringAlert>().AnyAsync(a => a.AccountId == account.Id && a.PostId == post.Id && a.FindingType == finding.Type, cancellationToken);
            if (known)
            {
                continue;
            }

            var alert = new MonitoringAlert
            {
                OrganizationId = account.OrganizationId,
                AccountId = account.Id,
                PostId = post.Id,
                PostUrl = post.Url,
                FindingType = finding.Type,
                FindingMessage = Redacted(finding.Message, post.Text, result.Findings),
                PostedAt = post.PostedAt,
                RaisedAt = clock.GetUtcNow(),
            };
            db.Add(alert);
            var slug = await db.Organizations.Where(o => o.Id == account.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
            var people = (await accounts.PeopleOfAsync(account.OrganizationId, account.Id, cancellationToken))
                .Concat(await notifier.MembersAtLeastAsync(account.OrganizationId, CommunicationsTeam, cancellationToken));
            await notifier.NotifyAsync(account.OrganizationId, people, $"monitoring-alert:{alert.Id}",
                $"A post of {account.Label} was published with a blocking finding ({finding.Type}): {alert.FindingMessage}", $"/o/{slug}/inbox/alerts/{alert.Id}", cancellationToken);
            raised++;
        }

        return raised;
    }
}
