using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Which accounts a polling round reads: every one while no event stream is followed or it is down; while it is
/// connected, a Bluesky account the stream recognises and a poll has read since is left to the stream and polled
/// only to reconcile, a few accounts a round.
/// </summary>
public abstract class IngestionPlanTests(RoundsFactory app)
{
    private const string Service = "https://pds.example/";

    [Fact]
    public async Task Accounts_the_connected_stream_covers_are_polled_only_to_reconcile_and_every_round_once_it_drops()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"plan-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("plan-" + suffix, admin);
        var covered = await PostRows.AccountAsync(app, org, $"covered{suffix}.bsky.social", Platform.Bluesky);
        var readBefore = await PostRows.AccountAsync(app, org, $"before{suffix}.bsky.social", Platform.Bluesky);
        var failing = await PostRows.AccountAsync(app, org, $"failing{suffix}.bsky.social", Platform.Bluesky);
        var unread = await PostRows.AccountAsync(app, org, $"unread{suffix}.bsky.social", Platform.Bluesky);
        var mastodon = await PostRows.AccountAsync(app, org, $"@news{suffix}@mastodon.example", Platform.Mastodon);
        var all = new[] { covered.Id, readBefore.Id, failing.Id, unread.Id, mastodon.Id };

        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var connectedAt = clock.GetUtcNow();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            void Read(Guid account, DateTimeOffset at, string error = "")
            {
                foreach (var kind in Enum.GetValues<SourceKind>())
                {
                    db.Add(new MonitoringSource { OrganizationId = org.Id, AccountId = account, Kind = kind, NetworkAccountId = "did:plc:" + account.ToString("N"), LastReadAt = at, LastError = kind == SourceKind.Posts ? error : "" });
                }
            }

            Read(covered.Id, connectedAt.AddSeconds(30));
            Read(readBefore.Id, connectedAt.AddMinutes(-1));
            Read(failing.Id, connectedAt.AddSeconds(30), "bluesky answered 502.");
            await db.SaveChangesAsync();
        });

        var streams = new LiveStreams();
        var settings = new Dictionary<string, string?>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Task<List<Guid>> DueAsync() => app.WithScopeAsync(async services =>
        {
            var plan = new IngestionPlan(services.GetRequiredService<RoundsDbContext>(), services.GetRequiredService<IAccountDirectory>(), streams, configuration, clock);
            return (await plan.DueAsync(TimeSpan.FromMinutes(1))).Select(a => a.Id).Where(all.Contains).Order().ToList();
        });

        // No stream followed, or followed but not connected: every account, every round.
        Assert.Equal(all.Order(), await DueAsync());
        configuration[ReadFirehose.ServiceSetting] = Service;
        configuration[PostSources.BlueskyServiceSetting] = Service;
        Assert.Equal(all.Order(), await DueAsync());

        // Connected and recognising the three Bluesky accounts read so far: only the one read without error after
        // the stream began recognising it is left to the stream.
        streams.Connected(Service, [covered.Id, readBefore.Id, failing.Id], connectedAt);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(all.Where(id => id != covered.Id).Order(), await DueAsync());

        // A stream that has not recognised an account yet leaves it to polling, whatever the poll's time.
        Assert.Null(streams.WatchedSince(Service, unread.Id));

        // The stream drops: every account is polled again each round. Connected again, an account is left to it only
        // once read after the new connection began recognising it.
        streams.Disconnected(Service);
        Assert.Equal(all.Order(), await DueAsync());
        streams.Connected(Service, [covered.Id], clock.GetUtcNow());
        Assert.Equal(all.Order(), await DueAsync());
        streams.Connected(Service, [covered.Id], connectedAt);
        Assert.Equal(all.Where(id => id != covered.Id).Order(), await DueAsync());

        // A stream from another server than the one polled carries only what it hosts: an account is left to it only
        // once it has delivered a commit of the account's repository.
        configuration[PostSources.BlueskyServiceSetting] = "https://other-pds.example/";
        Assert.Equal(all.Order(), await DueAsync());
        streams.Carried(Service, "did:plc:" + covered.Id.ToString("N"));
        Assert.Equal(all.Where(id => id != covered.Id).Order(), await DueAsync());

        // After the reconciliation interval the covered account is read once more.
        clock.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(all.Order(), await DueAsync());
    }

    [Fact]
    public async Task Reconciliation_is_spread_over_the_rounds_rather_than_read_all_at_once()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"plan-spread-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("plan-spread-" + suffix, admin);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var ids = new List<Guid>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add((await PostRows.AccountAsync(app, org, $"spread{i}{suffix}.bsky.social", Platform.Bluesky)).Id);
        }

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            {
                foreach (var kind in Enum.GetValues<SourceKind>())
                {
                    db.Add(new MonitoringSource { OrganizationId = org.Id, AccountId = id, Kind = kind, NetworkAccountId = "did:plc:" + id.ToString("N"), LastReadAt = clock.GetUtcNow().AddSeconds(i) });
                }
            }

            await db.SaveChangesAsync();
        });

        var streams = new LiveStreams();
        streams.Connected(Service, ids, clock.GetUtcNow().AddSeconds(-1));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ReadFirehose.ServiceSetting] = Service, [PostSources.BlueskyServiceSetting] = Service, [IngestionPlan.ReconcileMinutesSetting] = "60" }).Build();
        Task<List<Guid>> DueAsync() => app.WithScopeAsync(async services =>
            (await new IngestionPlan(services.GetRequiredService<RoundsDbContext>(), services.GetRequiredService<IAccountDirectory>(), streams, configuration, clock)
                .DueAsync(TimeSpan.FromMinutes(1))).Select(a => a.Id).Where(ids.Contains).ToList());

        Assert.Empty(await DueAsync());

        // An hour and more later all 120 are due, but a one-minute round reads only its share, the longest unread first.
        clock.Advance(TimeSpan.FromMinutes(62));
        var first = await DueAsync();
        Assert.Equal(ids.Take(2), first);
    }
}

public sealed class IngestionPlanTestsOnSqlite(SqliteRounds app) : IngestionPlanTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class IngestionPlanTestsOnPostgres(PostgresRounds app) : IngestionPlanTests(app), IClassFixture<PostgresRounds>;
