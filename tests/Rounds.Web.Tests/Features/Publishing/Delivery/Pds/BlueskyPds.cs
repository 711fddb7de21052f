using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>An account on the reference PDS: its handle, password and DID.</summary>
public sealed record PdsAccount(string Handle, string Password, string Did);

/// <summary>
/// The AT Protocol reference PDS (npm <c>@atproto/dev-env</c>, started by <c>tests/tooling/pds.mjs</c>) on a
/// free loopback port, for publishing tests that read what Rounds wrote back from a real Bluesky server.
/// </summary>
public sealed class BlueskyPds : IAsyncLifetime
{
    private Process? process;

    public Uri Url { get; private set; } = default!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.TestTooling, "node_modules", "@atproto", "dev-env")))
        {
            throw new InvalidOperationException($"@atproto/dev-env is not installed in {RepoPaths.TestTooling}: run './rounds test' (it runs npm ci there).");
        }

        var info = new ProcessStartInfo("node", ["pds.mjs", FreePort().ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = RepoPaths.TestTooling,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var errors = process.StandardError.ReadToEndAsync();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (ready is null || !ready.Contains("\"ready\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The PDS did not start: {ready} {await errors}");
        }

        Url = new Uri(JsonDocument.Parse(ready).RootElement.GetProperty("url").GetString()!);
    }

    public async Task<PdsAccount> CreateAccountAsync(string name)
    {
        var handle = $"{name}{Guid.NewGuid().ToString("N")[..6]}.test";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var response = await Http.PostAsJsonAsync(new Uri(Url, "/xrpc/com.atproto.server.createAccount"), new { email = $"{handle}@example.org", handle, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return new PdsAccount(handle, password, JsonDocument.Parse(body).RootElement.GetProperty("did").GetString()!);
    }

    /// <summary>The record at an <c>at://repo/collection/rkey</c> address, or null when there is none.</summary>
    public async Task<JsonElement?> GetRecordAsync(string atUri)
    {
        var parts = atUri["at://".Length..].Split('/');
        var response = await Http.GetAsync(new Uri(Url, $"/xrpc/com.atproto.repo.getRecord?repo={Uri.EscapeDataString(parts[0])}&collection={parts[1]}&rkey={parts[2]}"));
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return null;
        }

        var record = await HttpAssert.ReadAsync<JsonElement>(response);
        return record.GetProperty("value");
    }

    /// <summary>Every post in the account's repository, as the PDS lists them.</summary>
    public async Task<List<JsonElement>> ListPostsAsync(string did)
    {
        var posts = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var query = $"/xrpc/com.atproto.repo.listRecords?repo={Uri.EscapeDataString(did)}&collection=app.bsky.feed.post&limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await HttpAssert.ReadAsync<JsonElement>(await Http.GetAsync(new Uri(Url, query)));
            posts.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.Clone()));
            cursor = page.TryGetProperty("cursor", out var next) && page.GetProperty("records").GetArrayLength() > 0 ? next.GetString() : null;
        }
        while (cursor is not null);

        return posts;
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // pds.mjs stops when its standard input closes.
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One PDS for every test that publishes to it; they run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BlueskyPdsCollection : ICollectionFixture<BlueskyPds>
{
    public const string Name = "bluesky-pds";
}
