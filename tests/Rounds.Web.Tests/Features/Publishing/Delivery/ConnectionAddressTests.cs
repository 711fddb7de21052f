using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>Rounds as an instance runs it: connectors may call public addresses only.</summary>
public sealed class PublicOnlyDelivery() : DeliveryRounds(TestDatabase.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Rounds:Networks:AllowPrivateAddresses", "false");
    }
}

/// <summary>
/// Connecting an account called whatever address was typed as its service and repeated the answer; these
/// addresses are now refused and nothing they answer reaches the person connecting.
/// </summary>
public sealed class ConnectionAddressTests(PublicOnlyDelivery app) : IClassFixture<PublicOnlyDelivery>
{
    private const string Secret = "metadata-token-4471";

    [Fact]
    public async Task A_loopback_service_is_refused_by_default_and_its_answer_never_reaches_the_caller()
    {
        await using var listener = await StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync(Secret);
        });
        var room = await app.NewsroomAsync("ssrf");
        var admin = await app.ApiClientAsync(room.Admin);

        foreach (var service in new[] { $"http://127.0.0.1:{listener.Port}", $"http://localhost:{listener.Port}", $"https://[::1]:{listener.Port}", $"https://[::ffff:127.0.0.1]:{listener.Port}", "https://10.1.2.3", "https://169.254.169.254" })
        {
            var response = await admin.PostAsJsonAsync($"/api/v1/orgs/{room.Org.Slug}/accounts/{room.AccountId}/connection", new { service, identifier = "someone.test", secret = "app-password" });
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{service}: {(int)response.StatusCode} {body}");
            Assert.Contains("private or local network", body, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        }

        Assert.Equal(0, listener.Hits);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/orgs/{room.Org.Slug}/accounts/{room.AccountId}/connection")).StatusCode);
    }

    [Fact]
    public async Task Networks_with_one_api_address_are_connected_there_only()
    {
        var room = await app.NewsroomAsync("known");
        var account = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@known" + Guid.NewGuid().ToString("N")[..6], "x");
        var admin = await app.ApiClientAsync(room.Admin);

        var response = await admin.PostAsJsonAsync($"/api/v1/orgs/{room.Org.Slug}/accounts/{account}/connection", new { service = "https://x.attacker.example", identifier = "northfield", secret = "token" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("https://api.x.com", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static async Task<Listener> StartAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Logging.ClearProviders();
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenLocalhost(port));
        var web = builder.Build();
        var listener = new Listener(web, port);
        web.Run(context =>
        {
            listener.Hit();
            return answer(context);
        });
        await web.StartAsync();
        return listener;
    }

    internal sealed class Listener(WebApplication web, int port) : IAsyncDisposable
    {
        private int hits;

        public int Port { get; } = port;

        public int Hits => Volatile.Read(ref hits);

        public void Hit() => Interlocked.Increment(ref hits);

        public async ValueTask DisposeAsync()
        {
            await web.StopAsync();
            await web.DisposeAsync();
        }
    }
}

/// <summary>A Bluesky address answering a web page made the connection check fail with a 500.</summary>
public sealed class ConnectionAnswerTests(DeliverySqlite app) : IClassFixture<DeliverySqlite>
{
    [Fact]
    public async Task A_bluesky_service_answering_something_other_than_json_is_a_clear_refusal_not_a_server_error()
    {
        await using var page = await ConnectionAddressTests.StartAsync(context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><body>Welcome to the intranet</body></html>");
        });
        var room = await app.NewsroomAsync("nonjson");
        var admin = await app.ApiClientAsync(room.Admin);

        var response = await admin.PostAsJsonAsync($"/api/v1/orgs/{room.Org.Slug}/accounts/{room.AccountId}/connection",
            new { service = $"http://127.0.0.1:{page.Port}", identifier = "someone.test", secret = "app-password" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("not its API's JSON", body, StringComparison.Ordinal);
        Assert.DoesNotContain("intranet", body, StringComparison.Ordinal);
        Assert.Equal(1, page.Hits);
    }
}
