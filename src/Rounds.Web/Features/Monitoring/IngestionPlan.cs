using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// The event streams this server is following right now, by service address, and since when each stream has
/// recognised each account: set when the connection opens or the stream learns the account's DID, all cleared when
/// the connection ends. Each instance knows only its own connections, which are the ones its rounds rely on.
/// </summary>
public sealed class LiveStreams
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, DateTimeOffset>> streams = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> carried = new(StringComparer.Ordinal);

    public void Connected(string service, IEnumerable<Guid> accounts, DateTimeOffset at)
    {
        streams[service] = new ConcurrentDictionary<Guid, DateTimeOffset>();
        carried[service] = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Watching(service, accounts, at);
    }

    /// <summary>Notes that the stream delivered a commit of the repository: proof that it carries the account.</summary>
    public void Carried(string service, string did)
    {
        if (carried.TryGetValue(service, out var dids))
        {
            dids.TryAdd(did, true);
        }
    }

    public bool HasCarried(string service, string did) => carried.TryGetValue(service, out var dids) && dids.ContainsKey(did);

    /// <summary>Notes accounts the stream now recognises; one already known keeps its first time.</summary>
    public void Watching(string service, IEnumerable<Guid> accounts, DateTimeOffset at)
    {
        if (streams.TryGetValue(service, out var watched))
        {
            foreach (var account in accounts)
            {
                watched.TryAdd(account, at);
            }
        }
    }

    public void Disconnected(string service)
    {
        streams.TryRemove(service, out _);
        carried.TryRemove(service, out _);
    }

    /// <summary>Since when the stream, if connected, has been filing the account's posts; null when it is not.</summary>
    public DateTimeOffset? WatchedSince(string service, Guid account) =>
        streams.TryGetValue(service, out var watched) && watched.TryGetValue(account, out var since) ? since : null;
}

/// <summary>
/// Which watched accounts a round of polling reads. While the event stream of the Bluesky server is connected it
/// files every post by or addressed to a watched account within seconds, and polling that server adds nothing but
/// load: finding the posts addressed to an account means reading every repository the server hosts, once per
/// account. Such accounts are then polled only to reconcile, each once per <c>Rounds:Monitoring:ReconcileMinutes</c>
/// (default 60), spread evenly over the rounds so no round reads them all at once. An account counts as covered only
/// once a poll without error has read it after the stream began recognising it, so nothing posted between a poll
/// learning its DID and the stream watching for it is left to the next reconciliation; and only where the stream is
/// known to carry the account: it is the server the accounts are polled from, or it has delivered a commit of the
/// account's repository since it connected (a PDS named as the stream carries only the repositories it hosts).
/// Accounts not covered, or on a server whose stream is down, are read every round as before.
/// </summary>
public sealed class IngestionPlan(RoundsDbContext db, IAccountDirectory accounts, LiveStreams streams, IConfiguration configuration, TimeProvider clock)
{
    public const string ReconcileMinutesSetting = "Rounds:Monitoring:ReconcileMinutes";

    public TimeSpan Reconcile => TimeSpan.FromMinutes(Math.Clamp(configuration.GetValue(ReconcileMinutesSetting, 60), 1, 24 * 60));

    /// <summary>The accounts to read in a round of the given interval.</summary>
    public async Task<IReadOnlyList<AccountCard>> DueAsync(TimeSpan roundInterval, CancellationToken cancellationToken = default)
    {
        // No organization is granted in this scope, so the query sees every organization's accounts.
        var watched = await accounts.Cards
            .Where(a => PostSources.Readable.Contains(a.Platform) && a.Status != AccountStatus.Retired)
            .ToListAsync(cancellationToken);
        if (configuration[ReadFirehose.ServiceSetting] is not { Length: > 0 } setting)
        {
            return watched;
        }

        var service = new Uri(setting).AbsoluteUri;
        var polledFrom = configuration[PostSources.BlueskyServiceSetting] is { Length: > 0 } polled ? new Uri(polled).AbsoluteUri : null;
        var bluesky = watched.Where(a => a.Platform == Platform.Bluesky).Select(a => a.Id).ToList();
        var states = await db.Set<MonitoringSource>().AsNoTracking().Where(s => bluesky.Contains(s.AccountId))
            .Select(s => new { s.AccountId, s.Kind, s.NetworkAccountId, s.LastReadAt, s.LastError }).ToListAsync(cancellationToken);
        var covered = states.GroupBy(s => s.AccountId)
            .Where(g => g.Count() == Enum.GetValues<SourceKind>().Length && g.All(s => s.LastReadAt is not null && s.LastError == "")
                && streams.WatchedSince(service, g.Key) is { } since && g.Min(s => s.LastReadAt!.Value) >= since
                && (service == polledFrom || g.Any(s => s.Kind == SourceKind.Posts && streams.HasCarried(service, s.NetworkAccountId))))
            .ToDictionary(g => g.Key, g => g.Min(s => s.LastReadAt!.Value));
        var now = clock.GetUtcNow();
        var reconcile = Reconcile;
        var quota = (int)Math.Ceiling(covered.Count * (roundInterval / reconcile));
        var reconciled = covered.Where(c => now - c.Value >= reconcile).OrderBy(c => c.Value).Take(Math.Max(quota, 1)).Select(c => c.Key).ToHashSet();
        return [.. watched.Where(a => !covered.ContainsKey(a.Id) || reconciled.Contains(a.Id))];
    }
}
