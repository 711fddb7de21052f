using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>A member flags a visible post for the moderators, who find it in the review queue and are told at once.</summary>
public sealed class FlagPost(RoundsDbContext db, BoardAudience audience, INotifier notifier, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CommunityFlag>> FlagAsync(OrgContext org, Guid postId, FlagReason? reason, string? note, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<CommunityPost>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id && p.State == PostState.Visible, cancellationToken);
        var found = post is null ? null : await audience.TopicAsync(org, post.TopicId, cancellationToken);
        if (post is null || found is null)
        {
            return Outcome.NotFound;
        }

        if (reason is null || !Enum.IsDefined(reason.Value))
        {
            return Outcome.Invalid("Reason", "Choose why the post needs a moderator.");
        }

        var text = note?.Trim() ?? "";
        var problem = BoardText.Check("Note", text, BoardLimits.FlagNote);
        if (problem is not null)
        {
            return problem;
        }

        if (reason == FlagReason.SomethingElse && text.Length == 0)
        {
            return Outcome.Invalid("Note", "Say what is wrong with the post.");
        }

        if (await db.Set<CommunityFlag>().AnyAsync(f => f.PostId == post.Id && f.UserId == org.UserId && f.ResolvedAt == null, cancellationToken))
        {
            return Outcome.Refused("You have already flagged this post; the moderators have it.");
        }

        var flag = new CommunityFlag { OrganizationId = org.Id, PostId = post.Id, UserId = org.UserId, Reason = reason.Value, Note = text, CreatedAt = clock.GetUtcNow() };
        db.Add(flag);
        var moderators = await notifier.MembersAtLeastAsync(org.Id, Role.Reviewer, cancellationToken);
        await notifier.NotifyAsync(org.Id, moderators.Where(m => m != org.UserId), $"community-flag:{flag.Id}",
            $"A post in “{found.Value.Topic.Title}” was flagged: {FlagNames.Label(reason.Value)}", $"/o/{org.Organization.Slug}/community/review", cancellationToken);
        audit.Record(org.Id, "community_post.flagged", nameof(CommunityPost), post.Id.ToString(), after: new { Reason = FlagNames.Key(reason.Value), Note = text });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityFlag>(Outcome.Success, flag);
    }
}

public static class FlagNames
{
    public static string Key(FlagReason reason) => reason switch
    {
        FlagReason.OffTopic => "off_topic",
        FlagReason.Inappropriate => "inappropriate",
        FlagReason.PatientInformation => "patient_information",
        FlagReason.Spam => "spam",
        FlagReason.SomethingElse => "something_else",
    };

    public static string Label(FlagReason reason) => reason switch
    {
        FlagReason.OffTopic => "off-topic",
        FlagReason.Inappropriate => "inappropriate",
        FlagReason.PatientInformation => "patient information",
        FlagReason.Spam => "spam",
        FlagReason.SomethingElse => "something else",
    };

    public static FlagReason? Parse(string? key) => Enum.GetValues<FlagReason>().Cast<FlagReason?>().FirstOrDefault(r => string.Equals(Key(r!.Value), key, StringComparison.OrdinalIgnoreCase));
}
