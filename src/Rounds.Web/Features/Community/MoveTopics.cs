using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// The old address of a post that a merge or a split took to another topic: a link or a quote naming that topic
/// and number is sent to wherever the post is now. The post itself says where that is, so a post moved twice needs
/// no chain of addresses.
/// </summary>
public sealed class CommunityPostMove : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    /// <summary>No foreign key: a merged topic is gone, and its address must outlive it.</summary>
    public Guid FromTopicId { get; set; }

    public int FromNumber { get; set; }

    public Guid PostId { get; set; }

    public DateTimeOffset MovedAt { get; set; }
}

internal sealed class CommunityPostMoveConfiguration : IEntityTypeConfiguration<CommunityPostMove>
{
    public void Configure(EntityTypeBuilder<CommunityPostMove> builder)
    {
        builder.ToTable("CommunityPostMoves");
        builder.HasIndex(m => new { m.FromTopicId, m.FromNumber });
        builder.HasOne<CommunityPost>().WithMany().HasForeignKey(m => m.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <param name="Posts">Numbers of the posts to take out, at least one; never the first post.</param>
/// <param name="CategoryId">Where the new topic goes; the source topic's category when left out.</param>
public sealed record SplitInput(IReadOnlyList<int>? Posts, string? Title, Guid? CategoryId);

/// <summary>
/// Moderators tidy the board: a topic moves to another category, merges into another topic, or gives some of its
/// posts a topic of their own. Each runs in one transaction with an audit entry, so a failure changes nothing.
/// Posts keep their authors, times, likes, flags and history; links and quotes that named their old place still
/// find them (docs/decisions/0057-moving-merging-and-splitting-topics.md).
/// </summary>
public sealed class MoveTopics(RoundsDbContext db, BoardAudience audience, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CommunityTopic>> MoveAsync(OrgContext org, Guid topicId, Guid? categoryId, CancellationToken cancellationToken = default)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) move topics.");
        }

        if (await audience.TopicAsync(org, topicId, cancellationToken) is not ({ } topic, { } current))
        {
            return Outcome.NotFound;
        }

        var to = categoryId is { } id ? await db.Set<CommunityCategory>().FirstOrDefaultAsync(c => c.Id == id && c.OrganizationId == org.Id, cancellationToken) : null;
        if (to is null || !await audience.MayReadAsync(org, to, cancellationToken))
        {
            return Outcome.Invalid("CategoryId", "Choose the category to move the topic to.");
        }

        if (to.Id == current.Id)
        {
            return Outcome.Invalid("CategoryId", $"The topic is already in {current.Name}.");
        }

        // Tags the new category does not take are dropped rather than refusing the move; the audit keeps them.
        var allowed = TopicTags.AllowedIn(to);
        var tags = await db.Set<CommunityTopicTag>().Where(t => t.TopicId == topic.Id).ToListAsync(cancellationToken);
        List<CommunityTopicTag> dropped = allowed.Count == 0 ? [] : tags.Where(t => !allowed.Contains(t.Tag, StringComparer.Ordinal)).ToList();
        db.RemoveRange(dropped);
        topic.CategoryId = to.Id;
        audit.Record(org.Id, "community_topic.moved", nameof(CommunityTopic), topic.Id.ToString(), new { Category = current.Name },
            new { Category = to.Name, DroppedTags = dropped.Select(t => t.Tag).ToList() });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityTopic>(Outcome.Success, topic);
    }

