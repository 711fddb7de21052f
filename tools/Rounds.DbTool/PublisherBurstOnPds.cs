using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// The publisher's burst sent to the AT Protocol reference PDS instead of a network in memory: accounts created on
/// the PDS and connected in Rounds as people connect them (handle and app password, checked by the Bluesky
/// connector), posts due within one minute sent by the real publishing cycle through the real connector, then every
/// account's repository listed on the PDS, so that a post missing or stored twice is seen where readers would see it.
/// Smaller than the burst in memory (default 500 posts across 10 accounts): the reference PDS shares the machine.
/// </summary>
internal static class PublisherBurstOnPds
{
    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        if (new[] { "limit", "latency-ms" }.FirstOrDefault(options.ContainsKey) is { } inMemoryOnly)
        {
            Console.Error.WriteLine($"--{inMemoryOnly} shapes the network in memory; the PDS answers as it does.");
            return 2;
        }

        var posts = PublisherBurstMeasure.Number(options, "posts", 500);
        var accountCount = PublisherBurstMeasure.Number(options, "accounts", 10);
        var parallelism = options.GetValueOrDefault("parallelism");
        var postgres = options.GetValueOrDefault("postgres");
        var timeout = TimeSpan.FromMinutes(PublisherBurstMeasure.Number(options, "timeout-minutes", 10));
        var rateLimits = options.ContainsKey("rate-limits");
        using var pds = ReferencePds.Start(rateLimits);
        if (pds is null)
        {
            return 2;
        }

        var file = Path.Combine(Path.GetTempPath(), $"rounds-burst-pds-{Guid.NewGuid():N}.db");
        try
        {
            var watch = Stopwatch.StartNew();
            var users = await pds.CreateUsersAsync("burst", accountCount);
            var appPasswords = new List<string>();
            foreach (var user in users)
            {
                appPasswords.Add(await pds.CreateAppPasswordAsync(user, "Rounds"));
            }

            Console.WriteLine($"PDS at {pds.Url}: {accountCount} accounts and their app passwords created in {watch.Elapsed.TotalSeconds:0} s.");

            // Loopback addresses are allowed for this run only because the PDS on one is the one this command
            // started; the connectors' calls to anywhere else are refused before they leave (PdsOnly).
            var builder = PublisherBurstMeasure.Builder(postgres, file, parallelism, new Dictionary<string, string>
            {
                [$"{NetworkAccessOptions.Section}:{nameof(NetworkAccessOptions.AllowPrivateAddresses)}"] = "true",
            });
            var calls = new PdsOnly(pds.Url);
            builder.Services.AddHttpClient(LibraryConnectorFactory.HttpClientName).AddHttpMessageHandler(() => new PdsOnly.Handler(calls));
            await using var app = builder.Build();
            var due = await SeedAsync(app.Services, pds.Url, users, appPasswords, posts, postgres is not null);
            if (due is null)
            {
                return 1;
            }

            var connecting = calls.Counts();
            Console.WriteLine($"{posts:N0} approved posts due from {due:HH:mm:ss} UTC over one minute across {accountCount} Bluesky accounts on {(postgres is null ? "SQLite" : "PostgreSQL")}, " +
                $"connected with app passwords through the Bluesky connector; the PDS's rate limits {(rateLimits ? "on" : "off, as the development PDS has them")}; {parallelism ?? "default"} accounts side by side; load average {PublisherBurstMeasure.LoadAverage()}");

            var (cycles, elapsed) = await PublisherBurstMeasure.DrainAsync(app.Services, due.Value, timeout);
            var published = await PublisherBurstMeasure.ReportCopiesAsync(app.Services, cycles, elapsed);
            await ReportRefusalsAsync(app.Services);
            var exactlyOnce = await ReportPdsAsync(pds, users, posts, published);
            var sending = calls.Counts().Select(c => (c.Key, Count: c.Value - connecting.GetValueOrDefault(c.Key))).Where(c => c.Count > 0).OrderByDescending(c => c.Count);
            Console.WriteLine($"calls Rounds made to the PDS while publishing: {string.Join(", ", sending.Select(c => $"{c.Key} {c.Count:N0}"))}; refused for going elsewhere: {calls.Refused}");
            Console.WriteLine($"load average after the run: {PublisherBurstMeasure.LoadAverage()}");
            // The figures are for reading; a burst not delivered exactly once is a failure of the run.
            if (!exactlyOnce || calls.Refused > 0)
            {
                Console.Error.WriteLine("The burst was not delivered exactly once, each post in its own account, or a call went elsewhere.");
                return 1;
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>The organization, its Bluesky accounts connected through the product's own use case, and the posts; null when a connection was refused.</summary>
    private static async Task<DateTimeOffset?> SeedAsync(IServiceProvider services, Uri pdsUrl, List<ReferencePds.User> users, List<string> appPasswords, int posts, bool postgres)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        await PublisherBurstMeasure.FreshAsync(db, postgres);
        var now = DateTimeOffset.UtcNow;
        var organization = new Organization { Name = "Burst", Slug = "burst-" + Guid.NewGuid().ToString("N")[..8] };
        db.Organizations.Add(organization);
        var accounts = users.Select(user => new SocialAccount
        {
            OrganizationId = organization.Id, Platform = Platform.Bluesky, Handle = "@" + user.Handle, NormalizedHandle = user.Handle, Kind = AccountKind.Department,
            Status = AccountStatus.Active, Owners = "owner@example.org", Backup = "", CreatedAt = now, StatusChangedAt = now,
        }).ToList();
        db.AddRange(accounts);
        await db.SaveChangesAsync();

        var admin = new OrgContext(organization, new OrganizationMember { OrganizationId = organization.Id, UserId = "burst-admin", Role = Role.Admin }, "burst-admin");
        var connections = scope.ServiceProvider.GetRequiredService<AccountConnections>();
        for (var i = 0; i < accounts.Count; i++)
        {
            var connected = await connections.ConnectAsync(admin, accounts[i].Id, new ConnectionInput(pdsUrl.AbsoluteUri, users[i].Handle, appPasswords[i]));
            if (!connected.Succeeded)
            {
                Console.Error.WriteLine($"Connecting {users[i].Handle} was refused: {connected.Status.Message}");
                return null;
            }
        }

        return await PublisherBurstMeasure.SeedPostsAsync(db, organization.Id, accounts.Select(a => a.Id).ToList(), Platform.Bluesky, posts);
    }

    /// <summary>Attempts that did not publish, by outcome, with the first message of each: what the PDS refused.</summary>
    private static async Task ReportRefusalsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var failed = await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<DeliveryAttempt>().AsNoTracking()
            .Where(a => a.Outcome != AttemptOutcome.Published && a.Outcome != AttemptOutcome.FoundExisting)
            .Select(a => new { a.Outcome, a.Message }).ToListAsync();
        Console.WriteLine(failed.Count == 0
            ? "refusals: none (every attempt published)"
            : "refusals: " + string.Join("; ", failed.GroupBy(a => a.Outcome).Select(g => $"{g.Key} {g.Count()} (\"{g.First().Message}\")")));
    }

