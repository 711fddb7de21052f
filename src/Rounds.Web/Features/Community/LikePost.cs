using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// Liking a visible post of someone else. Its author keeps one notification for all the likes of the post, which
/// grows ("Dan and 3 others liked your post"); a muted topic keeps it quiet.
/// </summary>
public sealed class LikePost(RoundsDbContext db, BoardAudience audience, INotifier notifier, BoardMembers members, TimeProvider clock)
{
    public async Task<Outcome> LikeAsync(OrgContext org, Guid postId, bool like, CancellationToken cancellationToken = default)
    {
        await members.EnsureAllAsync(org.Id, cancellationToken);
        var post = await db.Set<CommunityPost>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id && p.State == PostState.Visible, cancellationToken);
        var found = post is null ? null : await audience.TopicAsync(org, post.TopicId, cancellationToken);
        if (post is null || found is null)
        {
            return Outcome.NotFound;
        }

        if (post.AuthorId == org.UserId)
        {
            return Outcome.Refused("You cannot like your own post.");
        }

        var existing = await db.Set<CommunityLike>().FirstOrDefaultAsync(l => l.PostId == post.Id && l.UserId == org.UserId, cancellationToken);
        if (!like)
        {
            if (existing is not null)
            {
                db.Remove(existing);
                await db.SaveChangesAsync(cancellationToken);
            }

            return Outcome.Success;
        }

        if (existing is not null)
        {
            return Outcome.Success;
        }

        db.Add(new CommunityLike { OrganizationId = org.Id, PostId = post.Id, UserId = org.UserId, CreatedAt = clock.GetUtcNow() });
        var (topic, category) = found.Value;
        var watches = await db.Set<CommunityWatch>().Where(w => w.UserId == post.AuthorId && (w.TopicId == topic.Id || w.CategoryId == category.Id)).ToListAsync(cancellationToken);
        // The notification names the topic: an author who can no longer read its category (moved there, or a lapsed
        // membership) is not told.
        if (FanOut.Effective(watches).GetValueOrDefault(post.AuthorId) != WatchLevel.Muted
            && (await audience.ReadersAsync(org.Id, category, [post.AuthorId], cancellationToken)).Contains(post.AuthorId))
        {
            var likers = await (
                from l in db.Set<CommunityLike>()
                join m in db.Set<CommunityMember>() on new { l.UserId, l.OrganizationId } equals new { m.UserId, m.OrganizationId }
                where l.PostId == post.Id
                orderby l.CreatedAt descending
                select m.DisplayName).ToListAsync(cancellationToken);
            var me = await db.Set<CommunityMember>().Where(m => m.OrganizationId == org.Id && m.UserId == org.UserId).Select(m => m.DisplayName).FirstAsync(cancellationToken);
            likers.Insert(0, me);
            await notifier.RestateAsync(org.Id, post.AuthorId, $"community-likes:{post.Id}", FanOut.LikesTitle(likers, topic.Title), FanOut.PostLink(org.Organization.Slug, topic.Id, post.Number!.Value), cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Liked twice at once (two tabs): the first like stands, which is what was asked.
            db.ChangeTracker.Clear();
        }

        return Outcome.Success;
    }
}
