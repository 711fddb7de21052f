using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// Its author (or a moderator) changes a post; the text it had is kept as a revision anyone who can read the
/// post can open. The new text is screened like a new post: a blocked edit is refused with its findings and the
/// post keeps its text, since it is already in front of readers. A held post's author may fix it while it waits.
/// </summary>
public sealed class EditPost(RoundsDbContext db, BoardAudience audience, IOrganizationScreener screener, WatchedWords watchedWords, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CommunityPost>> EditAsync(OrgContext org, Guid postId, string? body, CancellationToken cancellationToken = default)
    {
        var problem = BoardText.CheckBody(body);
        if (problem is not null)
        {
            return problem;
        }

        var post = await db.Set<CommunityPost>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        var found = post is null ? null : await audience.TopicAsync(org, post.TopicId, cancellationToken);
        if (post is null || found is null || (post.State != PostState.Visible && post.AuthorId != org.UserId && !BoardAccess.IsModerator(org)))
        {
            return Outcome.NotFound;
        }

        if (post.AuthorId != org.UserId && !BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only the author of a post and the moderators edit it.");
        }

        // Editing is writing: an author who may no longer post in the category (a lapsed premium membership) reads
        // their posts there but does not rewrite them.
        if (!BoardAccess.IsModerator(org) && !await audience.MayPostAsync(org, found.Value.Category, cancellationToken))
        {
            return Outcome.Forbidden("Only those who may post in this category edit posts in it.");
        }

        if (post.State is PostState.Hidden or PostState.Rejected)
        {
            return Outcome.Refused("A hidden or rejected post can no longer be edited.");
        }

        var watched = await watchedWords.ApplyAsync(org.Id, body!.Trim(), cancellationToken);
        var text = watched.Text;
        if (BoardText.Check("Body", text, BoardLimits.Body) is { } tooLong)
        {
            return tooLong;
        }

        if (text == post.Body)
        {
            return new Outcome<CommunityPost>(Outcome.Success, post);
        }

        var topic = found.Value.Topic;
        var result = await screener.ScreenAsync(org.Id, new Rounds.Screening.Post(post.Number == 1 ? $"{topic.Title}\n\n{text}" : text, AccountKind.Personal), Profile.Social, cancellationToken);
        if ((result.Verdict == Verdict.Block || watched.Blocking.Count > 0) && post.State == PostState.Visible)
        {
            return Outcome.Invalid("Body", "Screening holds this text back, so the post keeps its earlier text: " + WatchedWords.Findings(watched, BoardText.Describe(result)).Replace('\n', ' '));
        }

        var now = clock.GetUtcNow();
        db.Add(new CommunityPostRevision { OrganizationId = org.Id, PostId = post.Id, Revision = post.Revision, Body = post.Body, EditedBy = org.UserId, EditedAt = now });
        post.Revision++;
        post.Body = text;
        post.EditedAt = now;
        post.Screening = result.Verdict;
        post.Findings = WatchedWords.Findings(watched, BoardText.Describe(result));
        var flagger = post.State == PostState.Visible && watched.Flagging.Count > 0 ? await WritePost.FlaggerAsync(db, org, watched, cancellationToken) : null;
        if (flagger is not null
            && !await db.Set<CommunityFlag>().AnyAsync(f => f.PostId == post.Id && f.UserId == flagger && f.ResolvedAt == null, cancellationToken))
        {
            db.Add(new CommunityFlag
            {
                OrganizationId = org.Id, PostId = post.Id, UserId = flagger, Reason = FlagReason.SomethingElse, CreatedAt = now,
                Note = "Watched words: " + string.Join(", ", watched.Flagging.Select(w => $"“{w.Phrase}”")),
            });
        }
        audit.Record(org.Id, "community_post.edited", nameof(CommunityPost), post.Id.ToString(), new { Revision = post.Revision - 1 }, new { post.Revision, State = post.State.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityPost>(Outcome.Success, post);
    }
}
