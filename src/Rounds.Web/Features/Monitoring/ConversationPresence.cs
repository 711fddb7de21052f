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

    private long nextSweepTicks;

    /// <summary>How many conversations have someone present, for the sweep's test.</summary>
    internal int Tracked => viewers.Count;

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

        Sweep(now);
        return [.. here.Where(v => v.Key != userId).Select(v => v.Value.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Forgets conversations nobody has looked at for a while, at most once a <see cref="Ttl"/>: without it every
    /// conversation ever opened would keep an entry for the life of the process. A viewer whose entry is swept in
    /// the instant they poll is simply present again at their next poll.
    /// </summary>
    private void Sweep(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweepTicks, now.Add(Ttl).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (key, here) in viewers)
        {
            foreach (var (id, entry) in here)
            {
                if (now - entry.Seen > Ttl)
                {
                    here.TryRemove(id, out _);
                }
            }

            if (here.IsEmpty)
            {
                viewers.TryRemove(new KeyValuePair<(Guid, Guid), ConcurrentDictionary<string, (string, DateTimeOffset)>>(key, here));
            }
        }
    }
}
