using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <param name="Mine">Only conversations assigned to the caller.</param>
/// <param name="Waiting">Only conversations waiting for an answer.</param>
public sealed record InboxFilter(Guid? AccountId = null, bool Unassigned = false, bool Mine = false, bool Waiting = false);

/// <param name="DueAt">When the answer the conversation is held to is due (see <see cref="SlaClock.DueOf"/>).</param>
/// <param name="DueFor">Which answer that is: "first", or "next" for a message after the first answer.</param>
public sealed record ConversationRow(
    Guid Id, Guid AccountId, string Account, string Network, string Preview, string From, DateTimeOffset LastMessageAt,
    DateTimeOffset? WaitingSince, string? AssignedTo, string AssignedName, DateTimeOffset? FirstResponseAt, DateTimeOffset? DueAt, bool Breached,
    string DueFor);

/// <summary>One page of the inbox; <see cref="Next"/> names the following page, null on the last one.</summary>
public sealed record InboxPage(IReadOnlyList<ConversationRow> Rows, string? Next);

/// <summary>
/// Where the next page of the inbox starts: in the run of waiting conversations (after the one waiting since
/// <see cref="At"/>) or in the run of the others (after the one whose last message came at <see cref="At"/>).
/// </summary>
public readonly record struct InboxCursor(bool Waiting, DateTimeOffset At, Guid Id)
{
    public static InboxCursor Of(Conversation conversation) => conversation.WaitingSince is { } since
        ? new(true, since, conversation.Id)
        : new(false, conversation.LastMessageAt, conversation.Id);

    public override string ToString() => (Waiting ? "w" : "a") + new PageCursor(At, Id);

    /// <summary>Reads a cursor as the inbox handed it out; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out InboxCursor cursor)
    {
        cursor = default;
        if (text is not { Length: > 1 } || text[0] is not ('w' or 'a') || !PageCursor.TryParse(text[1..], out var page))
        {
            return false;
        }

        cursor = new InboxCursor(text[0] == 'w', page.At, page.Id);
        return true;
    }
}

public sealed record ConversationDetail(ConversationRow Summary, IReadOnlyList<Message> Messages, IReadOnlyList<ConversationNote> Notes);

public sealed record AssignInput(string? UserId);

public sealed record NoteInput(string? Text);

/// <summary>
/// The response inbox: the conversations on an organization's accounts, the ones waiting longest first, with
/// who has them and when their answer is due. Assigning and noting never answer a conversation.
/// </summary>
public sealed class Inbox(RoundsDbContext db, IAccountDirectory accounts, IAuditLog audit, TimeProvider clock, ConversationPresence presence)
{
    /// <summary>Account managers answer for their accounts; reviewers and admins for all.</summary>
    public const Role ViewRole = Role.AccountManager;

    /// <summary>Conversations a page of the inbox holds; the next page is a cursor away.</summary>
    public const int PageSize = 50;

    /// <summary>
    /// One page of the inbox: the conversations waiting for an answer, the one waiting longest first, then the
    /// others, the latest message first. The two runs are read separately, each in an index's order (organization,
    /// inbound, waiting since, id, and organization, inbound, last message, id), so a page costs the same with a
    /// hundred conversations and with a hundred thousand; <paramref name="after"/> is a <see cref="InboxPage.Next"/>.
    /// </summary>
    public async Task<InboxPage> ListAsync(OrgContext org, InboxFilter filter, InboxCursor? after = null, CancellationToken cancellationToken = default)
    {
        var query = db.Set<Conversation>().AsNoTracking().Where(c => c.OrganizationId == org.Id && c.HasInbound);
        if (filter.AccountId is { } accountId)
        {
            query = query.Where(c => c.AccountId == accountId);
        }

        if (filter.Unassigned)
        {
            query = query.Where(c => c.AssignedTo == null);
        }

        if (filter.Mine)
        {
            query = query.Where(c => c.AssignedTo == org.UserId);
        }

        var found = new List<Conversation>();
        if (after is null or { Waiting: true })
        {
            var waiting = query.Where(c => c.WaitingSince != null);
            if (after is { } cursor)
            {
                var at = cursor.At;
                var id = cursor.Id;
                waiting = waiting.Where(c => c.WaitingSince > at || (c.WaitingSince == at && c.Id.CompareTo(id) > 0));
            }

            found.AddRange(await waiting.OrderBy(c => c.WaitingSince).ThenBy(c => c.Id).Take(PageSize + 1).ToListAsync(cancellationToken));
        }

        if (!filter.Waiting && found.Count <= PageSize)
        {
            var answered = query.Where(c => c.WaitingSince == null);
            if (after is { Waiting: false } cursor)
            {
                var at = cursor.At;
                var id = cursor.Id;
                answered = answered.Where(c => c.LastMessageAt < at || (c.LastMessageAt == at && c.Id.CompareTo(id) < 0));
            }

            found.AddRange(await answered.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id).Take(PageSize + 1 - found.Count).ToListAsync(cancellationToken));
        }

