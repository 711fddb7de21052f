using System.Collections.Concurrent;

namespace Rounds.Web.Features.Monitoring;

public sealed record PresenceDto(IReadOnlyList<string> Viewers);

/// <summary>
/// Who else has a conversation open, so two people do not write the same answer. Each page view, and each poll of
/// the page's script, marks the viewer present for <see cref="Ttl"/>; an entry not renewed in time expires. It lives
/// in this server's memory, keyed by organization and conversation: nothing of it is worth storing, and a restart
/// only forgets who was looking.
/// </summary>
public sealed class ConversationPresence(TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(45);

    private readonly ConcurrentDictionary<(Guid Organization, Guid Conversation), ConcurrentDictionary<string, (string Name, DateTimeOffset Seen)>> viewers = new();

    /// <summary>Marks the user present and returns the names of the others present, sorted.</summary>
    public IReadOnlyList<string> Touch(Guid organizationId, Guid conversationId, string userId, string name)
    {
        var now = clock.GetUtcNow();
        var here = viewers.GetOrAdd((organizationId, conversationId), _ => new ConcurrentDictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal));
        here[userId] = (name, now);
        foreach (var (id, entry) in here)
        {
            if (now - entry.Seen > Ttl)
            {
                here.TryRemove(id, out _);
            }
        }

        return [.. here.Where(v => v.Key != userId).Select(v => v.Value.Name).Order(StringComparer.Ordinal)];
    }
}
