namespace Rounds.Web.Features.Notifications.Contracts;

/// <summary>
/// Tells people about governance events in the notification centre and by email. Notifications join the
/// caller's unit of work; their emails go out only once that work is committed.
/// </summary>
/// <summary>One person's notification of one event.</summary>
public sealed record Notice(string UserId, string EventKey, string Title, string Link);

public interface INotifier
{
    /// <summary>Queues one notification per person for the event; people already told about it are skipped.</summary>
    Task NotifyAsync(Guid organizationId, IEnumerable<string> userIds, string eventKey, string title, string link, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="NotifyAsync"/> for many events of the organization at once, one person each, with two reads in
    /// all: for work that ends many things in one go (the publisher ending a cycle's posts).
    /// </summary>
    Task NotifyEachAsync(Guid organizationId, IReadOnlyCollection<Notice> notices, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks done, for everyone, the unread notifications of events whose key starts with
    /// <paramref name="eventKeyPrefix"/>: the thing they asked for was handled (by anyone), so they would only
    /// mislead. With <paramref name="userId"/>, only that person's (they acted; the others still have to).
    /// Joins the caller's unit of work, so a change that fails to save settles nothing.
    /// </summary>
    Task SettleAsync(Guid organizationId, string eventKeyPrefix, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps one notification for a person about an event that grows (more likes of one post): the first call
    /// queues it and mails it like <see cref="NotifyAsync"/>; later calls rewrite its title and mark it unread
    /// again, without another mail.
    /// </summary>
    Task RestateAsync(Guid organizationId, string userId, string eventKey, string title, string link, CancellationToken cancellationToken = default);

    /// <summary>The organization's members with at least <paramref name="role"/>, e.g. the communications team.</summary>
    Task<List<string>> MembersAtLeastAsync(Guid organizationId, Role role, CancellationToken cancellationToken = default);

    /// <summary>A full address for a path of Rounds, for links in mail, built from the public address only.</summary>
    string Absolute(string path);
}
