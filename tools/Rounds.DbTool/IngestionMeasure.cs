using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rounds.Networks.Ingestion;
using Rounds.Web;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// Monitoring at a health system's rate against the AT Protocol reference PDS: registered accounts publish and are
/// mentioned at a steady rate (default 10,000 posts an hour across 150 accounts), Rounds follows the PDS's event
/// stream and polls as configured, and the command reports the CPU Rounds spent over the window (its whole process,
/// so the small client that writes the posts is counted too: an upper bound), how long each post took to reach the
/// inbox or the account's activity, and whether any was lost or filed twice. A full poll round of every account is
/// then timed on its own, since reconciliation runs seldom and would otherwise fall inside or outside the window by
/// chance. A command rather than a test: CPU and times depend on the machine; the floor is under 20% CPU.
/// </summary>
internal static class IngestionMeasure
{
    private sealed record Sent(string Uri, DateTimeOffset At, bool Own, int Account);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = PublisherBurstMeasure.Options(args);
        var accountCount = PublisherBurstMeasure.Number(options, "accounts", 150);
        var fanCount = PublisherBurstMeasure.Number(options, "fans", 30);
        var perHour = PublisherBurstMeasure.Number(options, "rate", 10_000);
        var minutes = PublisherBurstMeasure.Number(options, "minutes", 10);
        var pollSeconds = PublisherBurstMeasure.Number(options, "poll-seconds", 60);
        var postgres = options.GetValueOrDefault("postgres");
        using var pds = ReferencePds.Start();
        if (pds is null)
        {
            return 2;
        }

        var pdsUrl = pds.Url;
        var http = pds.Http;
        var file = Path.Combine(Path.GetTempPath(), $"rounds-ingest-{Guid.NewGuid():N}.db");
        try
        {
            var watch = Stopwatch.StartNew();
            var registered = await pds.CreateUsersAsync("acct", accountCount);
            var fans = await pds.CreateUsersAsync("fan", fanCount);
            Console.WriteLine($"PDS at {pdsUrl}: {accountCount} registered accounts and {fanCount} others created in {watch.Elapsed.TotalSeconds:0} s.");

            var builder = WebApplication.CreateBuilder([]);
            builder.Configuration["Database:Provider"] = postgres is null ? "Sqlite" : "PostgreSql";
            builder.Configuration["ConnectionStrings:Rounds"] = postgres ?? $"Data Source={file}";
            builder.Configuration["Demo:Enabled"] = "false";
            builder.Configuration["Publishing:Enabled"] = "false";
            builder.Configuration["Rounds:PublicUrl"] = "http://localhost:5080";
            builder.Configuration[PostSources.BlueskyServiceSetting] = pdsUrl.AbsoluteUri;
            builder.Configuration[ReadFirehose.ServiceSetting] = pdsUrl.AbsoluteUri;
            builder.Configuration["Rounds:Monitoring:PollSeconds"] = pollSeconds.ToString(CultureInfo.InvariantCulture);
            builder.Configuration["Rounds:Networks:AllowPrivateAddresses"] = "true";
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft", LogLevel.Error);
            RoundsApp.ConfigureServices(builder);
            await using var app = builder.Build();
            var organizationId = await SeedAsync(app.Services, registered, postgres is not null);
            await app.StartAsync();

            // The event stream files only accounts whose DID a first poll has learned.
            watch.Restart();
            while (await LearnedAsync(app.Services) < accountCount)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(15))
                {
                    Console.Error.WriteLine("The first poll did not learn every account's DID within 15 minutes.");
                    return 1;
                }