    /// <summary>
    /// Topic <paramref name="topicId"/> merges into <paramref name="intoTopicId"/> and is gone: the posts of both are
    /// numbered again by the time they went out, quotes anywhere on the board are rewritten to the new numbers, and
    /// the merged topic's address leads to the other.
    /// </summary>
    public async Task<Outcome<CommunityTopic>> MergeAsync(OrgContext org, Guid topicId, Guid? intoTopicId, CancellationToken cancellationToken = default)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) merge topics.");
        }

        if (await audience.TopicAsync(org, topicId, cancellationToken) is not ({ } source, _))
        {
            return Outcome.NotFound;
        }

        if (intoTopicId is not { } targetId || await audience.TopicAsync(org, targetId, cancellationToken) is not ({ } target, _))
        {
            return Outcome.Invalid("IntoTopicId", "Choose the topic to merge this one into.");
        }

        if (target.Id == source.Id)
        {
            return Outcome.Invalid("IntoTopicId", "A topic cannot merge into itself; choose another.");
        }

        if (!source.Visible || !target.Visible)
        {
            return Outcome.Refused("A topic whose first post waits for a moderator cannot be merged; release or reject it first.");
        }

        var now = clock.GetUtcNow();
        var posts = await db.Set<CommunityPost>().Where(p => p.TopicId == source.Id || p.TopicId == target.Id).ToListAsync(cancellationToken);
        var numbered = posts.Where(p => p.Number is not null)
            .OrderBy(p => p.ReleasedAt ?? p.CreatedAt).ThenBy(p => p.TopicId == target.Id ? 0 : 1).ThenBy(p => p.Number).ToList();
        var map = new Dictionary<(Guid Topic, int Number), (Guid Topic, int Number)>();
        var oldPlace = posts.ToDictionary(p => p.Id, p => (p.TopicId, p.Number));
        for (var i = 0; i < numbered.Count; i++)
        {
            map[(numbered[i].TopicId, numbered[i].Number!.Value)] = (target.Id, i + 1);
        }

        var marks = await db.Set<CommunityReadMark>().Where(r => r.TopicId == source.Id || r.TopicId == target.Id).ToListAsync(cancellationToken);
        var watches = await db.Set<CommunityWatch>().Where(w => w.TopicId == source.Id || w.TopicId == target.Id).ToListAsync(cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RenumberAsync(numbered, p => map[(p.TopicId, p.Number!.Value)], cancellationToken);
        foreach (var post in posts)
        {
            post.TopicId = target.Id;
        }

        foreach (var post in numbered.Where(p => oldPlace[p.Id].TopicId == source.Id))
        {
            db.Add(new CommunityPostMove { OrganizationId = org.Id, FromTopicId = source.Id, FromNumber = oldPlace[post.Id].Number!.Value, PostId = post.Id, MovedAt = now });
        }

        FixReplies(posts, oldPlace, map);
        if (!await RequoteAsync(org, [source.Id, target.Id], map, oldPlace, cancellationToken))
        {
            return TooLong();
        }

        // Read up to a number in the merged topic only as far as every post before it was read in its old topic.
        var order = numbered.Select(p => (From: oldPlace[p.Id].TopicId, Old: oldPlace[p.Id].Number!.Value)).ToList();
        foreach (var reader in marks.GroupBy(r => r.UserId, StringComparer.Ordinal))
        {
            var lastRead = reader.ToDictionary(r => r.TopicId, r => r.LastReadNumber);
            var upTo = order.TakeWhile(p => p.Old <= lastRead.GetValueOrDefault(p.From)).Count();
            var kept = reader.FirstOrDefault(r => r.TopicId == target.Id);
            if (kept is null)
            {
                db.Add(new CommunityReadMark { OrganizationId = org.Id, UserId = reader.Key, TopicId = target.Id, LastReadNumber = upTo });
            }
            else
            {
                kept.LastReadNumber = upTo;
            }
        }

        // Someone who muted either topic stays muted; otherwise they keep the closer of their two levels.
        foreach (var person in watches.Where(w => w.TopicId == source.Id))
        {
            var theirs = watches.FirstOrDefault(w => w.TopicId == target.Id && w.UserId == person.UserId);
            if (theirs is null)
            {
                db.Add(new CommunityWatch { OrganizationId = org.Id, UserId = person.UserId, TopicId = target.Id, Level = person.Level });
            }
            else
            {
                theirs.Level = Combine(theirs.Level, person.Level);
            }
        }

        target.LastNumber = numbered.Count;
        target.LastPostedAt = source.LastPostedAt > target.LastPostedAt ? source.LastPostedAt : target.LastPostedAt;
        await db.SaveChangesAsync(cancellationToken);
        // The merged topic's own rows (its marks, watches and tags) go with it.
        db.Remove(source);
        audit.Record(org.Id, "community_topic.merged", nameof(CommunityTopic), source.Id.ToString(), new { source.Title, Posts = oldPlace.Count(p => p.Value.TopicId == source.Id) },
            new { IntoTopic = target.Id, Into = target.Title, target.LastNumber });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<CommunityTopic>(Outcome.Success, target);
    }

    /// <summary>
    /// Some posts of a topic leave it for a new topic of their own, numbered from 1 in the order they went out. The
    /// topic they leave keeps its numbers, and each number left empty points to where its post went.
    /// </summary>
    public async Task<Outcome<CommunityTopic>> SplitAsync(OrgContext org, Guid topicId, SplitInput input, CancellationToken cancellationToken = default)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) split topics.");
        }

        if (await audience.TopicAsync(org, topicId, cancellationToken) is not ({ } source, { } sourceCategory))
        {
            return Outcome.NotFound;
        }

        if (!source.Visible)
        {
            return Outcome.Refused("A topic whose first post waits for a moderator cannot be split; release or reject it first.");
        }

        var wanted = (input.Posts ?? []).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return Outcome.Invalid("Posts", "Choose the posts to move to the new topic by their numbers.");
        }

        if (wanted.Count > MaxSplit)
        {
            return Outcome.Invalid("Posts", $"Split at most {MaxSplit} posts at a time.");
        }

        if (wanted.Contains(1))
        {
            return Outcome.Invalid("Posts", "The first post stays with its topic; to move the whole topic, move it to another category or merge it.");
        }

        var chosen = await db.Set<CommunityPost>().Where(p => p.TopicId == source.Id && p.Number != null && wanted.Contains(p.Number.Value)).ToListAsync(cancellationToken);
        var missing = wanted.Except(chosen.Select(p => p.Number!.Value)).Order().ToList();
        if (missing.Count > 0)
        {
            return Outcome.Invalid("Posts", $"This topic has no post {string.Join(", ", missing.Take(5).Select(n => "#" + n.ToString(CultureInfo.InvariantCulture)))}.");
        }

        var title = input.Title?.Trim() ?? "";
        if (BoardText.Check("Title", title, BoardLimits.Title) is { } badTitle)
        {
            return badTitle;
        }

        if (title.Length < 3 || title.Contains('\n', StringComparison.Ordinal))
        {
            return Outcome.Invalid("Title", "Give the new topic a title of at least three characters, on one line.");
        }

        var category = input.CategoryId is { } categoryId
            ? await db.Set<CommunityCategory>().FirstOrDefaultAsync(c => c.Id == categoryId && c.OrganizationId == org.Id, cancellationToken)
            : sourceCategory;
        if (category is null || !await audience.MayReadAsync(org, category, cancellationToken))
        {
            return Outcome.Invalid("CategoryId", "Choose a category of this board for the new topic.");
        }

        var now = clock.GetUtcNow();
        var moving = chosen.OrderBy(p => p.ReleasedAt ?? p.CreatedAt).ThenBy(p => p.Number).ToList();
        var first = moving[0];
        var last = moving.Max(p => p.ReleasedAt ?? p.CreatedAt);
        var split = new CommunityTopic
        {
            OrganizationId = org.Id, CategoryId = category.Id, Title = title, AuthorId = first.AuthorId, Visible = true,
            CreatedAt = first.CreatedAt, LastPostedAt = last, LastNumber = moving.Count,
        };
        var oldPlace = moving.ToDictionary(p => p.Id, p => (p.TopicId, p.Number));
        var map = new Dictionary<(Guid Topic, int Number), (Guid Topic, int Number)>();
        for (var i = 0; i < moving.Count; i++)
        {
            map[(source.Id, moving[i].Number!.Value)] = (split.Id, i + 1);
        }

        var sourceTags = await db.Set<CommunityTopicTag>().Where(t => t.TopicId == source.Id).Select(t => t.Tag).ToListAsync(cancellationToken);
        var allowed = TopicTags.AllowedIn(category);
        var marks = await db.Set<CommunityReadMark>().Where(r => r.TopicId == source.Id).ToListAsync(cancellationToken);
        var watches = await db.Set<CommunityWatch>().Where(w => w.TopicId == source.Id).ToListAsync(cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(split);
        await db.SaveChangesAsync(cancellationToken);
        await RenumberAsync(moving, p => map[(source.Id, p.Number!.Value)], cancellationToken);
        foreach (var post in moving)
        {
            post.TopicId = split.Id;
            db.Add(new CommunityPostMove { OrganizationId = org.Id, FromTopicId = source.Id, FromNumber = oldPlace[post.Id].Number!.Value, PostId = post.Id, MovedAt = now });
        }

        // Replies to posts left behind lose their "in reply to", which names a post of the same topic.
        // The query still sees the moved posts in the source (their new topic is not saved yet): they are not staying.
        var staying = (await db.Set<CommunityPost>().Where(p => p.TopicId == source.Id && p.ReplyToNumber != null).ToListAsync(cancellationToken))
            .Where(p => !oldPlace.ContainsKey(p.Id)).ToList();
        foreach (var post in staying)
        {
            oldPlace[post.Id] = (source.Id, post.Number);
        }

        FixReplies([.. moving, .. staying], oldPlace, map);
        if (!await RequoteAsync(org, [source.Id], map, oldPlace, cancellationToken))
        {
            return TooLong();
        }
        db.AddRange(sourceTags.Where(t => allowed.Count == 0 || allowed.Contains(t, StringComparer.Ordinal))
            .Select(t => new CommunityTopicTag { OrganizationId = org.Id, TopicId = split.Id, Tag = t }));

        // Who had read the source topic has read the moved posts they had passed, as far as there is no gap.
        var order = moving.Select(p => oldPlace[p.Id].Number!.Value).ToList();
        foreach (var mark in marks)
        {
            db.Add(new CommunityReadMark { OrganizationId = org.Id, UserId = mark.UserId, TopicId = split.Id, LastReadNumber = order.TakeWhile(n => n <= mark.LastReadNumber).Count() });
        }

        // Those who followed the conversation follow its new topic the same way.
        db.AddRange(watches.Select(w => new CommunityWatch { OrganizationId = org.Id, UserId = w.UserId, TopicId = split.Id, Level = w.Level }));
        var remaining = await db.Set<CommunityPost>().Where(p => p.TopicId == source.Id && p.Number != null && !wanted.Contains(p.Number.Value))
            .Select(p => new { p.ReleasedAt, p.CreatedAt }).ToListAsync(cancellationToken);
        source.LastPostedAt = remaining.Select(p => p.ReleasedAt ?? p.CreatedAt).DefaultIfEmpty(source.CreatedAt).Max();
        audit.Record(org.Id, "community_topic.split", nameof(CommunityTopic), source.Id.ToString(), new { source.Title, Posts = order },
            new { NewTopic = split.Id, split.Title, Category = category.Name });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<CommunityTopic>(Outcome.Success, split);
    }

    /// <summary>The most posts one split takes: a topic's first pages are plenty, and the page form stays quick.</summary>
    public const int MaxSplit = 1000;

    /// <summary>What the page's box holds: numbers separated by commas or spaces, and ranges such as <c>7-9</c>.</summary>
    public static Outcome<List<int>> ParseNumbers(string? text)
    {
        var numbers = new List<int>();
        foreach (var part in (text ?? "").Split([',', ' ', ';', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.TrimStart('#').Split('-', 2);
            if (!int.TryParse(ends[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                || !int.TryParse(ends.Length == 2 ? ends[1].TrimStart('#') : ends[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                || low < 1 || high < low || high - low >= MaxSplit)
            {
                return Outcome.Invalid("Posts", $"“{(part.Length > 20 ? part[..20] : part)}” is not a post number or a range such as 7-9.");
            }

            numbers.AddRange(Enumerable.Range(low, high - low + 1));
            if (numbers.Count > MaxSplit)
            {
                return Outcome.Invalid("Posts", $"Split at most {MaxSplit} posts at a time.");
            }
        }

        return numbers.Count == 0 ? Outcome.Invalid("Posts", "Choose the posts to move to the new topic by their numbers.") : new Outcome<List<int>>(Outcome.Success, numbers);
    }

    /// <summary>
    /// Gives posts their new numbers in two steps, through negative numbers first: the unique (topic, number) index
    /// would otherwise refuse a post taking a number another has not yet left.
    /// </summary>
    private async Task RenumberAsync(List<CommunityPost> posts, Func<CommunityPost, (Guid Topic, int Number)> to, CancellationToken cancellationToken)
    {
        var final = posts.ToDictionary(p => p.Id, to);
        for (var i = 0; i < posts.Count; i++)
        {
            posts[i].Number = -(i + 1);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var post in posts)
        {
            (post.TopicId, post.Number) = final[post.Id];
        }
    }

    private static void FixReplies(IEnumerable<CommunityPost> posts, Dictionary<Guid, (Guid TopicId, int? Number)> oldPlace, Dictionary<(Guid Topic, int Number), (Guid Topic, int Number)> map)
    {
        foreach (var post in posts.Where(p => p.ReplyToNumber is not null))
        {
            var answered = (oldPlace[post.Id].TopicId, post.ReplyToNumber!.Value);
            post.ReplyToNumber = map.TryGetValue(answered, out var now) ? (now.Topic == post.TopicId ? now.Number : null)
                : answered.TopicId == post.TopicId ? answered.Value : null;
        }
    }

    /// <summary>
    /// Rewrites the source of every quote that names a moved post, in the topics touched and in any post of the board
    /// that quotes them, so a quote keeps its author and its "jump to this post". The text quoted is left as written,
    /// and no revision is kept: the words did not change, only where their source lives.
    /// </summary>
    /// <returns>False when a post would grow past the longest a post may be (a quote of another topic is written longer).</returns>
    private async Task<bool> RequoteAsync(OrgContext org, IReadOnlyList<Guid> touched, Dictionary<(Guid Topic, int Number), (Guid Topic, int Number)> map,
        Dictionary<Guid, (Guid TopicId, int? Number)> oldPlace, CancellationToken cancellationToken)
    {
        var tracked = db.ChangeTracker.Entries<CommunityPost>().Select(e => e.Entity).ToDictionary(p => p.Id);
        var quoting = await db.Set<CommunityPost>().Where(p => p.OrganizationId == org.Id && touched.Contains(p.TopicId)).Select(p => p.Id).ToListAsync(cancellationToken);
        foreach (var topic in touched)
        {
            // Quotes of another topic name it by id; lower-case as the editor writes it, whatever case was typed.
            var id = topic.ToString();
            quoting.AddRange(await db.Set<CommunityPost>().Where(p => p.OrganizationId == org.Id && p.Body.ToLower().Contains(id)).Select(p => p.Id).ToListAsync(cancellationToken));
        }

        var refused = false;
        foreach (var id in quoting.Distinct())
        {
            var post = tracked.TryGetValue(id, out var known) ? known : await db.Set<CommunityPost>().FirstAsync(p => p.Id == id, cancellationToken);
            var ownBefore = oldPlace.TryGetValue(post.Id, out var place) ? place.TopicId : post.TopicId;
            var rewritten = PostText.Requote(post.Body, ownBefore, post.TopicId, (topic, number) => map.TryGetValue((topic, number), out var to) ? to : null);
            if (!string.Equals(rewritten, post.Body, StringComparison.Ordinal))
            {
                refused |= rewritten.Length > BoardLimits.Body;
                post.Body = rewritten;
            }
        }

        return !refused;
    }

    /// <summary>The transaction is left uncommitted, so it rolls back; the context forgets the changes made so far.</summary>
    private Outcome TooLong()
    {
        db.ChangeTracker.Clear();
        return Outcome.Refused($"A post quoting these topics would grow past {BoardLimits.Body} characters once its quotes name their new topic; shorten it first.");
    }

    private static WatchLevel Combine(WatchLevel kept, WatchLevel other) =>
        kept == WatchLevel.Muted || other == WatchLevel.Muted ? WatchLevel.Muted
        : Attention(other) > Attention(kept) ? other : kept;

    private static int Attention(WatchLevel level) => level switch
    {
        WatchLevel.Watching => 3,
        WatchLevel.WatchingFirstPost => 2,
        WatchLevel.Tracking => 1,
        _ => 0,
    };

    /// <summary>
    /// Where a post that used to be number <paramref name="number"/> of topic <paramref name="topicId"/> is now, when a
    /// merge or split took it away; null when it never moved or its new topic is not one the caller may read.
    /// </summary>
    public static async Task<(Guid TopicId, int Number)?> WhereIsAsync(RoundsDbContext db, BoardAudience audience, OrgContext org, Guid topicId, int number, CancellationToken cancellationToken)
    {
        var moved = await (
            from m in db.Set<CommunityPostMove>()
            join p in db.Set<CommunityPost>() on m.PostId equals p.Id
            where m.OrganizationId == org.Id && m.FromTopicId == topicId && m.FromNumber == number && p.Number != null
            orderby m.MovedAt descending
            select new { p.TopicId, p.Number }).FirstOrDefaultAsync(cancellationToken);
        if (moved is null || await audience.TopicAsync(org, moved.TopicId, cancellationToken) is null)
        {
            return null;
        }

        return (moved.TopicId, moved.Number!.Value);
    }

    /// <summary>Where post <paramref name="number"/> of a topic is: there, if the caller may read it, or wherever a merge or split took it.</summary>
    public async Task<(Guid TopicId, int Number)?> FindAsync(OrgContext org, Guid topicId, int number, CancellationToken cancellationToken = default) =>
        await audience.TopicAsync(org, topicId, cancellationToken) is not null && await db.Set<CommunityPost>().AnyAsync(p => p.TopicId == topicId && p.Number == number, cancellationToken)
            ? (topicId, number)
            : await WhereIsAsync(db, audience, org, topicId, number, cancellationToken);

    /// <summary>Where a merged topic's page <paramref name="page"/> went: the new place of the first of its posts from that page on.</summary>
    public async Task<(Guid TopicId, int Number)?> WhereDidItGoAsync(OrgContext org, Guid topicId, int page, CancellationToken cancellationToken = default)
    {
        var from = ((Math.Max(page, 1) - 1) * TopicPages.PostsPerPage) + 1;
        var number = await db.Set<CommunityPostMove>().Where(m => m.OrganizationId == org.Id && m.FromTopicId == topicId)
            .OrderBy(m => m.FromNumber < from ? 1 : 0).ThenBy(m => m.FromNumber).Select(m => (int?)m.FromNumber).FirstOrDefaultAsync(cancellationToken);
        return number is { } n ? await WhereIsAsync(db, audience, org, topicId, n, cancellationToken) : null;
    }
}
