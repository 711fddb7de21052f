using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// A member's first visit to the board: a welcome in the bell and by mail, once, with where to start. Their first
/// topic is then marked for the community managers (<see cref="FanOut"/>), who greet them and bring in the experts.
/// </summary>
public sealed class WelcomeMember(RoundsDbContext db, BoardMembers members, INotifier notifier, TimeProvider clock)
{
    /// <summary>True when this visit was the first, so the page can greet the member too.</summary>
    public async Task<bool> WelcomeAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var me = await members.MeAsync(org, cancellationToken);
        if (me.WelcomedAt is not null)
        {
            return false;
        }

        me.WelcomedAt = clock.GetUtcNow();
        await notifier.NotifyAsync(org.Id, [org.UserId], $"community-welcome:{org.Id}",
            $"Welcome to the {org.Organization.Name} community, {me.DisplayName}. Nice to have you here: introduce yourself with a first topic, and others will find you as @{me.Handle}.",
            $"/o/{org.Organization.Slug}/community", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The same person opened the board twice at once; the other request welcomed them.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
