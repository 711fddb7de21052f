using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

public sealed record CategoryRow(CommunityCategory Category, int Topics, bool CanPost, WatchLevel Level);

/// <param name="Unread">Posts past the caller's last read one; <c>null</c> when they never opened the topic (it is new to them).</param>
public sealed record TopicRow(CommunityTopic Topic, string CategoryName, string AuthorName, int? Unread, bool Held);

public sealed record PostView(CommunityPost Post, string AuthorName, string AuthorHandle, string Html, IReadOnlyList<string> LikedBy, bool LikedByMe, string? ReplyToAuthor);

public sealed record TopicView(CommunityTopic Topic, CommunityCategory Category, IReadOnlyList<PostView> Posts, WatchLevel Level, bool CanPost, int LastRead);

public sealed record ReviewItem(CommunityPost Post, string TopicTitle, string AuthorName, IReadOnlyList<(CommunityFlag Flag, string By)> Flags);

/// <summary>What the board shows: lists, a topic with its posts as the caller may see them, and the review queue.</summary>
public sealed class BoardQueries(RoundsDbContext db, BoardMembers members)
{
    public static string TopicPath(string slug, Guid topicId) => $"/o/{slug}/community/t/{topicId}";

    public async Task<List<CategoryRow>> CategoriesAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var categories = await db.Set<CommunityCategory>().Where(c => c.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var readable = categories.Where(c => org.IsAtLeast(c.ReadRole)).OrderBy(c => c.Position).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        var ids = readable.Select(c => c.Id).ToList();
        var counts = await db.Set<CommunityTopic>().Where(t => t.OrganizationId == org.Id && t.Visible && ids.Contains(t.CategoryId))
            .GroupBy(t => t.CategoryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var levels = await db.Set<CommunityWatch>().Where(w => w.UserId == org.UserId && w.CategoryId != null && ids.Contains(w.CategoryId.Value))
            .ToDictionaryAsync(w => w.CategoryId!.Value, w => w.Level, cancellationToken);
        return readable.Select(c => new CategoryRow(c, counts.GetValueOrDefault(c.Id), org.IsAtLeast(c.PostRole), levels.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>Visible topics (and the caller's own held ones), pinned first, then by latest post.</summary>
    public async Task<List<TopicRow>> TopicsAsync(OrgContext org, Guid? categoryId, int take = 50, CancellationToken cancellationToken = default)
    {
        var readable = (await CategoriesAsync(org, cancellationToken)).Select(c => c.Category.Id).ToList();
        var rows = await (
            from t in db.Set<CommunityTopic>()
            join c in db.Set<CommunityCategory>() on t.CategoryId equals c.Id
            join m in db.Set<CommunityMember>() on new { UserId = t.AuthorId, t.OrganizationId } equals new { m.UserId, m.OrganizationId } into authors
            from m in authors.DefaultIfEmpty()
            join r in db.Set<CommunityReadMark>().Where(r => r.UserId == org.UserId) on t.Id equals r.TopicId into marks
            from r in marks.DefaultIfEmpty()
            where t.OrganizationId == org.Id && readable.Contains(t.CategoryId) && (categoryId == null || t.CategoryId == categoryId)
                && (t.Visible || t.AuthorId == org.UserId)
            orderby t.Pinned descending, t.LastPostedAt descending
            select new { t, c.Name, Author = m == null ? "" : m.DisplayName, Read = r == null ? (int?)null : r.LastReadNumber }).Take(take).ToListAsync(cancellationToken);
        return rows.Select(r => new TopicRow(r.t, r.Name, r.Author, r.Read is { } read ? Math.Max(0, r.t.LastNumber - read) : null, !r.t.Visible)).ToList();
    }

    /// <summary>
    /// A topic as the caller may see it: visible posts in number order; hidden ones as a placeholder; held and
    /// rejected posts only to their author (with the findings) and to moderators.
    /// </summary>
    public async Task<TopicView?> TopicAsync(OrgContext org, Guid topicId, CancellationToken cancellationToken = default)
    {
        var found = await BoardAccess.TopicAsync(db, org, topicId, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var (topic, category) = found.Value;
        var moderator = BoardAccess.IsModerator(org);
        var posts = await db.Set<CommunityPost>()
            .Where(p => p.TopicId == topic.Id && (p.State == PostState.Visible || p.State == PostState.Hidden || p.AuthorId == org.UserId || moderator))
            .ToListAsync(cancellationToken);
        var everyone = await members.EnsureAllAsync(org.Id, cancellationToken);
        var byUser = everyone.ToDictionary(m => m.UserId, StringComparer.Ordinal);
        var handles = everyone.Select(m => m.Handle).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var postIds = posts.Select(p => p.Id).ToList();
        var likes = await db.Set<CommunityLike>().Where(l => postIds.Contains(l.PostId)).OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);
        var likesByPost = likes.ToLookup(l => l.PostId);
        var sources = await QuoteSourcesAsync(org, topic, posts, byUser, cancellationToken);
        var numbers = posts.Where(p => p.State == PostState.Visible && p.Number is not null).ToDictionary(p => p.Number!.Value);
        string Name(string userId) => byUser.TryGetValue(userId, out var m) ? m.DisplayName : "A former member";
        var views = posts
            .OrderBy(p => p.Number ?? int.MaxValue).ThenBy(p => p.CreatedAt)
            .Select(p => new PostView(
                p, Name(p.AuthorId), byUser.TryGetValue(p.AuthorId, out var a) ? a.Handle : "",
                p.State == PostState.Hidden && !moderator && p.AuthorId != org.UserId ? "" : PostText.ToHtml(p.Body, topic.Id, sources, handles, id => TopicPath(org.Organization.Slug, id)),
                likesByPost[p.Id].Select(l => Name(l.UserId)).ToList(), likesByPost[p.Id].Any(l => l.UserId == org.UserId),
                p.ReplyToNumber is { } to && numbers.TryGetValue(to, out var answered) ? Name(answered.AuthorId) : null))
            .ToList();
        var watch = await db.Set<CommunityWatch>().Where(w => w.UserId == org.UserId && (w.TopicId == topic.Id || w.CategoryId == category.Id)).ToListAsync(cancellationToken);
        var lastRead = await db.Set<CommunityReadMark>().Where(r => r.UserId == org.UserId && r.TopicId == topic.Id).Select(r => (int?)r.LastReadNumber).FirstOrDefaultAsync(cancellationToken) ?? 0;
        return new TopicView(topic, category, views, FanOut.Effective(watch).GetValueOrDefault(org.UserId, WatchLevel.Normal), org.IsAtLeast(category.PostRole), lastRead);
    }

    /// <summary>Remembers that the caller has read the topic up to its latest post.</summary>
    public async Task MarkReadAsync(OrgContext org, CommunityTopic topic, CancellationToken cancellationToken = default)
    {
        var mark = await db.Set<CommunityReadMark>().FirstOrDefaultAsync(r => r.UserId == org.UserId && r.TopicId == topic.Id, cancellationToken);
        if (mark is null)
        {
            db.Add(new CommunityReadMark { OrganizationId = org.Id, UserId = org.UserId, TopicId = topic.Id, LastReadNumber = topic.LastNumber });
        }
        else if (mark.LastReadNumber < topic.LastNumber)
        {
            mark.LastReadNumber = topic.LastNumber;
        }
        else
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same person opened the topic twice at once; either mark will do.
            db.ChangeTracker.Clear();
        }
    }

    private async Task<Dictionary<PostText.QuoteRef, QuoteSource>> QuoteSourcesAsync(OrgContext org, CommunityTopic topic, List<CommunityPost> posts, Dictionary<string, CommunityMember> byUser, CancellationToken cancellationToken)
    {
        var refs = posts.SelectMany(p => PostText.Quotes(p.Body)).Distinct().ToList();
        var sources = new Dictionary<PostText.QuoteRef, QuoteSource>();
        foreach (var group in refs.GroupBy(r => r.TopicId ?? topic.Id))
        {
            // A quote links only to a post its reader may open: a visible post of a topic in a category they read.
            if (group.Key != topic.Id && await BoardAccess.TopicAsync(db, org, group.Key, cancellationToken) is not { Topic.Visible: true })
            {
                continue;
            }

            var wanted = group.Select(r => r.Number).ToList();
            var found = await db.Set<CommunityPost>().Where(p => p.TopicId == group.Key && p.State == PostState.Visible && p.Number != null && wanted.Contains(p.Number.Value))
                .Select(p => new { p.Number, p.AuthorId }).ToListAsync(cancellationToken);
            foreach (var source in found)
            {
                var name = byUser.TryGetValue(source.AuthorId, out var m) ? m.DisplayName : "A former member";
                foreach (var r in group.Where(r => r.Number == source.Number))
                {
                    sources[r] = new QuoteSource(group.Key, source.Number!.Value, name);
                }
            }
        }

        return sources;
    }

    /// <summary>One queue for the moderators: posts held by screening and visible posts with open flags, oldest first.</summary>
    public async Task<List<ReviewItem>> ReviewQueueAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var flags = await db.Set<CommunityFlag>().Where(f => f.OrganizationId == org.Id && f.ResolvedAt == null).ToListAsync(cancellationToken);
        var flagged = flags.Select(f => f.PostId).Distinct().ToList();
        var rows = await (
            from p in db.Set<CommunityPost>()
            join t in db.Set<CommunityTopic>() on p.TopicId equals t.Id
            where p.OrganizationId == org.Id && (p.State == PostState.Held || (p.State == PostState.Visible && flagged.Contains(p.Id)))
            select new { p, t.Title }).ToListAsync(cancellationToken);
        var byUser = (await members.EnsureAllAsync(org.Id, cancellationToken)).ToDictionary(m => m.UserId, m => m.DisplayName, StringComparer.Ordinal);
        string Name(string id) => byUser.GetValueOrDefault(id) ?? "A former member";
        var flagsByPost = flags.ToLookup(f => f.PostId);
        return rows.OrderBy(r => r.p.CreatedAt)
            .Select(r => new ReviewItem(r.p, r.Title, Name(r.p.AuthorId), flagsByPost[r.p.Id].OrderBy(f => f.CreatedAt).Select(f => (f, Name(f.UserId))).ToList()))
            .ToList();
    }

    public async Task<int> QueueSizeAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await db.Set<CommunityPost>().CountAsync(p => p.OrganizationId == organizationId && p.State == PostState.Held, cancellationToken)
        + await db.Set<CommunityFlag>().Where(f => f.OrganizationId == organizationId && f.ResolvedAt == null).Select(f => f.PostId).Distinct().CountAsync(cancellationToken);

    /// <summary>The earlier texts of a post the caller may read, newest first.</summary>
    public async Task<List<CommunityPostRevision>?> RevisionsAsync(OrgContext org, Guid postId, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<CommunityPost>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        if (post is null || await BoardAccess.TopicAsync(db, org, post.TopicId, cancellationToken) is null
            || (post.State != PostState.Visible && post.AuthorId != org.UserId && !BoardAccess.IsModerator(org)))
        {
            return null;
        }

        return await db.Set<CommunityPostRevision>().Where(r => r.PostId == post.Id).OrderByDescending(r => r.Revision).ToListAsync(cancellationToken);
    }
}
