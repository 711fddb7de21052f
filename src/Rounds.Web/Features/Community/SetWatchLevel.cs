using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>A person sets how much they hear about a category or a topic; a topic without its own level inherits the category's.</summary>
public sealed class SetWatchLevel(RoundsDbContext db, BoardAudience audience)
{
    public static string Key(WatchLevel level) => level switch
    {
        WatchLevel.Normal => "normal",
        WatchLevel.Tracking => "tracking",
        WatchLevel.Watching => "watching",
        WatchLevel.WatchingFirstPost => "watching_first_post",
        WatchLevel.Muted => "muted",
    };

    public static WatchLevel? Parse(string? key) => Enum.GetValues<WatchLevel>().Cast<WatchLevel?>().FirstOrDefault(l => string.Equals(Key(l!.Value), key, StringComparison.OrdinalIgnoreCase));

    public async Task<Outcome> ForCategoryAsync(OrgContext org, Guid categoryId, WatchLevel? level, CancellationToken cancellationToken = default)
    {
        var category = await db.Set<CommunityCategory>().FirstOrDefaultAsync(c => c.Id == categoryId && c.OrganizationId == org.Id, cancellationToken);
        if (category is null || !await audience.MayReadAsync(org, category, cancellationToken))
        {
            return Outcome.NotFound;
        }

        if (level is null)
        {
            return Outcome.Invalid("Level", "Choose watching, watching first post, tracking, normal or muted.");
        }

        var row = await db.Set<CommunityWatch>().FirstOrDefaultAsync(w => w.UserId == org.UserId && w.CategoryId == category.Id && w.TopicId == null, cancellationToken);
        return await SaveAsync(org, row, level.Value, category.Id, null, cancellationToken);
    }

    public async Task<Outcome> ForTopicAsync(OrgContext org, Guid topicId, WatchLevel? level, CancellationToken cancellationToken = default)
    {
        var found = await audience.TopicAsync(org, topicId, cancellationToken);
        if (found is null)
        {
            return Outcome.NotFound;
        }

        if (level is null or WatchLevel.WatchingFirstPost)
        {
            return Outcome.Invalid("Level", "Choose watching, tracking, normal or muted.");
        }

        var row = await db.Set<CommunityWatch>().FirstOrDefaultAsync(w => w.UserId == org.UserId && w.TopicId == topicId, cancellationToken);
        return await SaveAsync(org, row, level.Value, null, topicId, cancellationToken);
    }

    private async Task<Outcome> SaveAsync(OrgContext org, CommunityWatch? row, WatchLevel level, Guid? categoryId, Guid? topicId, CancellationToken cancellationToken)
    {
        if (row is null)
        {
            db.Add(new CommunityWatch { OrganizationId = org.Id, UserId = org.UserId, CategoryId = categoryId, TopicId = topicId, Level = level });
        }
        else
        {
            row.Level = level;
        }

        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>The level that applies to a person in a topic: the topic's own, else the category's, else normal.</summary>
    public async Task<WatchLevel> EffectiveAsync(OrgContext org, CommunityTopic topic, CancellationToken cancellationToken = default)
    {
        var watches = await db.Set<CommunityWatch>().Where(w => w.UserId == org.UserId && (w.TopicId == topic.Id || w.CategoryId == topic.CategoryId)).ToListAsync(cancellationToken);
        return FanOut.Effective(watches).GetValueOrDefault(org.UserId, WatchLevel.Normal);
    }
}