    /// <summary>
    /// Lists every account's posts on the PDS and matches them to the burst by text (each post's number makes its
    /// text unique): each post must be there once, in its own account, and every copy Rounds marked published must be there.
    /// True when all of that holds and every copy was published.
    /// </summary>
    private static async Task<bool> ReportPdsAsync(ReferencePds pds, List<ReferencePds.User> users, int posts, List<PublisherBurstMeasure.Copy> published)
    {
        var expected = Enumerable.Range(0, posts).ToDictionary(PublisherBurstMeasure.Text, i => users[i % users.Count].Did, StringComparer.Ordinal);
        var found = new List<(string Did, string Uri, string Text)>();
        foreach (var user in users)
        {
            found.AddRange((await pds.ListPostsAsync(user.Did)).Select(r => (user.Did, r.GetProperty("uri").GetString()!, r.GetProperty("value").GetProperty("text").GetString()!)));
        }

        var copiesByText = found.CountBy(f => f.Text).ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal);
        var accountByText = found.GroupBy(f => f.Text, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Did, StringComparer.Ordinal);
        var once = expected.Count(e => copiesByText.GetValueOrDefault(e.Key) == 1 && accountByText[e.Key] == e.Value);
        var missing = expected.Keys.Count(text => !copiesByText.ContainsKey(text));
        var twice = expected.Keys.Count(text => copiesByText.GetValueOrDefault(text) > 1);
        var astray = found.Count(f => !expected.TryGetValue(f.Text, out var did) || did != f.Did);
        var uris = found.Select(f => f.Uri).ToHashSet(StringComparer.Ordinal);
        var notHeld = published.Count(c => c.ExternalId is null || !uris.Contains(c.ExternalId));
        Console.WriteLine($"on the PDS (listRecords of app.bsky.feed.post in {users.Count} repositories): {found.Count:N0} posts; {once:N0} of the {posts:N0} there exactly once, " +
            $"{missing} missing, {twice} there twice or more, {astray} not of this burst or in another account; {notHeld} copies Rounds marked published that the PDS does not hold");
        return once == posts && found.Count == posts && notHeld == 0 && published.Count == posts;
    }

    /// <summary>
    /// Counts the connectors' calls by XRPC method and lets through only those to the PDS this command started, so
    /// that allowing loopback addresses for the run cannot send a call anywhere else.
    /// </summary>
    private sealed class PdsOnly(Uri pds)
    {
        private readonly Uri pds = pds;
        private readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
        private int refused;

        public int Refused => refused;

        public Dictionary<string, int> Counts() => calls.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

        public sealed class Handler(PdsOnly owner) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var uri = request.RequestUri!;
                if (Uri.Compare(uri, owner.pds, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    Interlocked.Increment(ref owner.refused);
                    throw new HttpRequestException($"{uri.GetLeftPart(UriPartial.Authority)} is not the PDS this measure started.");
                }

                owner.calls.AddOrUpdate(uri.AbsolutePath.Replace("/xrpc/", "", StringComparison.Ordinal), 1, (_, count) => count + 1);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
