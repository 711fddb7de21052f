using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

public enum ReviewAction
{
    /// <summary>A held post goes out: numbered, shown, and only now are people told.</summary>
    Release,

    /// <summary>A held post stays out for good; its author still sees it and why.</summary>
    Reject,

    /// <summary>A visible post is taken down; its open flags are settled.</summary>
    Hide,

    /// <summary>The flags of a post are settled and the post stays.</summary>
    Dismiss,

    /// <summary>The post's author may read but not post for a number of days (zero lifts it); open flags are settled.</summary>
    Silence,
}

/// <summary>
/// The moderators' decisions: the review queue (held posts and flags) and the state of topics. Each decision
/// is written to the audit log with who made it.
/// </summary>
public sealed class Moderate(RoundsDbContext db, BoardAudience audience, BoardMembers members, FanOut fanOut, IAuditLog audit, TimeProvider clock)
{
    public const int MaxSilenceDays = 365;

    public async Task<Outcome<CommunityPost>> ReviewAsync(OrgContext org, Guid postId, ReviewAction action, CancellationToken cancellationToken = default, int? days = null)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) decide on held and flagged posts.");
        }

        await members.EnsureAllAsync(org.Id, cancellationToken);
        var post = await db.Set<CommunityPost>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        var found = post is null ? null : await audience.TopicAsync(org, post.TopicId, cancellationToken);
        if (post is null || found is null)
        {
            return Outcome.NotFound;
        }

        var topic = found.Value.Topic;
        var before = new { State = post.State.ToString(), post.Number };
        var now = clock.GetUtcNow();
        switch (action)
        {
            case ReviewAction.Release:
                if (post.State != PostState.Held)
                {
                    return Outcome.Refused("Only a held post can be released.");
                }

                post.State = PostState.Visible;
                topic.Visible = true;
                WritePost.Number(topic, post, now);
                fanOut.Enqueue(org.Id, post, now);
                break;
            case ReviewAction.Reject:
                if (post.State != PostState.Held)
                {
                    return Outcome.Refused("Only a held post can be rejected; hide a visible one.");
                }

                post.State = PostState.Rejected;
                break;
            case ReviewAction.Hide:
                if (post.State != PostState.Visible)
                {
                    return Outcome.Refused("Only a visible post can be hidden.");
                }

                post.State = PostState.Hidden;
                await SettleFlagsAsync(org, post.Id, now, cancellationToken);
                break;
            case ReviewAction.Dismiss:
                if (await SettleFlagsAsync(org, post.Id, now, cancellationToken) == 0)
                {
                    return Outcome.Refused("The post has no open flags.");
                }

                break;
            case ReviewAction.Silence:
                if (days is not (>= 0 and <= MaxSilenceDays))
                {
                    return Outcome.Invalid("Days", $"Silence for 1 to {MaxSilenceDays} days, or 0 to lift a silence.");
                }

                var authorRole = await db.OrganizationMembers.Where(m => m.OrganizationId == org.Id && m.UserId == post.AuthorId).Select(m => (Role?)m.Role).FirstOrDefaultAsync(cancellationToken);
                if (post.AuthorId == org.UserId || authorRole >= Role.Reviewer)
                {
                    return Outcome.Refused("Moderators are not silenced; an admin changes their role instead.");
                }

                var member = await db.Set<CommunityMember>().FirstAsync(m => m.OrganizationId == org.Id && m.UserId == post.AuthorId, cancellationToken);
                member.SilencedUntil = days == 0 ? null : now.AddDays(days.Value);
                await SettleFlagsAsync(org, post.Id, now, cancellationToken);
                audit.Record(org.Id, "community_member.silenced", nameof(CommunityMember), member.Id.ToString(), after: new { member.Handle, member.SilencedUntil });
                break;
            default:
                return Outcome.Invalid("Action", "Choose release, reject, hide, dismiss or silence.");
        }

        post.ModeratedBy = org.UserId;
        audit.Record(org.Id, "community_post." + action.ToString().ToLowerInvariant(), nameof(CommunityPost), post.Id.ToString(), before, new { State = post.State.ToString(), post.Number, Topic = topic.Title });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityPost>(Outcome.Success, post);
    }

    private async Task<int> SettleFlagsAsync(OrgContext org, Guid postId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Set<CommunityFlag>().Where(f => f.PostId == postId && f.ResolvedAt == null).ToListAsync(cancellationToken);
        foreach (var flag in open)
        {
            flag.ResolvedAt = now;
            flag.ResolvedBy = org.UserId;
        }

        return open.Count;
    }

    /// <summary>Pins a topic to the top of its category, or closes it to new replies (moderators may still answer).</summary>
    public async Task<Outcome<CommunityTopic>> SetTopicAsync(OrgContext org, Guid topicId, bool? pinned, bool? closed, CancellationToken cancellationToken = default)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) pin and close topics.");
        }

        var found = await audience.TopicAsync(org, topicId, cancellationToken);
        if (found is null)
        {
            return Outcome.NotFound;
        }

        var topic = found.Value.Topic;
        if (pinned is null && closed is null)
        {
            return Outcome.Invalid("Pinned", "Say whether the topic is pinned, closed, or both.");
        }

        var before = new { topic.Pinned, topic.Closed };
        topic.Pinned = pinned ?? topic.Pinned;
        topic.Closed = closed ?? topic.Closed;
        audit.Record(org.Id, "community_topic.updated", nameof(CommunityTopic), topic.Id.ToString(), before, new { topic.Pinned, topic.Closed });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityTopic>(Outcome.Success, topic);
    }
}
