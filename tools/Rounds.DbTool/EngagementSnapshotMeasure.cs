using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rounds.Web;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// A full engagement snapshot of a generated roster whose every physician has a confirmed Bluesky, Mastodon and
/// YouTube profile, run by the real snapshot job against networks held in memory that enforce their published
/// limits (Bluesky 3,000 requests per 5 minutes, a Mastodon server 300 per 5 minutes, YouTube 10,000 quota units a
/// day) and send their rate-limit headers. The limits' waits run in simulated time, so the command reports in
/// minutes how long the job would take at those limits, and checks that no window ever held more requests than
/// allowed. A command rather than a test: it reports a duration, and the work itself depends on the machine.
/// </summary>
internal static class EngagementSnapshotMeasure
{
    public static async Task<int> RunAsync(string[] args)
    {
        var physicians = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5_000;
        var servers = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;
        var latency = TimeSpan.FromMilliseconds(args.Length > 2 && int.TryParse(args[2], CultureInfo.InvariantCulture, out var l) && l >= 0 ? l : 0);
        var file = Path.Combine(Path.GetTempPath(), $"rounds-snapshot-{Guid.NewGuid():N}.db");
        var time = new SimulatedTime(DateTimeOffset.UtcNow);
        var networks = new Networks(time, latency);

        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["Database:Provider"] = "Sqlite";
        builder.Configuration["ConnectionStrings:Rounds"] = $"Data Source={file}";
        builder.Configuration["Demo:Enabled"] = "false";
        builder.Configuration["Publishing:Enabled"] = "false";
        builder.Configuration["Rounds:PublicUrl"] = "http://localhost:5080";
        builder.Configuration["Rounds:Engagement:WeeklySnapshots"] = "false";
        builder.Configuration[TakeSnapshot.YouTubeKeySetting] = Networks.YouTubeKey;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        RoundsApp.ConfigureServices(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new PublishedLimits(sp.GetRequiredService<IConfiguration>(), time)));
        foreach (var network in new[] { "bluesky", "mastodon", "youtube" })
        {
            builder.Services.AddHttpClient(TakeSnapshot.ClientFor(network)).ConfigurePrimaryHttpMessageHandler(() => networks);
        }

        try
        {
            await using var app = builder.Build();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Database.MigrateAsync();
            }

            var organizationId = await SeedAsync(app.Services, physicians, servers);
            Console.WriteLine($"{physicians:N0} physicians, each with a confirmed Bluesky, Mastodon ({servers} server{(servers == 1 ? "" : "s")}) and YouTube profile, on SQLite; " +
                $"{latency.TotalMilliseconds:0} ms per request; load average {LoadAverage()}");

            var watch = Stopwatch.StartNew();
            using var done = new CancellationTokenSource();
            var progress = Task.Run(async () =>
            {
                using var tick = new PeriodicTimer(TimeSpan.FromSeconds(15));
                while (await tick.WaitForNextTickAsync(done.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<TakeSnapshot>().ProgressAsync(organizationId) is { } p)
                    {
                        Console.WriteLine($"  {Clock(time.Elapsed)} simulated, {watch.Elapsed.TotalSeconds,5:0} s real: " +
                            string.Join(", ", p.Networks.Where(x => x.Network is "bluesky" or "mastodon" or "youtube").Select(x => $"{x.Network} {x.Done:N0}/{x.Total:N0}")));
                    }
                }
            });

