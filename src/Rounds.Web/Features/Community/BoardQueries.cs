using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <param name="ReadGroup">The handle of the group that reads, for a category whose audience is a group.</param>
public sealed record CategoryRow(CommunityCategory Category, int Topics, bool CanPost, WatchLevel Level, string? ReadGroup = null, string? PostGroup = null);

/// <param name="Unread">Posts past the caller's last read one; <c>null</c> when they never opened the topic (it is new to them).</param>
public sealed record TopicRow(CommunityTopic Topic, string CategoryName, string AuthorName, int? Unread, bool Held, IReadOnlyList<string> Tags);

/// <summary>One page of a topic list; <see cref="Pages"/> is at least 1.</summary>
public sealed record TopicListPage(List<TopicRow> Topics, int Page, int Pages);

/// <summary>A post as one reader sees it; <paramref name="Body"/> is its text without the words of quotes they may not read.</summary>
public sealed record PostView(CommunityPost Post, string AuthorName, string AuthorHandle, string Html, IReadOnlyList<string> LikedBy, bool LikedByMe, string? ReplyToAuthor, string Body);

/// <summary>A number of a topic whose post a split took to another topic: the reader follows it there.</summary>
/// <param name="Href">Null when the post went to a topic the reader may not open.</param>
public sealed record MovedPost(int Number, string? Href, string? TopicTitle);

public sealed record TopicView(CommunityTopic Topic, CommunityCategory Category, IReadOnlyList<PostView> Posts, WatchLevel Level, bool CanPost, int LastRead, int Page, int Pages, IReadOnlyList<string> Tags,
    IReadOnlyList<MovedPost> Moved)
{
    /// <summary>The highest post number this page shows; reading the page reads up to it.</summary>
    public int LastOnPage => Math.Min(Page * TopicPages.PostsPerPage, Topic.LastNumber);

    /// <summary>
    /// A link to post <paramref name="number"/> of this topic, with its path: pages have <c>&lt;base href="/"&gt;</c>,
    /// against which an anchor or a query alone would open the site's home page. A post on the page being read keeps
    /// that page's address, so following the link only scrolls.
    /// </summary>
    public string Href(string slug, int number) => TopicPages.Href(slug, Topic.Id, number);
}

/// <summary>
/// A long topic is read a page at a time. A post's page follows from its number alone (numbers are given without
/// gaps and kept when a post is hidden), so every link to a post, in mail, search or a quote, names its page.
/// </summary>
public static class TopicPages
{
    public const int PostsPerPage = 50;

    public static int Of(int number) => ((Math.Max(number, 1) - 1) / PostsPerPage) + 1;

    public static int Count(int lastNumber) => Of(lastNumber);

    /// <summary>The query and anchor that open post <paramref name="number"/> on its page.</summary>
    public static string Query(int number) => (Of(number) > 1 ? $"?page={Of(number)}" : "") + $"#post-{number}";

    /// <summary>The same, with the page named even when it is the first, for links from another page of the topic.</summary>
    public static string OnPage(int number) => $"?page={Of(number)}#post-{number}";

    public static string Href(string slug, Guid topicId, int number) => BoardQueries.TopicPath(slug, topicId) + Query(number);
}

public sealed record MemberPost(Guid TopicId, string TopicTitle, int Number, DateTimeOffset At);

public sealed record BoardMemberView(CommunityMember Member, IReadOnlyList<CommunityGroup> Groups, IReadOnlyList<MemberPost> Posts)
{
    public const int Latest = 20;
}

public sealed record ReviewItem(CommunityPost Post, string TopicTitle, string AuthorName, IReadOnlyList<(CommunityFlag Flag, string By)> Flags);

/// <summary>What the board shows: lists, a topic with its posts as the caller may see them, and the review queue.</summary>
public sealed class BoardQueries(RoundsDbContext db, BoardAudience audience, BoardMembers members)
{
    public static string TopicPath(string slug, Guid topicId) => $"/o/{slug}/community/t/{topicId}";

