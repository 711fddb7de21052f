using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rounds.Networks.Tests.Outbound;

/// <summary>A server on a free loopback port that answers every request the same way and counts them.</summary>
public sealed class LoopbackServer(WebApplication app, int port) : IAsyncDisposable
{
    private int hits;

    public int Port { get; } = port;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public int Hits => Volatile.Read(ref hits);

    public static async Task<LoopbackServer> StartAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Logging.ClearProviders();
        var port = FreePort();
        // IPv4 and IPv6 loopback both, so that every spelling of "this machine" would reach it.
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenLocalhost(port));
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref server!.hits);
            await answer(context);
        });
        server = new LoopbackServer(app, port);
        await app.StartAsync();
        return server;
    }

    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