            SnapshotSummary? summary;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                summary = await scope.ServiceProvider.GetRequiredService<TakeSnapshot>().TakeAsync(organizationId);
            }

            await done.CancelAsync();
            await progress;
            watch.Stop();
            Console.WriteLine($"Finished: {summary!.Rows:N0} rows, {summary.Read:N0} profiles read, {summary.Unreadable:N0} unreadable.");
            Console.WriteLine($"Duration at the published limits: {Clock(time.Elapsed)} (of which {watch.Elapsed.TotalSeconds:0} s of work on this machine, the rest waiting for the limits).");
            foreach (var line in networks.Report())
            {
                Console.WriteLine(line);
            }

            Console.WriteLine($"load average after the run: {LoadAverage()}");
            return networks.OverLimit == 0 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task<Guid> SeedAsync(IServiceProvider services, int physicians, int servers)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var organization = new Organization { Name = "Measure Health", Slug = "measure-" + Guid.NewGuid().ToString("N")[..8] };
        db.Organizations.Add(organization);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < physicians; i++)
        {
            var firstNine = (100_000_000 + i).ToString(CultureInfo.InvariantCulture);
            var physician = new Physician { OrganizationId = organization.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}", Department = $"Department {i % 40}", CreatedAt = now, UpdatedAt = now };
            db.Add(physician);
            foreach (var (network, handle) in new[] { (Platform.Bluesky, $"p{i}.bsky.social"), (Platform.Mastodon, $"@p{i}@mastodon{i % servers}.example"), (Platform.YouTube, $"@physician{i}") })
            {
                db.Add(new PhysicianProfile
                {
                    OrganizationId = organization.Id, PhysicianId = physician.Id, Network = network, Handle = handle, NormalizedHandle = handle.TrimStart('@'),
                    State = ProfileState.Confirmed, Note = "Generated.", ChangedBy = "measure", ChangedAt = now,
                });
            }
        }

        await db.SaveChangesAsync();
        return organization.Id;
    }

    private static string Clock(TimeSpan span) => $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// Time that passes as the machine's does, plus every wait asked of it, which passes at once: a timer's wait is
    /// added to the clock and its callback runs straight away. Right for one run reading one request at a time.
    /// </summary>
    private sealed class SimulatedTime(DateTimeOffset start) : TimeProvider
    {
        private readonly Stopwatch real = Stopwatch.StartNew();
        private long skipped;

        public TimeSpan Elapsed => real.Elapsed + TimeSpan.FromTicks(Interlocked.Read(ref skipped));

        public override DateTimeOffset GetUtcNow() => start + Elapsed;

        public void Skip(TimeSpan span) => Interlocked.Add(ref skipped, span.Ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Skip(dueTime);
                ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
            }

            return new Fired();
        }

        private sealed class Fired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Bluesky's PDS, Mastodon servers and the YouTube Data API in memory, answering as their published APIs do for
    /// a physician with a few recent posts (one a video), and enforcing their published limits per server: a request
    /// over the limit is answered 429 and counted. Every answer carries the network's rate-limit headers.
    /// </summary>
    private sealed class Networks(SimulatedTime time, TimeSpan latency) : HttpMessageHandler
    {
        public const string YouTubeKey = "measure-key";

        private const int YouTubeQuota = 10_000;
        private readonly ConcurrentDictionary<string, List<DateTimeOffset>> sent = new();
        private readonly ConcurrentDictionary<string, int> refused = new();
        private int youTubeUnits;

        public int OverLimit => refused.Values.Sum();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            time.Skip(latency);
            var uri = request.RequestUri!;
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            var now = time.GetUtcNow();
            if (uri.Host == "www.googleapis.com")
            {
                if (Interlocked.Increment(ref youTubeUnits) > YouTubeQuota)
                {
                    refused.AddOrUpdate("youtube", 1, (_, c) => c + 1);
                    return Answer(HttpStatusCode.Forbidden, new JsonObject { ["error"] = new JsonObject { ["code"] = 403, ["errors"] = new JsonArray(new JsonObject { ["reason"] = "quotaExceeded" }) } });
                }

                Count(uri.Host, now);
                return Task.FromResult(YouTube(uri, query));
            }

            var (limit, window) = uri.Host == "bsky.social" ? (3000, TimeSpan.FromMinutes(5)) : (300, TimeSpan.FromMinutes(5));
            var times = sent.GetOrAdd(uri.Host, _ => []);
            int inWindow;
            lock (times)
            {
                inWindow = times.Count(t => t > now - window);
                if (inWindow >= limit)
                {
                    refused.AddOrUpdate(uri.Host, 1, (_, c) => c + 1);
                    var retry = times.Where(t => t > now - window).Min() + window - now;
                    var tooMany = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("{\"error\":\"RateLimitExceeded\"}", Encoding.UTF8, "application/json") };
                    tooMany.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Ceiling(retry.TotalSeconds)));
                    return Task.FromResult(tooMany);
                }

                times.Add(now);
                // Only the last window's requests matter for the limit; older ones are kept for the report.
            }

            var response = uri.Host == "bsky.social" ? Bluesky(uri, query, now) : Mastodon(uri, now);
            var reset = now + window;
            if (uri.Host == "bsky.social")
            {
                response.Headers.Add("ratelimit-limit", limit.ToString(CultureInfo.InvariantCulture));
                response.Headers.Add("ratelimit-remaining", (limit - inWindow - 1).ToString(CultureInfo.InvariantCulture));
                response.Headers.Add("ratelimit-reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                response.Headers.Add("ratelimit-policy", $"{limit};w={(int)window.TotalSeconds}");
            }
            else
            {
                response.Headers.Add("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
                response.Headers.Add("X-RateLimit-Remaining", (limit - inWindow - 1).ToString(CultureInfo.InvariantCulture));
                response.Headers.Add("X-RateLimit-Reset", reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            }

            return Task.FromResult(response);
        }

        private void Count(string host, DateTimeOffset at)
        {
            var times = sent.GetOrAdd(host, _ => []);
            lock (times)
            {
                times.Add(at);
            }
        }

        private static HttpResponseMessage Bluesky(Uri uri, System.Collections.Specialized.NameValueCollection query, DateTimeOffset now)
        {
            var method = uri.AbsolutePath["/xrpc/".Length..];
            return method switch
            {
                "com.atproto.identity.resolveHandle" => Json(new JsonObject { ["did"] = "did:plc:" + query["handle"]!.Split('.')[0] }),
                "com.atproto.repo.getRecord" => Json(new JsonObject { ["uri"] = "at://x/app.bsky.actor.profile/self", ["value"] = new JsonObject { ["description"] = "Physician at Measure Health." } }),
                "com.atproto.repo.listRecords" when query["collection"] == "app.bsky.feed.post" => Json(new JsonObject
                {
                    ["records"] = new JsonArray(
                        Post(now.AddDays(-2), video: true),
                        Post(now.AddDays(-20), video: false),
                        Post(now.AddDays(-120), video: false)),
                }),
                "com.atproto.repo.listRecords" => Json(new JsonObject { ["records"] = new JsonArray(new JsonObject { ["uri"] = "at://x/app.bsky.graph.follow/1", ["value"] = new JsonObject { ["subject"] = "did:plc:hospital", ["createdAt"] = Stamp(now.AddDays(-300)) } }) }),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }

        private static JsonObject Post(DateTimeOffset at, bool video)
        {
            var value = new JsonObject { ["$type"] = "app.bsky.feed.post", ["text"] = "A post", ["createdAt"] = Stamp(at) };
            if (video)
            {
                value["embed"] = new JsonObject { ["$type"] = "app.bsky.embed.video" };
            }

            return new JsonObject { ["uri"] = "at://x/app.bsky.feed.post/" + at.ToUnixTimeSeconds(), ["value"] = value };
        }

        private static HttpResponseMessage Mastodon(Uri uri, DateTimeOffset now) =>
            uri.AbsolutePath == "/api/v1/accounts/lookup"
                ? Json(new JsonObject { ["id"] = "1" + uri.Query.Length, ["username"] = "p", ["note"] = "<p>Physician at Measure Health.</p>" })
                : Json(new JsonArray(
                    new JsonObject { ["id"] = "3", ["created_at"] = Stamp(now.AddDays(-1)), ["media_attachments"] = new JsonArray(new JsonObject { ["type"] = "video" }) },
                    new JsonObject { ["id"] = "2", ["created_at"] = Stamp(now.AddDays(-100)), ["media_attachments"] = new JsonArray() }));

        private static HttpResponseMessage YouTube(Uri uri, System.Collections.Specialized.NameValueCollection query)
        {
            if (query["key"] != YouTubeKey)
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest);
            }

            var now = DateTimeOffset.UtcNow;
            return uri.AbsolutePath.EndsWith("/channels", StringComparison.Ordinal)
                ? Json(new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "UC" + new string('x', 22),
                        ["snippet"] = new JsonObject { ["description"] = "Physician at Measure Health. Views are my own." },
                        ["contentDetails"] = new JsonObject { ["relatedPlaylists"] = new JsonObject { ["uploads"] = "UU" + new string('x', 22) } },
                    }),
                })
                : Json(new JsonObject { ["items"] = new JsonArray(new JsonObject { ["contentDetails"] = new JsonObject { ["videoId"] = "v1", ["videoPublishedAt"] = Stamp(now.AddDays(-10)) } }) });
        }

        /// <summary>Per server: requests, the most in any window of its limit's length, and the 429s it answered.</summary>
        public IEnumerable<string> Report()
        {
            foreach (var (host, times) in sent.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var (limit, window, unit) = host switch
                {
                    "bsky.social" => (3000, TimeSpan.FromMinutes(5), "requests per 5 minutes"),
                    "www.googleapis.com" => (YouTubeQuota, TimeSpan.FromDays(1), "quota units per day"),
                    _ => (300, TimeSpan.FromMinutes(5), "requests per 5 minutes"),
                };
                var ordered = times.Order().ToList();
                var most = 0;
                for (int first = 0, last = 0; last < ordered.Count; last++)
                {
                    while (ordered[last] - ordered[first] >= window)
                    {
                        first++;
                    }

                    most = Math.Max(most, last - first + 1);
                }

                var span = ordered.Count > 0 ? ordered[^1] - ordered[0] : TimeSpan.Zero;
                yield return $"  {host}: {ordered.Count:N0} requests over {Clock(span)}; the most in any window {most:N0} of {limit:N0} {unit}; refused {refused.GetValueOrDefault(host):N0}";
            }
        }

        private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private static HttpResponseMessage Json(JsonNode body) => new(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

        private static Task<HttpResponseMessage> Answer(HttpStatusCode status, JsonNode body) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") });
    }
}
