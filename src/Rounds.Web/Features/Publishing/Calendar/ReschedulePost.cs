using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>
/// Moves a post to another time. Only the time changes, so an approved post stays approved: approval is given
/// to the words, and the words are the same. The move is audited all the same, with the old and the new time.
/// </summary>
public sealed class ReschedulePost(RoundsDbContext db, IAuditLog audit, INotifier notifier, RevisionHistory history, TimeZones zones, TimeProvider clock)
{
    /// <summary>Whether this person may move this post at all (the time itself is checked when they choose one).</summary>
    public static string? Refusal(OrgContext org, string authorId, PostStatus status, bool anyCopyStarted)
    {
        if (!org.IsAtLeast(Role.Reviewer) && authorId != org.UserId)
        {
            return "Only the author, reviewers and admins can reschedule a post.";
        }

        if (PostLifecycle.IsFinal(status))
        {
            return $"This post is {PostLifecycle.Describe(status)}; its time can no longer change.";
        }

        return anyCopyStarted ? "This post is already going out to its accounts; its time can no longer change." : null;
    }

    public static bool Started(DeliveryStatus status) => status is not DeliveryStatus.Waiting;

    public async Task<Outcome> RunAsync(OrgContext org, Guid postId, DateTimeOffset? scheduledAt, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<Post>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        if (post is null)
        {
            return Outcome.NotFound;
        }

        var started = await db.Set<PostTarget>().Where(t => t.PostId == postId).Select(t => t.Status).ToListAsync(cancellationToken);
        if (Refusal(org, post.AuthorId, post.Status, started.Any(Started)) is { } refusal)
        {
            return Outcome.Refused(refusal);
        }

        if (scheduledAt is not { } when)
        {
            return Outcome.Invalid("ScheduledAt", "Enter the new date and time.");
        }

        var now = clock.GetUtcNow();
        when = when.ToUniversalTime();
        if (when <= now)
        {
            return Outcome.Invalid("ScheduledAt", $"Choose a time in the future; it is now {await DescribeForAsync(org.UserId, org, now, cancellationToken)}.");
        }

        if (when > now + PostRules.ScheduleHorizon)
        {
            return Outcome.Invalid("ScheduledAt", "Choose a time within the next two years.");
        }

        if (post.ScheduledAt == when)
        {
            return Outcome.Success;
        }

        var before = new { post.ScheduledAt, Status = PostLifecycle.Describe(post.Status), post.Revision };
        post.ScheduledAt = when;
        post.UpdatedAt = now;
        post.ConcurrencyStamp = Guid.NewGuid();
        audit.Record(org.Id, "post.rescheduled", "Post", post.Id.ToString(), before,
            new { post.ScheduledAt, Status = PostLifecycle.Describe(post.Status), post.Revision, ApprovalKept = post.Status == PostStatus.Approved });
        if (post.AuthorId != org.UserId)
        {
            await notifier.NotifyAsync(org.Id, [post.AuthorId], $"post:{post.Id}:rescheduled:{when.UtcTicks}",
                $"Your post \"{Excerpt.Of(await history.QuoteAsync(org.Id, post.Id, post.Text, cancellationToken), 60)}\" now goes out {await DescribeForAsync(post.AuthorId, org, when, cancellationToken)}.", $"/o/{org.Organization.Slug}/posts/{post.Id}", cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome.Refused("Someone else changed this post at the same moment; reload the calendar and try again.");
        }

        return Outcome.Success;
    }

    /// <summary>A time as one person reads it: in their own zone, else the organization's.</summary>
    private async Task<string> DescribeForAsync(string personId, OrgContext org, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var own = await db.People().Where(p => p.Id == personId).Select(p => p.TimeZone).FirstOrDefaultAsync(cancellationToken);
        var zone = zones.For(own, org.Organization.TimeZone);
        return zone.ToLocal(instant).ToString("dddd d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Abbreviation(instant)}, {zone.Name})";
    }
}
