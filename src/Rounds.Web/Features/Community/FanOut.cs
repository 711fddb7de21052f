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
/// moderator releases it. One notification per person per post, for the strongest reason (a mention beats a reply,
/// which beats watching); a muted topic or category silences everything, mentions included; nobody is told who
/// may not read the category, and the author is never told of their own post.
/// </summary>
public sealed class FanOut(RoundsDbContext db, INotifier notifier)
{
    public static string PostLink(string slug, Guid topicId, int number) => $"/o/{slug}/community/t/{topicId}#post-{number}";

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

        var candidates = reasons.Keys.ToList();
        var readers = await db.OrganizationMembers
            .Where(m => m.OrganizationId == organizationId && candidates.Contains(m.UserId) && m.Role >= category.ReadRole)
            .Select(m => m.UserId).ToListAsync(cancellationToken);
        return reasons.Where(r => readers.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>A topic's own level for a person wins over their level for its category.</summary>
    internal static Dictionary<string, WatchLevel> Effective(IEnumerable<CommunityWatch> watches) =>
        watches.GroupBy(w => w.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.FirstOrDefault(w => w.TopicId != null) ?? g.First()).Level, StringComparer.Ordinal);

    /// <summary>Queues the notifications (and their mail, sent after the commit) of a post that has just become visible.</summary>
    public async Task PostVisibleAsync(OrgContext org, CommunityCategory category, CommunityTopic topic, CommunityPost post, string authorName, CancellationToken cancellationToken = default)
    {
        var recipients = await RecipientsAsync(org.Id, category, topic, post, cancellationToken);
        var eventKey = $"community-post:{post.Id}";
        var link = PostLink(org.Organization.Slug, topic.Id, post.Number!.Value);
        foreach (var group in recipients.GroupBy(r => r.Value).OrderByDescending(g => g.Key))
        {
            var title = group.Key switch
            {
                NotifyReason.Mention => $"{authorName} mentioned you in “{topic.Title}”",
                NotifyReason.Reply => $"{authorName} replied to you in “{topic.Title}”",
                NotifyReason.Watching => post.Number == 1 ? $"New topic in {category.Name}: “{topic.Title}” by {authorName}" : $"{authorName} posted in “{topic.Title}”",
            };
            await notifier.NotifyAsync(org.Id, group.Select(r => r.Key), eventKey, title, link, cancellationToken);
        }

        if (post.Number == 1 && topic.FirstFromMember)
        {
            // A newcomer's first question: the community managers greet them and bring in the people who know.
            var managers = await notifier.MembersAtLeastAsync(org.Id, Role.Reviewer, cancellationToken);
            await notifier.NotifyAsync(org.Id, managers.Where(m => m != post.AuthorId), $"community-first-topic:{topic.Id}",
                $"{authorName} started their first topic, “{topic.Title}”: welcome them", link, cancellationToken);
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
