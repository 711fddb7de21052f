using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Networks;
using Rounds.Networks.Bluesky;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>Where the event stream of one server was last read: the sequence number to resume after.</summary>
public sealed class MonitoringStream
{
    public string Service { get; set; } = "";

    public long Seq { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class MonitoringStreamConfiguration : IEntityTypeConfiguration<MonitoringStream>
{
    public void Configure(EntityTypeBuilder<MonitoringStream> builder)
    {
        builder.ToTable("MonitoringStreams");
        builder.HasKey(s => s.Service);
        builder.Property(s => s.Service).HasMaxLength(300);
    }
}

/// <summary>
/// Follows a Bluesky server's event stream (<c>com.atproto.sync.subscribeRepos</c>) and files, as they happen, the
/// posts of watched accounts and the posts that mention, answer or quote them. Accounts are watched once a poll has
/// learned their DID. The sequence number is stored; a reconnect resumes <see cref="RewindEvents"/> events before it,
/// and the URI deduplicates what is read twice, so a restart of either side loses and doubles nothing.
/// </summary>
public sealed class ReadFirehose(IServiceScopeFactory scopes, IHttpClientFactory http, IConfiguration configuration, LiveStreams streams, TimeProvider clock, ILogger<ReadFirehose> logger)
{
    public const string ServiceSetting = "Rounds:Monitoring:FirehoseService";

    public const int RewindEvents = 50;

    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);

    /// <summary>Reads until cancelled, connecting again two seconds after the stream ends or fails.</summary>
    public async Task RunAsync(Uri service, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(service, cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping closes the socket under the read, which may surface as a socket error rather than a cancellation.
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("The event stream of {Service} stopped: {Reason}; connecting again.", service, e.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConsumeAsync(Uri service, CancellationToken cancellationToken)
    {
        var key = service.AbsoluteUri;
        long? cursor;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<MonitoringStream>().AsNoTracking().FirstOrDefaultAsync(s => s.Service == key, cancellationToken);
            cursor = stored is null ? null : Math.Max(0, stored.Seq - RewindEvents);
        }

        using var invoker = new HttpMessageInvoker(Rounds.Networks.Outbound.OutboundHttp.CreateHandler(configuration.GetValue<bool>("Rounds:Networks:AllowPrivateAddresses")));
        try
        {
            await ConsumeEventsAsync(service, key, invoker, cursor, cancellationToken);
        }
        finally
        {
            // Until the stream is back, the polling rounds read this server's accounts every round again.
            streams.Disconnected(key);
        }
    }

    private async Task ConsumeEventsAsync(Uri service, string key, HttpMessageInvoker invoker, long? cursor, CancellationToken cancellationToken)
    {
        var reader = new BlueskyPostSource(http.CreateClient(PostSources.HttpClientName), service);
        var watched = await WatchedAsync(cancellationToken);
        var refreshedAt = clock.GetUtcNow();
        var savedAt = DateTimeOffset.MinValue;
        await foreach (var item in new BlueskyFirehose(service, invoker).SubscribeAsync(cursor, cancellationToken, () => streams.Connected(key, Ids(watched), clock.GetUtcNow())))
        {
            if (clock.GetUtcNow() - refreshedAt > Refresh)
            {
                (watched, refreshedAt) = (await WatchedAsync(cancellationToken), clock.GetUtcNow());
                streams.Watching(key, Ids(watched), refreshedAt);
            }

            var filed = false;
            foreach (var post in item.Posts)
            {
                if (watched.ContainsKey(post.AuthorId))
                {
                    streams.Carried(key, post.AuthorId);
                }

                foreach (var (did, accounts) in Concerned(post, watched))
                {
                    var named = post.AuthorId == did ? post : post with { AuthorHandle = await reader.HandleOfAsync(post.AuthorId, cancellationToken) };
                    named = named with { Url = BlueskyPostSource.PostUrl(named.AuthorHandle, named.Key) };
                    foreach (var account in accounts)
                    {
                        await FileAsync(account, did, named, cancellationToken);
                        filed = true;
                    }
                }
            }

            if (item.Deleted.Count > 0)
            {
                filed |= await MarkDeletedAsync(item.Deleted, cancellationToken) > 0;
            }

            // The cursor is saved with every event that filed something, and otherwise every few seconds.
            if (filed || clock.GetUtcNow() - savedAt > TimeSpan.FromSeconds(5))
            {
                await SaveSeqAsync(key, item.Seq, cancellationToken);
                savedAt = clock.GetUtcNow();
            }
        }
    }

    private static IEnumerable<Guid> Ids(Dictionary<string, List<AccountCard>> watched) => watched.Values.SelectMany(a => a).Select(a => a.Id);

    /// <summary>Messages deleted on the network stay in the conversation, marked, so the thread still reads as it happened.</summary>
    private async Task<int> MarkDeletedAsync(IReadOnlyList<string> uris, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = clock.GetUtcNow();
        return await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<Message>()
            .Where(m => uris.Contains(m.NetworkId) && m.DeletedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.DeletedAt, now), cancellationToken);
    }

    /// <summary>The watched DIDs a post is by or addressed to.</summary>
    private static IEnumerable<(string Did, List<AccountCard> Accounts)> Concerned(InboundPost post, Dictionary<string, List<AccountCard>> watched)
    {
        var named = new HashSet<string>(StringComparer.Ordinal) { post.AuthorId };
        named.UnionWith(post.Mentions);
        foreach (var uri in new[] { post.Reply?.Parent.Id, post.Reply?.Root.Id, post.Quotes })
        {
            if (uri is not null && uri.StartsWith("at://", StringComparison.Ordinal))
            {
                named.Add(uri["at://".Length..].Split('/')[0]);
            }
        }

        return named.Where(watched.ContainsKey).Select(did => (did, watched[did]));
    }

    private async Task FileAsync(AccountCard account, string did, InboundPost post, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var own = await db.Set<MonitoringSource>().FirstAsync(s => s.AccountId == account.Id && s.Kind == SourceKind.Posts, cancellationToken);
        try
        {
            await scope.ServiceProvider.GetRequiredService<IngestAccount>().FileAsync(account, did, [post], own, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // The poller filed the same post at the same moment; its row stands.
            logger.LogInformation("A post for {Account} was filed twice at once: {Reason}", account.Label, e.InnerException?.Message ?? e.Message);
        }
    }

    /// <summary>Accounts whose DID a poll has learned, by DID; read where no organization is granted, so across all.</summary>
    private async Task<Dictionary<string, List<AccountCard>>> WatchedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var dids = await db.Set<MonitoringSource>().Where(s => s.Kind == SourceKind.Posts && s.NetworkAccountId != "")
            .Select(s => new { s.AccountId, s.NetworkAccountId }).ToListAsync(cancellationToken);
        var ids = dids.Select(d => d.AccountId).ToList();
        var cards = await scope.ServiceProvider.GetRequiredService<IAccountDirectory>().Cards
            .Where(a => ids.Contains(a.Id) && a.Platform == Platform.Bluesky && a.Status != AccountStatus.Retired).ToListAsync(cancellationToken);
        return dids.Join(cards, d => d.AccountId, c => c.Id, (d, c) => (d.NetworkAccountId, c))
            .GroupBy(x => x.NetworkAccountId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.c).ToList(), StringComparer.Ordinal);
    }

    private async Task SaveSeqAsync(string service, long seq, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var stream = await db.Set<MonitoringStream>().FirstOrDefaultAsync(s => s.Service == service, cancellationToken);
        if (stream is null)
        {
            stream = new MonitoringStream { Service = service };
            db.Add(stream);
        }

        stream.Seq = Math.Max(stream.Seq, seq);
        stream.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Runs the event-stream reader where <c>Rounds:Monitoring:FirehoseService</c> names a server (a PDS or relay).</summary>
public sealed class FirehoseRounds(ReadFirehose reader, IConfiguration configuration) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        configuration[ReadFirehose.ServiceSetting] is { Length: > 0 } service && configuration.GetValue(IngestionRounds.EnabledSetting, true)
            ? reader.RunAsync(new Uri(service), stoppingToken)
            : Task.CompletedTask;
}
