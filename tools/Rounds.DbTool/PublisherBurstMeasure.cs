using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rounds.Networks;
using Rounds.Web;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// A burst for the publisher: approved posts due within the same minute across many accounts, sent by the real
/// publishing cycle (claims, attempts, read-back rules) to a network held in memory that enforces a per-account
/// rate limit and records every post it receives. Reports how late the copies went out, how many attempts each
/// took and whether the network received anything twice. A command rather than a test: times depend on the
/// machine; the floor is a lateness p99 under 5 s for 10,000 posts across 100 accounts.
/// </summary>
internal static class PublisherBurstMeasure
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options(args);
        if (options.ContainsKey("pds"))
        {
            return await PublisherBurstOnPds.RunAsync(options);
        }

        var posts = Number(options, "posts", 10_000);
        var accountCount = Number(options, "accounts", 100);
        var perWindow = Number(options, "limit", 300);
        var latency = Latency.Parse(options.GetValueOrDefault("latency-ms", "0"));
        var parallelism = options.GetValueOrDefault("parallelism");
        var postgres = options.GetValueOrDefault("postgres");
        var timeout = TimeSpan.FromMinutes(Number(options, "timeout-minutes", 30));
        var file = Path.Combine(Path.GetTempPath(), $"rounds-burst-{Guid.NewGuid():N}.db");

        var builder = Builder(postgres, file, parallelism);
        var network = new BurstNetwork(perWindow, TimeSpan.FromMinutes(15), latency);
        builder.Services.Replace(ServiceDescriptor.Singleton<IConnectorFactory>(network));

        try
        {
            await using var app = builder.Build();
            var due = await SeedAsync(app.Services, posts, accountCount, postgres is not null);
            Console.WriteLine($"{posts:N0} approved posts due from {due:HH:mm:ss} UTC over one minute across {accountCount} accounts on {(postgres is null ? "SQLite" : "PostgreSQL")}; " +
                $"the network allows {perWindow} posts per account per 15 minutes and answers in {latency} ms; {parallelism ?? "default"} accounts side by side; load average {LoadAverage()}");

            var (cycles, elapsed) = await DrainAsync(app.Services, due, timeout);
            var published = await ReportCopiesAsync(app.Services, cycles, elapsed);
            var duplicates = network.Received.Count(r => r.Value > 1);
            var unknownOnNetwork = published.Count(c => !network.Received.ContainsKey(c.IdempotencyKey));
            Console.WriteLine($"network: {network.Received.Count:N0} posts received, {duplicates} received twice or more, {network.Refused} refused for the rate limit, {unknownOnNetwork} published copies it never received");
            Console.WriteLine($"load average after the run: {LoadAverage()}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>A Rounds of the given database whose publisher runs only when the measure calls a cycle; <paramref name="settings"/> are added before its services are.</summary>
    internal static WebApplicationBuilder Builder(string? postgres, string file, string? parallelism, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["Database:Provider"] = postgres is null ? "Sqlite" : "PostgreSql";
        builder.Configuration["ConnectionStrings:Rounds"] = postgres ?? $"Data Source={file}";
        builder.Configuration["Demo:Enabled"] = "false";
        builder.Configuration["Publishing:Enabled"] = "false";
        if (parallelism is not null)
        {
            builder.Configuration["Publishing:Parallelism"] = parallelism;
        }

        builder.Configuration["Rounds:PublicUrl"] = "http://localhost:5080";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Configuration[key] = value;
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        RoundsApp.ConfigureServices(builder);
        return builder;
    }

    /// <summary>The organization, its accounts (each connected) and the posts, due from a moment after they are written.</summary>
    private static async Task<DateTimeOffset> SeedAsync(IServiceProvider services, int posts, int accountCount, bool postgres)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        await FreshAsync(db, postgres);
        var secrets = scope.ServiceProvider.GetRequiredService<ConnectionSecrets>();
        var now = DateTimeOffset.UtcNow;
        var organization = new Organization { Name = "Burst", Slug = "burst-" + Guid.NewGuid().ToString("N")[..8] };
        db.Organizations.Add(organization);
        var accounts = new List<SocialAccount>();
        for (var i = 0; i < accountCount; i++)
        {
            var handle = $"@burst{i:D3}";
            var account = new SocialAccount
            {
                OrganizationId = organization.Id, Platform = Platform.Mastodon, Handle = handle, NormalizedHandle = handle[1..], Kind = AccountKind.Department,
                Status = AccountStatus.Active, Owners = "owner@example.org", Backup = "", CreatedAt = now, StatusChangedAt = now,
            };
            accounts.Add(account);
            db.Add(account);
            db.Add(new AccountConnection
            {
                AccountId = account.Id, OrganizationId = organization.Id, Network = "mastodon", Service = BurstNetwork.Service.AbsoluteUri, Identifier = handle,
                ProtectedSecret = secrets.Protect("burst-secret"), NetworkAccountName = handle, Status = ConnectionStatus.Connected, ConnectedAt = now,
            });
        }

        await db.SaveChangesAsync();
        return await SeedPostsAsync(db, organization.Id, accounts.Select(a => a.Id).ToList(), Platform.Mastodon, posts);
    }

    /// <summary>The text of the burst's post number <paramref name="index"/>; the number makes each text unique, so a network's copy is found by it.</summary>
    internal static string Text(int index) => $"Flu clinic update {index}: walk-ins welcome until 7 pm.";

    /// <summary>
    /// Approved posts, one copy each, the accounts taken in turn; due evenly over one minute starting a moment after
    /// the last is written, which is returned.
    /// </summary>
    internal static async Task<DateTimeOffset> SeedPostsAsync(RoundsDbContext db, Guid organizationId, IReadOnlyList<Guid> accountIds, Platform platform, int posts)
    {
        // Written due tomorrow, then moved to the minute of the burst once every row is in, so writing them costs no lateness.
        var now = DateTimeOffset.UtcNow;
        var written = new List<Post>();
        for (var i = 0; i < posts; i++)
        {
            var post = new Post
            {
                OrganizationId = organizationId, AuthorId = "burst", AuthorName = "Burst Author", Text = Text(i),
                ScheduledAt = now.AddDays(1), Status = PostStatus.Approved, CreatedAt = now, UpdatedAt = now, SubmittedAt = now, ApprovedAt = now,
            };
            written.Add(post);
            db.Add(post);
            db.Add(new PostTarget { OrganizationId = organizationId, PostId = post.Id, AccountId = accountIds[i % accountIds.Count], Status = DeliveryStatus.Waiting, IdempotencyKey = DeliveryKeys.NewFor(platform) });
            if (i % 2_000 == 1_999)
            {
                await db.SaveChangesAsync();
            }
        }

        await db.SaveChangesAsync();
        var due = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(20).ToUnixTimeSeconds());
        for (var i = 0; i < written.Count; i++)
        {
            written[i].ScheduledAt = due.AddMilliseconds(60_000.0 * i / written.Count);
        }

        await db.SaveChangesAsync();
        return due;
    }

    /// <summary>Runs the publishing cycle once a second, as the publisher does, from the burst's first due time until no copy waits or the time is up.</summary>
    internal static async Task<(int Cycles, TimeSpan Elapsed)> DrainAsync(IServiceProvider services, DateTimeOffset due, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var cycles = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await RemainingAsync(services) > 0 && watch.Elapsed < timeout)
        {
            await timer.WaitForNextTickAsync();
            if (DateTimeOffset.UtcNow < due)
            {
                continue;
            }

            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PublishDuePosts>().RunOnceAsync();
            cycles++;
        }

        return (cycles, watch.Elapsed);
    }

    private static async Task<int> RemainingAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<PostTarget>()
            .CountAsync(t => t.Status == DeliveryStatus.Waiting || t.Status == DeliveryStatus.Sending);
    }

    /// <summary>A copy as the measures report it: its state, times, key, where the network put it and its post's text.</summary>
    internal sealed record Copy(Guid Id, Guid AccountId, DeliveryStatus Status, DateTimeOffset? PublishedAt, DateTimeOffset? ScheduledAt, string IdempotencyKey, string? ExternalId, string Text);

    /// <summary>Writes what the publisher did with the copies (states, lateness, attempts) and returns those published.</summary>
    internal static async Task<List<Copy>> ReportCopiesAsync(IServiceProvider services, int cycles, TimeSpan elapsed)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var copies = await (
            from t in db.Set<PostTarget>()
            join p in db.Set<Post>() on t.PostId equals p.Id
            select new Copy(t.Id, t.AccountId, t.Status, t.PublishedAt, p.ScheduledAt, t.IdempotencyKey, t.ExternalId, p.Text)).AsNoTracking().ToListAsync();
        var attempts = (await db.Set<DeliveryAttempt>().AsNoTracking().Select(a => a.TargetId).ToListAsync()).CountBy(id => id).ToDictionary(g => g.Key, g => g.Value);
        var published = copies.Where(c => c.Status == DeliveryStatus.Published).ToList();
        var lateness = published.Select(c => (c.PublishedAt!.Value - c.ScheduledAt!.Value).TotalSeconds).Order().ToList();
        var oneAttempt = published.Count(c => attempts.GetValueOrDefault(c.Id) == 1);

        Console.WriteLine($"published {published.Count:N0} of {copies.Count:N0} copies in {elapsed.TotalSeconds:0} s ({cycles} cycles); other states: " +
            (published.Count == copies.Count ? "none" : string.Join(", ", copies.Where(c => c.Status != DeliveryStatus.Published).CountBy(c => c.Status).Select(g => $"{g.Key} {g.Value}"))));
        Console.WriteLine($"lateness p50 {Percentile(lateness, 0.50):0.0} s, p99 {Percentile(lateness, 0.99):0.0} s, max {(lateness.Count > 0 ? lateness[^1] : 0):0.0} s");
        Console.WriteLine($"attempts per published copy: {(published.Count == 0 ? 0 : published.Average(c => attempts.GetValueOrDefault(c.Id))):0.00} on average, {oneAttempt:N0} with exactly one");
        return published;
    }

    /// <summary>A database of the current schema for a measure: PostgreSQL's dropped first, SQLite's a new file.</summary>
    internal static async Task FreshAsync(RoundsDbContext db, bool postgres)
    {
        db.Database.SetCommandTimeout(DatabaseSetup.MaintenanceTimeout);
        if (postgres)
        {
            await db.Database.EnsureDeletedAsync();
        }

        await db.Database.MigrateAsync();
    }

    internal static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The <c>--name value</c> pairs of a command line; a name followed by another name, or last, is a switch set to "true".</summary>
    internal static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var isSwitch = i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[args[i].TrimStart('-')] = isSwitch ? "true" : args[++i];
        }

        return options;
    }

    internal static int Number(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

    /// <summary>How long the network takes to answer each call: a fixed time, or a time drawn evenly from a range ("300-800").</summary>
    private sealed record Latency(int LeastMs, int MostMs)
    {
        public static Latency Parse(string text)
        {
            var parts = text.Split('-', 2);
            var least = int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
            var most = parts.Length > 1 ? int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture) : least;
            return most >= least ? new Latency(least, most) : throw new ArgumentException($"The latency range {text} ends before it starts.");
        }

        public TimeSpan Next() => TimeSpan.FromMilliseconds(Random.Shared.Next(LeastMs, MostMs + 1));

        public override string ToString() => LeastMs == MostMs ? $"{LeastMs}" : $"{LeastMs}–{MostMs}";
    }

    /// <summary>
    /// A network in memory: each account may publish <c>perWindow</c> posts per window and is refused with a
    /// retry time beyond that, as the networks' rate limits do; every post received is counted by its key.
    /// </summary>
    private sealed class BurstNetwork(int perWindow, TimeSpan window, Latency latency) : IConnectorFactory
    {
        public static readonly Uri Service = new("https://burst.example/");

        private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> sent = new(StringComparer.Ordinal);
        private int refused;

        public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

        public int Refused => refused;

        public IReadOnlyCollection<string> Networks { get; } = ["mastodon"];

        public INetworkConnector Create(string network, NetworkCredentials credentials) => new Connector(this, credentials.Identifier);

        private async Task<PublishedPost> PublishAsync(string account, PublishRequest request, CancellationToken cancellationToken)
        {
            if (latency.Next() is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var now = DateTimeOffset.UtcNow;
            var times = sent.GetOrAdd(account, _ => new Queue<DateTimeOffset>());
            lock (times)
            {
                while (times.Count > 0 && now - times.Peek() > window)
                {
                    times.Dequeue();
                }

                if (times.Count >= perWindow)
                {
                    Interlocked.Increment(ref refused);
                    throw new NetworkException(FailureKind.RateLimited, "Rate limit reached.", window - (now - times.Peek()));
                }

                times.Enqueue(now);
            }

            Received.AddOrUpdate(request.IdempotencyKey, 1, (_, count) => count + 1);
            return Published(account, request);
        }

        private static PublishedPost Published(string account, PublishRequest request) =>
            new(request.IdempotencyKey, $"{Service}{account.TrimStart('@')}/{request.IdempotencyKey}");

        private sealed class Connector(BurstNetwork network, string account) : INetworkConnector
        {
            public string Network => "mastodon";

            public PostLimits Limits => PostLimits.Mastodon;

            public Task<ConnectionCheck> VerifyAsync(CancellationToken cancellationToken = default) => Task.FromResult(new ConnectionCheck(account, null));

            public Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
                network.PublishAsync(account, request, cancellationToken);

            public Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
                Task.FromResult(network.Received.ContainsKey(request.IdempotencyKey) ? Published(account, request) : null);

            public Task DeleteAsync(PublishedPost post, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }
    }
}