        var next = found.Count > PageSize ? InboxCursor.Of(found[PageSize - 1]).ToString() : null;
        return new InboxPage(await RowsAsync(org.Id, found.Take(PageSize).ToList(), cancellationToken), next);
    }

    public async Task<ConversationDetail?> FindAsync(OrgContext org, Guid conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = await db.Set<Conversation>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId && c.OrganizationId == org.Id, cancellationToken);
        if (conversation is null)
        {
            return null;
        }

        var messages = await db.Set<Message>().AsNoTracking().Where(m => m.ConversationId == conversationId).OrderBy(m => m.PostedAt).ToListAsync(cancellationToken);
        var notes = await db.Set<ConversationNote>().AsNoTracking().Where(n => n.ConversationId == conversationId).OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);
        return new ConversationDetail((await RowsAsync(org.Id, [conversation], cancellationToken))[0], messages, notes);
    }

    public async Task<Outcome> AssignAsync(OrgContext org, Guid conversationId, AssignInput input, CancellationToken cancellationToken = default)
    {
        var conversation = await db.Set<Conversation>().FirstOrDefaultAsync(c => c.Id == conversationId && c.OrganizationId == org.Id, cancellationToken);
        if (conversation is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(ViewRole))
        {
            return Outcome.Forbidden("Only account managers, reviewers and admins assign conversations.");
        }

        var assignee = string.IsNullOrWhiteSpace(input.UserId) ? null : input.UserId.Trim();
        if (assignee is not null && !await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == org.Id && m.UserId == assignee && m.Role >= ViewRole, cancellationToken))
        {
            return Outcome.Invalid("UserId", "Assign the conversation to an account manager, reviewer or admin of this organization.");
        }

        var before = conversation.AssignedTo;
        conversation.AssignedTo = assignee;
        conversation.Version = Guid.NewGuid();
        audit.Record(org.Id, "monitoring.conversation.assigned", nameof(Conversation), conversation.Id.ToString(), new { AssignedTo = before }, new { AssignedTo = assignee });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> AddNoteAsync(OrgContext org, Guid conversationId, NoteInput input, CancellationToken cancellationToken = default)
    {
        if (!await db.Set<Conversation>().AnyAsync(c => c.Id == conversationId && c.OrganizationId == org.Id, cancellationToken))
        {
            return Outcome.NotFound;
        }

        var text = input.Text?.Trim() ?? "";
        if (text.Length is 0 or > 4000)
        {
            return Outcome.Invalid("Text", "Write a note of 1 to 4,000 characters.");
        }

        var name = await db.People().Where(p => p.Id == org.UserId).Select(p => p.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "";
        db.Add(new ConversationNote { OrganizationId = org.Id, ConversationId = conversationId, AuthorId = org.UserId, AuthorName = name, Text = text, CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Marks the caller as viewing the conversation and names the others viewing it; null when it is not the organization's.</summary>
    public async Task<PresenceDto?> ViewingAsync(OrgContext org, Guid conversationId, CancellationToken cancellationToken = default)
    {
        if (!await db.Set<Conversation>().AnyAsync(c => c.Id == conversationId && c.OrganizationId == org.Id, cancellationToken))
        {
            return null;
        }

        var name = await db.People().Where(p => p.Id == org.UserId).Select(p => p.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return new PresenceDto(presence.Touch(org.Id, conversationId, org.UserId, name is { Length: > 0 } ? name : "Someone"));
    }

    /// <summary>The people a conversation can be given to.</summary>
    public async Task<IReadOnlyList<PersonCard>> AssigneesAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var ids = await db.OrganizationMembers.Where(m => m.OrganizationId == org.Id && m.Role >= ViewRole).Select(m => m.UserId).ToListAsync(cancellationToken);
        return await db.People().Where(p => ids.Contains(p.Id)).OrderBy(p => p.DisplayName).ToListAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<ConversationRow>> RowsAsync(Guid organizationId, IReadOnlyList<Conversation> conversations, CancellationToken cancellationToken)
    {
        var ids = conversations.Select(c => c.Id).ToList();
        var latest = (await db.Set<Message>().AsNoTracking().Where(m => ids.Contains(m.ConversationId) && m.Inbound)
                .Select(m => new { m.ConversationId, m.Text, m.AuthorHandle, m.PostedAt }).ToListAsync(cancellationToken))
            .GroupBy(m => m.ConversationId).ToDictionary(g => g.Key, g => g.MaxBy(m => m.PostedAt)!);
        var cards = (await accounts.FindManyAsync(organizationId, conversations.Select(c => c.AccountId).Distinct(), cancellationToken)).ToDictionary(a => a.Id);
        var assigned = conversations.Where(c => c.AssignedTo != null).Select(c => c.AssignedTo!).Distinct().ToList();
        var names = await db.People().Where(p => assigned.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
        var policies = await SlaPolicies.ForAccountsAsync(db, organizationId, cancellationToken);
        var now = clock.GetUtcNow();
        return conversations.Select(c =>
        {
            latest.TryGetValue(c.Id, out var message);
            var policy = policies.GetValueOrDefault(c.AccountId) ?? policies.GetValueOrDefault(Guid.Empty);
            var due = policy is null ? null : SlaClock.DueOf(policy, c, now);
            return new ConversationRow(
                c.Id, c.AccountId, cards.TryGetValue(c.AccountId, out var card) ? card.Label : "a retired account", c.Network,
                message?.Text ?? "", message?.AuthorHandle ?? "", c.LastMessageAt, c.WaitingSince, c.AssignedTo,
                c.AssignedTo is { } who && names.TryGetValue(who, out var name) ? name : "", c.FirstResponseAt, due?.DueAt, due?.Breached ?? false,
                due?.Target == SlaTarget.Next ? "next" : "first");
        }).ToList();
    }
}
