using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>
/// Places posts without a time at their first copy's publication (<see cref="Post.CalendarAt"/>). Every path that
/// publishes a copy calls it in the transaction that records the copy, so a post never shows as published and
/// off the calendar. The time is read back from the copies rather than passed in, so copies recorded at once by
/// different instances or people still leave the earliest.
/// </summary>
public static class CalendarPlacement
{
    /// <summary>What <see cref="Post.CalendarAt"/> must hold, from the post's time and its copies' publication times.</summary>
    public static DateTimeOffset? Of(DateTimeOffset? scheduledAt, IEnumerable<DateTimeOffset?> publishedAt) =>
        scheduledAt ?? publishedAt.Where(at => at is not null).Min();

    public static Task PlaceAtPublicationAsync(RoundsDbContext db, IReadOnlyCollection<Guid> postIds, CancellationToken cancellationToken)
    {
        if (postIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        var targets = db.Set<PostTarget>();
        return db.Set<Post>().Where(p => postIds.Contains(p.Id) && p.ScheduledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CalendarAt, p => targets.Where(t => t.PostId == p.Id).Min(t => t.PublishedAt)), cancellationToken);
    }
}
