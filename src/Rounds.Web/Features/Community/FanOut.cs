using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>Why a person hears about a post; the strongest reason wins, and each person hears once per post.</summary>
public enum NotifyReason
{
    Watching = 1,
    Reply = 2,
    Mention = 3,
}

/// <summary>
/// Tells people about a post once it is visible, never before: a post held by screening reaches this only when a
/// moderator releases it, and then in the background. One notification per person per post, for the strongest
/// reason (a mention beats a reply, which beats watching); a muted topic or category silences everything, mentions
/// included; nobody is told who may not read the category (its role or its audience), and the author is never told of their own post.
/// </summary>
public sealed class FanOut(RoundsDbContext db, BoardAudience audience, INotifier notifier, BoardMembers members, FanOutSignal signal)
{
    public static string PostLink(string slug, Guid topicId, int number) => TopicPages.Href(slug, topicId, number);

    public async Task<Dictionary<string, NotifyReason>> RecipientsAsync(Guid organizationId, CommunityCategory category, CommunityTopic topic, CommunityPost post, CancellationToken cancellationToken = default)
    {
        var reasons = new Dictionary<string, NotifyReason>(StringComparer.Ordinal);
        void Raise(string userId, NotifyReason reason)
        {
            if (!reasons.TryGetValue(userId, out var had) || had < reason)
            {
                reasons[userId] = reason;
            }
        }

        var handles = BoardMembers.MentionsIn(PostText.WithoutQuotes(post.Body));
        if (handles.Count > 0)
        {
            var wanted = handles.Select(h => h.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
            // Handles are made before the post is written (BoardMembers.EnsureAllAsync), so everyone mentioned has one.
            var known = await db.Set<CommunityMember>().Where(m => m.OrganizationId == organizationId).Select(m => new { m.UserId, m.Handle }).ToListAsync(cancellationToken);
            foreach (var member in known.Where(m => wanted.Contains(m.Handle.ToUpperInvariant())))
            {
                Raise(member.UserId, NotifyReason.Mention);
            }

            // A group's members are mentioned as themselves: the same reason, so the same single notification.
            foreach (var userId in await Groups.MentionedAsync(db, organizationId, post.AuthorId, handles, cancellationToken))
            {
                Raise(userId, NotifyReason.Mention);
            }
        }

        var answered = PostText.Quotes(post.Body).Where(q => q.TopicId is null || q.TopicId == topic.Id).Select(q => q.Number).ToList();
        if (post.ReplyToNumber is { } replyTo)
        {
            answered.Add(replyTo);
        }

        if (answered.Count > 0)
        {
            foreach (var author in await db.Set<CommunityPost>().Where(p => p.TopicId == topic.Id && p.Number != null && answered.Contains(p.Number.Value)).Select(p => p.AuthorId).ToListAsync(cancellationToken))
            {
                Raise(author, NotifyReason.Reply);
            }
        }

        var watches = await db.Set<CommunityWatch>()
            .Where(w => w.OrganizationId == organizationId && (w.TopicId == topic.Id || w.CategoryId == category.Id))
            .ToListAsync(cancellationToken);
        var levels = Effective(watches);
        var isFirst = post.Number == 1;
        foreach (var (userId, level) in levels)
        {
            if (level == WatchLevel.Watching || (isFirst && level == WatchLevel.WatchingFirstPost))
            {
                Raise(userId, NotifyReason.Watching);
            }
        }

        reasons.Remove(post.AuthorId);
        foreach (var muted in levels.Where(l => l.Value == WatchLevel.Muted).Select(l => l.Key))
        {
            reasons.Remove(muted);
        }

        // Whoever may not read the category hears nothing of it: not its role, not its audience (members, premium, a group).
        var readers = await audience.ReadersAsync(organizationId, category, reasons.Keys, cancellationToken);
        return reasons.Where(r => readers.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>A topic's own level for a person wins over their level for its category.</summary>
    internal static Dictionary<string, WatchLevel> Effective(IEnumerable<CommunityWatch> watches) =>
        watches.GroupBy(w => w.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.FirstOrDefault(w => w.TopicId != null) ?? g.First()).Level, StringComparer.Ordinal);

    /// <summary>
    /// Puts a post that has just become visible in the queue of posts to tell people about, in the caller's unit
    /// of work: the request that posts saves one row, whatever the audience, and the worker on this instance is
    /// woken once the row is committed (docs/decisions/0038-community-fan-out-in-the-background.md).
    /// </summary>
    public void Enqueue(Guid organizationId, CommunityPost post, DateTimeOffset now)
    {
        db.Add(new CommunityFanOut { OrganizationId = organizationId, PostId = post.Id, CreatedAt = now });
        db.AfterCommit(_ =>
        {
            signal.Wake();
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Tells the readers of a queued post, in batches of <see cref="BatchSize"/>, each batch committed with its
    /// mail sent after the commit. The notification centre's unique (person, event) index is what makes it once per
    /// person: a worker taking over from one that died skips everyone already told, and two workers racing on a
    /// batch see the database refuse one of them, which then tells only whoever is left. False when another worker
    /// has taken the job over.
    /// </summary>
    public async Task<bool> DeliverAsync(CommunityFanOut job, Func<CancellationToken, Task<bool>> stillOurs, CancellationToken cancellationToken = default)
    {
        var row = await (
            from p in db.Set<CommunityPost>()
            join t in db.Set<CommunityTopic>() on p.TopicId equals t.Id
            join c in db.Set<CommunityCategory>() on t.CategoryId equals c.Id
            join o in db.Organizations on p.OrganizationId equals o.Id
            where p.Id == job.PostId && p.OrganizationId == job.OrganizationId
            select new { Post = p, Topic = t, Category = c, o.Slug }).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.Post.State != PostState.Visible)
        {
            // Hidden by a moderator before its readers were told: nobody is told of it now.
            return true;
        }

        var (post, topic, category) = (row.Post, row.Topic, row.Category);
        // Mentions name handles; members who never opened the board get theirs now, so they can be told.
        var everyone = await members.EnsureAllAsync(job.OrganizationId, cancellationToken);
        var authorName = everyone.FirstOrDefault(m => m.UserId == post.AuthorId)?.DisplayName ?? "A member";
        var recipients = await RecipientsAsync(job.OrganizationId, category, topic, post, cancellationToken);
        var eventKey = $"community-post:{post.Id}";
        var link = PostLink(row.Slug, topic.Id, post.Number!.Value);
        string Title(NotifyReason reason) => reason switch
        {
            NotifyReason.Mention => $"{authorName} mentioned you in “{topic.Title}”",
            NotifyReason.Reply => $"{authorName} replied to you in “{topic.Title}”",
            NotifyReason.Watching => post.Number == 1 ? $"New topic in {category.Name}: “{topic.Title}” by {authorName}" : $"{authorName} posted in “{topic.Title}”",
        };

        var ordered = recipients.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        foreach (var batch in ordered.Chunk(BatchSize))
        {
            if (!await stillOurs(cancellationToken))
            {
                return false;
            }

            await TellAsync(async () =>
            {
                foreach (var group in batch.GroupBy(r => r.Value))
                {
                    await notifier.NotifyAsync(job.OrganizationId, group.Select(r => r.Key), eventKey, Title(group.Key), link, cancellationToken);
                }
            }, cancellationToken);
        }

        if (post.Number == 1 && topic.FirstFromMember)
        {
            // A newcomer's first question: the community managers greet them and bring in the people who know.
            var managers = await notifier.MembersAtLeastAsync(job.OrganizationId, Role.Reviewer, cancellationToken);
            await TellAsync(() => notifier.NotifyAsync(job.OrganizationId, managers.Where(m => m != post.AuthorId), $"community-first-topic:{topic.Id}",
                $"{authorName} started their first topic, “{topic.Title}”: welcome them", link, cancellationToken), cancellationToken);
        }

        return true;
    }

    /// <summary>How many people one commit tells; a worker that dies loses at most one batch's mail, never sends one twice.</summary>
    public const int BatchSize = 500;

    private async Task TellAsync(Func<Task> queue, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await queue();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another worker told some of this batch at the same moment; the next pass skips them.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>"Dan liked your post", then "Dan and Kim liked…", then "Dan and 3 others liked…": one notification that grows.</summary>
    public static string LikesTitle(IReadOnlyList<string> likersNewestFirst, string topicTitle) => likersNewestFirst.Count switch
    {
        0 => "",
        1 => $"{likersNewestFirst[0]} liked your post in “{topicTitle}”",
        2 => $"{likersNewestFirst[0]} and {likersNewestFirst[1]} liked your post in “{topicTitle}”",
        var n => $"{likersNewestFirst[0]} and {n - 1} others liked your post in “{topicTitle}”",
    };
}
