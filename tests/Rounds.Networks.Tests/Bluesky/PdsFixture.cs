using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Rounds.Networks.Tests.Bluesky;

/// <summary>
/// The AT Protocol reference PDS (npm <c>@atproto/dev-env</c>) running on a free loopback port, with an
/// in-memory PLC directory. Tests create real accounts and read records back from it.
/// </summary>
public sealed class PdsFixture : IAsyncLifetime
{
    private Process? process;

    public Uri Url { get; private set; } = default!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        var tooling = FindTooling();
        var port = FreePort();
        var info = new ProcessStartInfo("node", ["pds.mjs", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = tooling,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var errors = process.StandardError.ReadToEndAsync();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (ready is null || !ready.Contains("\"ready\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The PDS did not start: {ready} {await errors}");
        }

        Url = new Uri(JsonDocument.Parse(ready).RootElement.GetProperty("url").GetString()!);
    }

    /// <summary>A new account on the PDS; its handle ends in <c>.test</c>, which the dev PDS serves.</summary>
    public async Task<NetworkCredentials> CreateAccountAsync(string name)
    {
        var handle = $"{name}{Guid.NewGuid().ToString("N")[..6]}.test";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var response = await Http.PostAsJsonAsync(new Uri(Url, "/xrpc/com.atproto.server.createAccount"), new { email = $"{handle}@example.org", handle, password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return new NetworkCredentials(Url, handle, password);
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process?.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    private static string FindTooling()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tooling = Path.Combine(dir.FullName, "tests", "tooling");
            if (File.Exists(Path.Combine(tooling, "pds.mjs")))
            {
                return Directory.Exists(Path.Combine(tooling, "node_modules", "@atproto", "dev-env"))
                    ? tooling
                    : throw new InvalidOperationException($"@atproto/dev-env is not installed in {tooling}: run './rounds test' (it runs npm ci there).");
            }
        }

        throw new InvalidOperationException("Cannot find tests/tooling/pds.mjs above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PdsCollection : ICollectionFixture<PdsFixture>
{
    public const string Name = "pds";
}