                await Task.Delay(1000);
            }

            Console.WriteLine($"First poll of every account done in {watch.Elapsed.TotalSeconds:0} s; load average {PublisherBurstMeasure.LoadAverage()}.");

            // The stream recognises a learned account within ten seconds, and the next round's poll, read after that,
            // is what lets the stream cover it; the window starts once that round is over, in the steady state.
            var learnedAt = DateTimeOffset.UtcNow.AddSeconds(10);
            watch.Restart();
            while (await ReadSinceAsync(app.Services, learnedAt) < accountCount * 2 && watch.Elapsed < TimeSpan.FromMinutes(15))
            {
                await Task.Delay(1000);
            }

            Console.WriteLine($"Second poll of every account done {watch.Elapsed.TotalSeconds:0} s later; the window starts.");
            await Task.Delay(TimeSpan.FromSeconds(5));

            var sent = new List<Sent>();
            var seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var random = new Random(20261206);
            var interval = TimeSpan.FromHours(1) / perHour;
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            watch.Restart();
            var nextProbe = TimeSpan.FromSeconds(2);
            for (var i = 0; watch.Elapsed < TimeSpan.FromMinutes(minutes); i++)
            {
                var due = interval * i;
                if (due > watch.Elapsed)
                {
                    await Task.Delay(due - watch.Elapsed);
                }

                // A third are the accounts' own posts, the rest posts mentioning them.
                var account = random.Next(accountCount);
                var own = random.Next(3) == 0;
                var uri = own
                    ? await PostAsync(http, registered[account], $"Flu clinic update {i}: walk-ins welcome until 7 pm at the Eastside campus.", null)
                    : await PostAsync(http, fans[random.Next(fanCount)], $"@{registered[account].Handle} is the clinic open on Sunday? ({i})", registered[account]);
                sent.Add(new Sent(uri, DateTimeOffset.UtcNow, own, account));
                if (watch.Elapsed >= nextProbe)
                {
                    await ProbeAsync(app.Services, sent, seen);
                    nextProbe = watch.Elapsed + TimeSpan.FromSeconds(2);
                }
            }

            var window = watch.Elapsed;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;

            // What is still on its way is waited for, a minute at most, outside the measured window.
            var tail = Stopwatch.StartNew();
            while (seen.Count < sent.Count && tail.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(1000);
                await ProbeAsync(app.Services, sent, seen);
            }

            var round = await FullRoundAsync(app.Services, process);
            await app.StopAsync();
            await ReportAsync(app.Services, organizationId, sent, seen, window, cpu, round, perHour, accountCount, pollSeconds, postgres is not null);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task<string> PostAsync(HttpClient http, ReferencePds.User author, string text, ReferencePds.User? mentioned)
    {
        var record = new Dictionary<string, object> { ["$type"] = "app.bsky.feed.post", ["text"] = text, ["createdAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) };
        if (mentioned is not null)
        {
            record["facets"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["index"] = new { byteStart = 0, byteEnd = Encoding.UTF8.GetByteCount("@" + mentioned.Handle) },
                    ["features"] = new[] { new Dictionary<string, object> { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = mentioned.Did } },
                },
            };
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/xrpc/com.atproto.repo.createRecord")
        {
            Content = JsonContent.Create(new { repo = author.Did, collection = "app.bsky.feed.post", record }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", author.Jwt);
        using var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return response.IsSuccessStatusCode ? body.GetProperty("uri").GetString()! : throw new InvalidOperationException($"createRecord: {body}");
    }

    private static async Task<Guid> SeedAsync(IServiceProvider services, List<ReferencePds.User> registered, bool postgres)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        await PublisherBurstMeasure.FreshAsync(db, postgres);
        var now = DateTimeOffset.UtcNow;
        var organization = new Organization { Name = "Ingest", Slug = "ingest-" + Guid.NewGuid().ToString("N")[..8] };
        db.Organizations.Add(organization);
        foreach (var user in registered)
        {
            db.Add(new SocialAccount
            {
                OrganizationId = organization.Id, Platform = Platform.Bluesky, Handle = "@" + user.Handle, NormalizedHandle = user.Handle, Kind = AccountKind.Department,
                Status = AccountStatus.Active, Owners = "owner@example.org", Backup = "", CreatedAt = now, StatusChangedAt = now,
            });
        }

        await db.SaveChangesAsync();
        return organization.Id;
    }

    private static async Task<int> LearnedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<MonitoringSource>()
            .CountAsync(s => s.Kind == SourceKind.Posts && s.NetworkAccountId != "");
    }

    private static async Task<int> ReadSinceAsync(IServiceProvider services, DateTimeOffset since)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<MonitoringSource>()
            .Select(s => s.LastReadAt).ToListAsync()).Count(at => at >= since);
    }

    /// <summary>Marks when each post sent was first found filed: a mention as an inbox message, an own post in the account's activity.</summary>
    private static async Task ProbeAsync(IServiceProvider services, List<Sent> sent, Dictionary<string, DateTimeOffset> seen)
    {
        var waiting = sent.Where(s => !seen.ContainsKey(s.Uri)).Select(s => s.Uri).ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var now = DateTimeOffset.UtcNow;
        foreach (var uri in await db.Set<Message>().Where(m => waiting.Contains(m.NetworkId)).Select(m => m.NetworkId).ToListAsync())
        {
            seen.TryAdd(uri, now);
        }

        foreach (var uri in await db.Set<AccountPost>().Where(p => waiting.Contains(p.ExternalId)).Select(p => p.ExternalId).ToListAsync())
        {
            seen.TryAdd(uri, now);
        }
    }

    /// <summary>One poll of every account's sources, as a reconciliation round does, timed on its own.</summary>
    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> FullRoundAsync(IServiceProvider services, Process process)
    {
        List<AccountCard> accounts;
        await using (var scope = services.CreateAsyncScope())
        {
            accounts = await scope.ServiceProvider.GetRequiredService<IAccountDirectory>().Cards.Where(a => a.Platform == Platform.Bluesky).ToListAsync();
        }

        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var account in accounts)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IngestAccount>().RunAsync(account);
        }

        process.Refresh();
        return (watch.Elapsed, process.TotalProcessorTime - cpuBefore);
    }

    private static async Task ReportAsync(
        IServiceProvider services, Guid organizationId, List<Sent> sent, Dictionary<string, DateTimeOffset> seen, TimeSpan window, TimeSpan cpu,
        (TimeSpan Wall, TimeSpan Cpu) round, int perHour, int accountCount, int pollSeconds, bool postgres)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        var uris = sent.Select(s => s.Uri).ToList();
        var messages = await db.Set<Message>().Where(m => m.OrganizationId == organizationId).Select(m => m.NetworkId).ToListAsync();
        var activity = await db.Set<AccountPost>().Where(p => p.OrganizationId == organizationId).Select(p => p.ExternalId).ToListAsync();
        var twice = messages.Concat(activity).CountBy(u => u).Count(g => g.Value > 1);
        var latency = sent.Where(s => seen.ContainsKey(s.Uri)).Select(s => (seen[s.Uri] - s.At).TotalSeconds).Order().ToList();
        var cores = Environment.ProcessorCount;
        var share = cpu / window;

        Console.WriteLine();
        Console.WriteLine($"{sent.Count:N0} posts in {window.TotalMinutes:0.0} min ({sent.Count / window.TotalHours:N0} an hour; asked {perHour:N0}) across {accountCount} accounts on {(postgres ? "PostgreSQL" : "SQLite")}, polls every {pollSeconds} s, event stream followed");
        Console.WriteLine($"CPU of the Rounds process over the window: {cpu.TotalSeconds:0.0} s = {share:P1} of one core, {share / cores:P1} of the machine's {cores} cores");
        var reconcile = services.GetRequiredService<IConfiguration>().GetValue(IngestionPlan.ReconcileMinutesSetting, 60);
        var average = share + (round.Cpu / TimeSpan.FromMinutes(reconcile));
        Console.WriteLine($"one full poll round of every account (reconciliation): {round.Wall.TotalSeconds:0.0} s, {round.Cpu.TotalSeconds:0.0} s of CPU; " +
            $"with it every {reconcile} min, {average:P1} of one core on average");
        Console.WriteLine($"filed: {seen.Count:N0} of {sent.Count:N0} ({sent.Count(s => s.Own):N0} own posts, {sent.Count(s => !s.Own):N0} mentions); never filed {uris.Count(u => !seen.ContainsKey(u))}; filed twice {twice}");
        Console.WriteLine($"post to filed (probed every 2 s): p50 {PublisherBurstMeasure.Percentile(latency, 0.5):0.0} s, p95 {PublisherBurstMeasure.Percentile(latency, 0.95):0.0} s, max {(latency.Count > 0 ? latency[^1] : double.NaN):0.0} s");
        Console.WriteLine($"load average after the run: {PublisherBurstMeasure.LoadAverage()}");
    }
}
