using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Rounds.DbTool;

/// <summary>
/// The AT Protocol reference PDS (npm <c>@atproto/dev-env</c>, started by <c>tests/tooling/pds.mjs</c>) on a free
/// loopback port, for the measures that need a real Bluesky server. The measure owns it: the PDS stops when this is
/// disposed, and loopback calls are allowed in the measure's Rounds only because they go to it.
/// </summary>
internal sealed class ReferencePds : IDisposable
{
    /// <summary>An account on the PDS: its handle, password, DID and an access token from its creation.</summary>
    public sealed record User(string Handle, string Password, string Did, string Jwt);

    private readonly Process process;

    private ReferencePds(Process process, Uri url)
    {
        this.process = process;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Url { get; }

    /// <summary>A client of the PDS for the measure's own calls (accounts, posts, reads), outside Rounds.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Starts the PDS, with its own per-account limits (sign-ins, writes) when <paramref name="rateLimits"/> is set;
    /// null, with the reason written out, when the test tooling's Node packages are missing.
    /// </summary>
    public static ReferencePds? Start(bool rateLimits = false)
    {
        var tooling = Path.Combine(RepositoryRoot(), "tests", "tooling");
        if (!Directory.Exists(Path.Combine(tooling, "node_modules", "@atproto", "dev-env")))
        {
            Console.Error.WriteLine($"@atproto/dev-env is not installed: run 'npm ci' in {tooling} first.");
            return null;
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var process = Process.Start(new ProcessStartInfo("node", ["pds.mjs", port.ToString(CultureInfo.InvariantCulture), .. rateLimits ? ["rate-limits"] : Array.Empty<string>()])
        {
            WorkingDirectory = tooling, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false,
        }) ?? throw new InvalidOperationException("Could not start node.");
        var ready = process.StandardOutput.ReadLine();
        if (ready is null || !ready.Contains("\"ready\":true", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The PDS did not start: {ready}");
        }

        try
        {
            return new ReferencePds(process, new Uri(JsonDocument.Parse(ready).RootElement.GetProperty("url").GetString()!));
        }
        catch
        {
            // An answer without its address must not leave the PDS running after the command.
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Creates <paramref name="count"/> accounts named <c>{prefix}000.test</c> onwards, a few at a time.</summary>
    public async Task<List<User>> CreateUsersAsync(string prefix, int count)
    {
        var users = new User[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var handle = $"{prefix}{i:D3}.test";
            var password = "pw-" + handle;
            var response = await Http.PostAsJsonAsync("/xrpc/com.atproto.server.createAccount", new { email = $"{handle}@example.org", handle, password }, ct);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"createAccount {handle}: {body}");
            }

            users[i] = new User(handle, password, body.GetProperty("did").GetString()!, body.GetProperty("accessJwt").GetString()!);
        });
        return [.. users];
    }

    /// <summary>An app password of the account, which is what people give Rounds to connect a Bluesky account.</summary>
    public async Task<string> CreateAppPasswordAsync(User user, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/xrpc/com.atproto.server.createAppPassword") { Content = JsonContent.Create(new { name }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Jwt);
        using var response = await Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return response.IsSuccessStatusCode ? body.GetProperty("password").GetString()! : throw new InvalidOperationException($"createAppPassword {user.Handle}: {body}");
    }

    /// <summary>Every post in the account's repository, as the PDS lists them (each with its <c>uri</c> and <c>value</c>).</summary>
    public async Task<List<JsonElement>> ListPostsAsync(string did)
    {
        var posts = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var query = $"/xrpc/com.atproto.repo.listRecords?repo={Uri.EscapeDataString(did)}&collection=app.bsky.feed.post&limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await Http.GetAsync(query);
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"listRecords {did}: {page}");
            }

            var records = page.GetProperty("records");
            posts.AddRange(records.EnumerateArray().Select(r => r.Clone()));
            cursor = records.GetArrayLength() > 0 && page.TryGetProperty("cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        return posts;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            // pds.mjs stops when its standard input closes.
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
        Http.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rounds.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
