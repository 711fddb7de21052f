using System.Globalization;

namespace Rounds.Web.Features.Publishing;

/// <summary>Where a page of the posts list starts: after the post changed at <see cref="At"/> with this id.</summary>
public readonly record struct PostCursor(DateTimeOffset At, Guid Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Id:N}");

    /// <summary>Reads a cursor as the API handed it out; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out PostCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('.') ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new PostCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}

/// <summary>
/// Where a page of the review queue starts: after this post in queue order (unscheduled posts by submission,
/// then scheduled ones by time and submission; the id breaks ties).
/// </summary>
public sealed record QueueCursor(bool Scheduled, DateTimeOffset? ScheduledAt, DateTimeOffset? SubmittedAt, Guid Id)
{
    /// <summary>The start of the scheduled run, once the unscheduled posts are done.</summary>
    public static readonly QueueCursor ScheduledStart = new(true, null, null, Guid.Empty);

    public static QueueCursor Of(PostRow post) => new(post.ScheduledAt is not null, post.ScheduledAt, post.SubmittedAt, post.Id);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Scheduled ? "s" : "u")}.{ScheduledAt?.UtcTicks ?? 0}.{SubmittedAt?.UtcTicks ?? 0}.{Id:N}");

    public static bool TryParse(string? text, out QueueCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('.') ?? [];
        if (parts.Length != 4 || parts[0] is not ("s" or "u")
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var scheduled) || scheduled > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var submitted) || submitted > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(parts[3], "N", out var id))
        {
            return false;
        }

        var isScheduled = parts[0] == "s";
        cursor = new QueueCursor(isScheduled, isScheduled ? new DateTimeOffset(scheduled, TimeSpan.Zero) : null, new DateTimeOffset(submitted, TimeSpan.Zero), id);
        return true;
    }
}