    public async Task<List<CategoryRow>> CategoriesAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var (categories, reader) = await audience.ReadableAsync(org, cancellationToken);
        var readable = categories.OrderBy(c => c.Position).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        var ids = readable.Select(c => c.Id).ToList();
        var counts = await db.Set<CommunityTopic>().Where(t => t.OrganizationId == org.Id && t.Visible && ids.Contains(t.CategoryId))
            .GroupBy(t => t.CategoryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var levels = await db.Set<CommunityWatch>().Where(w => w.UserId == org.UserId && w.CategoryId != null && ids.Contains(w.CategoryId.Value))
            .ToDictionaryAsync(w => w.CategoryId!.Value, w => w.Level, cancellationToken);
        var groupIds = readable.SelectMany(c => new[] { c.ReadGroupId, c.PostGroupId }).OfType<Guid>().Distinct().ToList();
        var groups = groupIds.Count == 0 ? new Dictionary<Guid, string>() : await db.Set<CommunityGroup>().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Handle, cancellationToken);
        string? Handle(Guid? id) => id is { } found ? groups.GetValueOrDefault(found) : null;
        return readable.Select(c => new CategoryRow(c, counts.GetValueOrDefault(c.Id), BoardAudience.MayPost(reader, c), levels.GetValueOrDefault(c.Id), Handle(c.ReadGroupId), Handle(c.PostGroupId))).ToList();
    }

    /// <summary>Topics in a list: how many a page of a category or a tag shows.</summary>
    public const int TopicsPerPage = 50;

    /// <summary>Visible topics (and the caller's own held ones), pinned first, then by latest post; of one tag when <paramref name="tag"/> is given.</summary>
    public async Task<List<TopicRow>> TopicsAsync(OrgContext org, Guid? categoryId, int take = 50, CancellationToken cancellationToken = default, string? tag = null, int skip = 0) =>
        await TopicsAsync(org, await ReadableIdsAsync(org, cancellationToken), categoryId, take, skip, tag, cancellationToken);

    /// <summary>The latest topics of the categories the caller has already read with <see cref="CategoriesAsync"/>, which need not be read again.</summary>
    public Task<List<TopicRow>> LatestTopicsAsync(OrgContext org, IEnumerable<CategoryRow> readable, int take, CancellationToken cancellationToken = default) =>
        TopicsAsync(org, readable.Select(c => c.Category.Id).ToList(), null, take, 0, null, cancellationToken);

    private async Task<List<Guid>> ReadableIdsAsync(OrgContext org, CancellationToken cancellationToken) =>
        (await CategoriesAsync(org, cancellationToken)).Select(c => c.Category.Id).ToList();

    private async Task<List<TopicRow>> TopicsAsync(OrgContext org, List<Guid> readable, Guid? categoryId, int take, int skip, string? tag, CancellationToken cancellationToken)
    {
        var rows = await (
            from t in Listed(org, readable, categoryId, tag)
            join c in db.Set<CommunityCategory>() on t.CategoryId equals c.Id
            join m in db.Set<CommunityMember>() on new { UserId = t.AuthorId, t.OrganizationId } equals new { m.UserId, m.OrganizationId } into authors
            from m in authors.DefaultIfEmpty()
            join r in db.Set<CommunityReadMark>().Where(r => r.UserId == org.UserId) on t.Id equals r.TopicId into marks
            from r in marks.DefaultIfEmpty()
            orderby t.Pinned descending, t.LastPostedAt descending, t.Id
            select new { t, c.Name, Author = m == null ? "" : m.DisplayName, Read = r == null ? (int?)null : r.LastReadNumber }).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var tags = await TopicTags.OfAsync(db, rows.Select(r => r.t.Id).ToList(), cancellationToken);
        return rows.Select(r => new TopicRow(r.t, r.Name, r.Author, r.Read is { } read ? Math.Max(0, r.t.LastNumber - read) : null, !r.t.Visible, tags[r.t.Id].ToList())).ToList();
    }

    /// <summary>Page <paramref name="page"/> of a category's or a tag's topics, <see cref="TopicsPerPage"/> a page; a page past the end shows the last.</summary>
    public async Task<TopicListPage> TopicPageAsync(OrgContext org, Guid? categoryId, string? tag, int page, CancellationToken cancellationToken = default)
    {
        var readable = await ReadableIdsAsync(org, cancellationToken);
        var count = await Listed(org, readable, categoryId, tag).CountAsync(cancellationToken);
        var pages = Math.Max(1, (count + TopicsPerPage - 1) / TopicsPerPage);
        page = Math.Clamp(page, 1, pages);
        return new TopicListPage(await TopicsAsync(org, readable, categoryId, TopicsPerPage, (page - 1) * TopicsPerPage, tag, cancellationToken), page, pages);
    }

    private IQueryable<CommunityTopic> Listed(OrgContext org, List<Guid> readable, Guid? categoryId, string? tag) =>
        db.Set<CommunityTopic>().Where(t => t.OrganizationId == org.Id && readable.Contains(t.CategoryId) && (categoryId == null || t.CategoryId == categoryId)
            && (t.Visible || t.AuthorId == org.UserId)
            && (tag == null || db.Set<CommunityTopicTag>().Any(g => g.TopicId == t.Id && g.Tag == tag)));

    /// <summary>
    /// One page of a topic as the caller may see it: visible posts in number order; hidden ones as a placeholder;
    /// held and rejected posts (which have no number yet) on the last page, only to their author (with the
    /// findings) and to moderators. The work is bounded by the page, not by the topic or the organization.
    /// </summary>
    public async Task<TopicView?> TopicAsync(OrgContext org, Guid topicId, int page = 1, CancellationToken cancellationToken = default)
    {
        var found = await audience.TopicAsync(org, topicId, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var (topic, category) = found.Value;
        var moderator = BoardAccess.IsModerator(org);
        var pages = TopicPages.Count(topic.LastNumber);
        page = Math.Clamp(page, 1, pages);
        var from = (page - 1) * TopicPages.PostsPerPage;
        var to = page * TopicPages.PostsPerPage;
        var last = page == pages;
        var posts = await db.Set<CommunityPost>()
            .Where(p => p.TopicId == topic.Id
                && ((p.Number > from && p.Number <= to) || (last && p.Number == null && (p.AuthorId == org.UserId || moderator))))
            .ToListAsync(cancellationToken);
        var postIds = posts.Select(p => p.Id).ToList();
        var likes = await db.Set<CommunityLike>().Where(l => postIds.Contains(l.PostId)).OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);
        var likesByPost = likes.ToLookup(l => l.PostId);
        var numbers = posts.Where(p => p.State == PostState.Visible && p.Number is not null).ToDictionary(p => p.Number!.Value, p => p.AuthorId);
        var answeredElsewhere = posts.Where(p => p.ReplyToNumber is { } n && !numbers.ContainsKey(n)).Select(p => p.ReplyToNumber!.Value).Distinct().ToList();
        if (answeredElsewhere.Count > 0)
        {
            foreach (var answered in await db.Set<CommunityPost>().Where(p => p.TopicId == topic.Id && p.State == PostState.Visible && p.Number != null && answeredElsewhere.Contains(p.Number.Value))
                .Select(p => new { p.Number, p.AuthorId }).ToListAsync(cancellationToken))
            {
                numbers[answered.Number!.Value] = answered.AuthorId;
            }
        }

        // Only the people this page names: authors, likers, the answered, and the handles its posts mention.
        var people = posts.Select(p => p.AuthorId).Concat(likes.Select(l => l.UserId)).Concat(numbers.Values).Distinct(StringComparer.Ordinal).ToList();
        var mentioned = posts.SelectMany(p => BoardMembers.MentionsIn(p.Body)).Select(h => h.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var named = await db.Set<CommunityMember>().Where(m => m.OrganizationId == org.Id && (people.Contains(m.UserId) || mentioned.Contains(m.Handle.ToUpper())))
            .ToListAsync(cancellationToken);
        var byUser = named.ToDictionary(m => m.UserId, StringComparer.Ordinal);
        var handles = await MentionLinksAsync(org, named, mentioned, cancellationToken);
        var sources = await QuoteSourcesAsync(org, topic, posts, cancellationToken);
        string Name(string userId) => byUser.TryGetValue(userId, out var m) ? m.DisplayName : "A former member";
        var views = posts
            .OrderBy(p => p.Number ?? int.MaxValue).ThenBy(p => p.CreatedAt)
            .Select(p => new PostView(
                p, Name(p.AuthorId), byUser.TryGetValue(p.AuthorId, out var a) ? a.Handle : "",
                p.State == PostState.Hidden && !moderator && p.AuthorId != org.UserId ? "" : PostText.ToHtml(p.Body, sources, handles),
                likesByPost[p.Id].Select(l => Name(l.UserId)).ToList(), likesByPost[p.Id].Any(l => l.UserId == org.UserId),
                p.ReplyToNumber is { } answered && numbers.TryGetValue(answered, out var answeredAuthor) ? Name(answeredAuthor) : null,
                PostText.Withhold(p.Body, sources)))
            .ToList();
        var watch = await db.Set<CommunityWatch>().Where(w => w.UserId == org.UserId && (w.TopicId == topic.Id || w.CategoryId == category.Id)).ToListAsync(cancellationToken);
        var lastRead = await db.Set<CommunityReadMark>().Where(r => r.UserId == org.UserId && r.TopicId == topic.Id).Select(r => (int?)r.LastReadNumber).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var tags = await TopicTags.OfAsync(db, [topic.Id], cancellationToken);
        return new TopicView(topic, category, views, FanOut.Effective(watch).GetValueOrDefault(org.UserId, WatchLevel.Normal), await audience.MayPostAsync(org, category, cancellationToken), lastRead, page, pages, tags[topic.Id].ToList(),
            await MovedAsync(org, topic, from, to, posts, cancellationToken));
    }

    /// <summary>The numbers of this page whose posts a split took away, each with where it went, so an old link still lands somewhere useful.</summary>
    private async Task<List<MovedPost>> MovedAsync(OrgContext org, CommunityTopic topic, int from, int to, List<CommunityPost> posts, CancellationToken cancellationToken)
    {
        var present = posts.Where(p => p.Number is not null).Select(p => p.Number!.Value).ToHashSet();
        var gone = await db.Set<CommunityPostMove>().Where(m => m.FromTopicId == topic.Id && m.OrganizationId == org.Id && m.FromNumber > from && m.FromNumber <= to)
            .Select(m => m.FromNumber).Distinct().ToListAsync(cancellationToken);
        var moved = new List<MovedPost>();
        foreach (var number in gone.Where(n => !present.Contains(n)).Order())
        {
            var at = await MoveTopics.WhereIsAsync(db, audience, org, topic.Id, number, cancellationToken);
            var title = at is { } place ? await db.Set<CommunityTopic>().Where(t => t.Id == place.TopicId).Select(t => t.Title).FirstAsync(cancellationToken) : null;
            moved.Add(new MovedPost(number, at is { } found ? TopicPages.Href(org.Organization.Slug, found.TopicId, found.Number) : null, title));
        }

        return moved;
    }

    public static string MemberPath(string slug, string handle) => $"/o/{slug}/community/u/{handle}";

    public static string GroupPath(string slug, string handle) => $"/o/{slug}/community/g/{handle}";

    /// <summary>The handles the posts name that belong to someone: members to their page, groups to theirs.</summary>
    private async Task<Dictionary<string, string>> MentionLinksAsync(OrgContext org, List<CommunityMember> named, List<string> mentioned, CancellationToken cancellationToken)
    {
        var slug = org.Organization.Slug;
        var links = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in named.Where(m => mentioned.Contains(m.Handle.ToUpperInvariant())))
        {
            links[member.Handle] = MemberPath(slug, member.Handle);
        }

        if (mentioned.Count > links.Count)
        {
            foreach (var group in await db.Set<CommunityGroup>().Where(g => g.OrganizationId == org.Id && mentioned.Contains(g.Handle.ToUpper())).Select(g => g.Handle).ToListAsync(cancellationToken))
            {
                links[group] = GroupPath(slug, group);
            }
        }

        return links;
    }

    /// <summary>
    /// A post as it would read, before it is posted: the same Markdown, sanitizing, quotes and mention links as a
    /// posted one. Quotes of <paramref name="topicId"/> (the topic being answered) find their source; nothing is saved
    /// and nobody is told.
    /// </summary>
    public async Task<Outcome<string>> PreviewAsync(OrgContext org, string? body, Guid? topicId, CancellationToken cancellationToken = default)
    {
        if (BoardText.CheckBody(body) is { } problem)
        {
            return problem;
        }

        var topic = topicId is { } id && await audience.TopicAsync(org, id, cancellationToken) is ({ } found, _)
            ? found
            : new CommunityTopic { Id = Guid.NewGuid(), OrganizationId = org.Id };
        var draft = new CommunityPost { OrganizationId = org.Id, TopicId = topic.Id, Body = body!.Trim() };
        await members.EnsureAllAsync(org.Id, cancellationToken);
        var mentioned = BoardMembers.MentionsIn(draft.Body).Select(h => h.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var named = await db.Set<CommunityMember>().Where(m => m.OrganizationId == org.Id && mentioned.Contains(m.Handle.ToUpper())).ToListAsync(cancellationToken);
        var sources = await QuoteSourcesAsync(org, topic, [draft], cancellationToken);
        return new Outcome<string>(Outcome.Success, PostText.ToHtml(draft.Body, sources, await MentionLinksAsync(org, named, mentioned, cancellationToken)));
    }

    /// <summary>A member's page: who they are, their groups, and their latest posts the caller may read.</summary>
    public async Task<BoardMemberView?> MemberAsync(OrgContext org, string handle, CancellationToken cancellationToken = default)
    {
        await members.EnsureAllAsync(org.Id, cancellationToken);
        var upper = handle.ToUpperInvariant();
        var member = await db.Set<CommunityMember>().FirstOrDefaultAsync(m => m.OrganizationId == org.Id && m.Handle.ToUpper() == upper, cancellationToken);
        if (member is null)
        {
            return null;
        }

        var groups = await (
            from gm in db.Set<CommunityGroupMember>()
            join g in db.Set<CommunityGroup>() on gm.GroupId equals g.Id
            where gm.UserId == member.UserId && g.OrganizationId == org.Id
            orderby g.Handle
            select g).ToListAsync(cancellationToken);
        var readable = await ReadableIdsAsync(org, cancellationToken);
        var posts = await (
            from p in db.Set<CommunityPost>()
            join t in db.Set<CommunityTopic>() on p.TopicId equals t.Id
            where p.OrganizationId == org.Id && p.AuthorId == member.UserId && p.State == PostState.Visible && p.Number != null && t.Visible && readable.Contains(t.CategoryId)
            orderby p.CreatedAt descending
            select new MemberPost(t.Id, t.Title, p.Number!.Value, p.CreatedAt)).Take(BoardMemberView.Latest).ToListAsync(cancellationToken);
        return new BoardMemberView(member, groups, posts);
    }

    /// <summary>Remembers that the caller has read the topic up to post <paramref name="upTo"/> (the last one of the page they saw).</summary>
    public async Task MarkReadAsync(OrgContext org, CommunityTopic topic, int upTo, CancellationToken cancellationToken = default)
    {
        var mark = await db.Set<CommunityReadMark>().FirstOrDefaultAsync(r => r.UserId == org.UserId && r.TopicId == topic.Id, cancellationToken);
        if (mark is null)
        {
            db.Add(new CommunityReadMark { OrganizationId = org.Id, UserId = org.UserId, TopicId = topic.Id, LastReadNumber = upTo });
        }
        else if (mark.LastReadNumber < upTo)
        {
            mark.LastReadNumber = upTo;
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

    private async Task<Dictionary<PostText.QuoteRef, QuoteSource>> QuoteSourcesAsync(OrgContext org, CommunityTopic topic, List<CommunityPost> posts, CancellationToken cancellationToken)
    {
        var refs = posts.SelectMany(p => PostText.Quotes(p.Body)).Distinct().ToList();
        var sources = new Dictionary<PostText.QuoteRef, QuoteSource>();
        foreach (var quoted in refs.GroupBy(r => r.TopicId ?? topic.Id))
        {
            // A quote links only to a post its reader may open: a visible post of a topic in a category they read.
            if (quoted.Key != topic.Id && await audience.TopicAsync(org, quoted.Key, cancellationToken) is not { Topic.Visible: true })
            {
                // A visible topic that the lookup refused is in a category this reader may not read: its words are withheld.
                if (await db.Set<CommunityTopic>().AnyAsync(t => t.Id == quoted.Key && t.OrganizationId == org.Id && t.Visible, cancellationToken))
                {
                    foreach (var r in quoted)
                    {
                        sources[r] = new QuoteSource(r.Number, "", "", Withheld: true);
                    }
                }

                continue;
            }

            var wanted = quoted.Select(r => r.Number).ToList();
            var found = await (
                from p in db.Set<CommunityPost>()
                join m in db.Set<CommunityMember>() on new { UserId = p.AuthorId, p.OrganizationId } equals new { m.UserId, m.OrganizationId } into authors
                from m in authors.DefaultIfEmpty()
                where p.TopicId == quoted.Key && p.State == PostState.Visible && p.Number != null && wanted.Contains(p.Number.Value)
                select new { p.Number, Name = m == null ? null : m.DisplayName }).ToListAsync(cancellationToken);
            foreach (var source in found)
            {
                var number = source.Number!.Value;
                // With its path, as every link on the board (see TopicView.Href).
                var href = TopicPages.Href(org.Organization.Slug, quoted.Key, number);
                foreach (var r in quoted.Where(r => r.Number == number))
                {
                    sources[r] = new QuoteSource(number, source.Name ?? "A former member", href);
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

    /// <summary>A row per post waiting on a moderator (held, or flagged and not yet resolved), for the menu's count.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<RoundsDbContext, Guid, string, IQueryable<int>>> QueueRows = (db, organizationId, _) =>
        db.Set<CommunityPost>().Where(p => p.OrganizationId == organizationId && p.State == PostState.Held).Select(p => 1)
            .Concat(db.Set<CommunityFlag>().Where(f => f.OrganizationId == organizationId && f.ResolvedAt == null).Select(f => f.PostId).Distinct().Select(p => 1));

    /// <summary>The earlier texts of a post the caller may read, newest first.</summary>
    public async Task<List<CommunityPostRevision>?> RevisionsAsync(OrgContext org, Guid postId, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<CommunityPost>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        if (post is null || await audience.TopicAsync(org, post.TopicId, cancellationToken) is null
            || (post.State != PostState.Visible && post.AuthorId != org.UserId && !BoardAccess.IsModerator(org)))
        {
            return null;
        }

        return await db.Set<CommunityPostRevision>().Where(r => r.PostId == post.Id).OrderByDescending(r => r.Revision).ToListAsync(cancellationToken);
    }
}
