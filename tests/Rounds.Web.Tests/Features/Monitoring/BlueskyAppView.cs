using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Rounds.Web.Tests.Features.Publishing.Delivery.Pds;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// The AT Protocol reference network with its Bluesky AppView (npm <c>@atproto/dev-env</c>'s <c>TestNetwork</c>, started
/// by <c>tests/tooling/appview.mjs</c>): a PDS that forwards <c>app.bsky.*</c> reads to a real AppView indexing it, and
/// a PLC directory. The AppView keeps its tables in a database of the test run's PostgreSQL cluster and its caches in
/// a Redis server this fixture starts on a free loopback port and stops with it.
/// </summary>
public sealed class BlueskyAppView : IAsyncLifetime
{
    private Process? redis;
    private Process? network;

    public Uri PdsUrl { get; private set; } = default!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.TestTooling, "node_modules", "@atproto", "dev-env")))
        {
            throw new InvalidOperationException($"@atproto/dev-env is not installed in {RepoPaths.TestTooling}: run './rounds test' (it runs npm ci there).");
        }

        var redisPort = FreePort();
        redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start redis-server (Debian package redis-server; ./rounds test installs it as root).");
        _ = redis.StandardOutput.ReadToEndAsync();
        _ = redis.StandardError.ReadToEndAsync();
        await UntilListeningAsync(redisPort, TimeSpan.FromSeconds(30));

        // The AppView's schemas go into a database of their own, dropped with the cluster at the end of the run.
        var database = new NpgsqlConnectionStringBuilder(PostgresCluster.Instance.CreateDatabase());
        var url = $"postgresql://{database.Username}@{database.Host}:{database.Port}/{database.Database}";
        var info = new ProcessStartInfo("node", ["appview.mjs", url, "rounds"])
        {
            WorkingDirectory = RepoPaths.TestTooling,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["REDIS_HOST"] = $"127.0.0.1:{redisPort}";
        network = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var errors = network.StandardError.ReadToEndAsync();
        var ready = await network.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(180));
        if (ready is null || !ready.Contains("\"ready\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The AppView network did not start: {ready} {await errors}");
        }

        _ = network.StandardOutput.ReadToEndAsync();
        PdsUrl = new Uri(JsonDocument.Parse(ready).RootElement.GetProperty("pds").GetString()!);
    }

    public async Task<PdsAccount> CreateAccountAsync(string name)
    {
        var handle = $"{name}{Guid.NewGuid().ToString("N")[..6]}.test";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var response = await Http.PostAsJsonAsync(new Uri(PdsUrl, "/xrpc/com.atproto.server.createAccount"), new { email = $"{handle}@example.org", handle, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return new PdsAccount(handle, password, JsonDocument.Parse(body).RootElement.GetProperty("did").GetString()!);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new[] { network, redis })
        {
            if (process is { HasExited: false })
            {
                if (process == network)
                {
                    // appview.mjs closes the network when its standard input closes.
                    process.StandardInput.Close();
                }

                if (process == redis || !process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }

            process?.Dispose();
        }

        Http.Dispose();
    }

    private static async Task UntilListeningAsync(int port, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < limit)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One AppView network for every test that reads notifications from it; they run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BlueskyAppViewCollection : ICollectionFixture<BlueskyAppView>
{
    public const string Name = "Bluesky AppView";
}
