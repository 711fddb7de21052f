using System.Net;
using Microsoft.AspNetCore.Http;
using Rounds.Networks.Bluesky;
using Rounds.Networks.Mastodon;
using Rounds.Networks.Outbound;

namespace Rounds.Networks.Tests.Outbound;

/// <summary>
/// The connectors' HTTP handler, against servers on this machine: by default it calls nothing but public
/// addresses, follows no redirect and stops reading a large answer, and no failure repeats what was answered.
/// </summary>
public sealed class OutboundHttpTests
{
    private const string Secret = "internal-secret-7f3a";

    private static HttpClient Client(bool allowPrivateAddresses) =>
        new(OutboundHttp.CreateHandler(allowPrivateAddresses)) { Timeout = TimeSpan.FromSeconds(10) };

    private static Task<ConnectionCheck> VerifyBlueskyAsync(HttpClient http, string service) =>
        new BlueskyConnector(http, new NetworkCredentials(new Uri(service), "someone.test", "app-password"), TimeProvider.System).VerifyAsync();

    /// <summary>A loopback service answered its own text through the connection check before addresses were checked.</summary>
    [Fact]
    public async Task A_loopback_service_is_not_called_by_default_and_its_answer_never_appears()
    {
        await using var listener = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync(Secret);
        });
        using var http = Client(allowPrivateAddresses: false);

        foreach (var service in new[] { $"http://127.0.0.1:{listener.Port}", $"http://localhost:{listener.Port}", $"http://[::1]:{listener.Port}", $"http://[::ffff:127.0.0.1]:{listener.Port}", $"http://127.1:{listener.Port}" })
        {
            var refused = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, service));
            Assert.Equal(FailureKind.Content, refused.Kind);
            Assert.Contains("private or local network", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, listener.Hits);
    }

    [Theory]
    [InlineData("https://10.0.0.1/")]
    [InlineData("https://172.20.1.1/")]
    [InlineData("https://192.168.0.10/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("https://100.100.100.200/")]
    [InlineData("https://[fd00::1]/")]
    [InlineData("https://[fe80::1]/")]
    public async Task Private_link_local_and_shared_addresses_are_refused_before_connecting(string service)
    {
        using var http = Client(allowPrivateAddresses: false);

        var refused = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, service));

        Assert.Contains("private or local network", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A closed port and an open one gave different failures, which mapped the server's ports.</summary>
    [Fact]
    public async Task A_closed_loopback_port_fails_exactly_like_an_open_one()
    {
        await using var listener = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("{}"));
        using var http = Client(allowPrivateAddresses: false);

        var open = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, listener.Url.ToString()));
        var closed = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, $"http://127.0.0.1:{LoopbackServer.FreePort()}/"));

        Assert.Equal(open.Message, closed.Message);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed()
    {
        await using var elsewhere = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("""{"accessJwt":"a","refreshJwt":"r","did":"did:plc:x","handle":"elsewhere.test"}"""));
        await using var redirecting = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect($"http://localhost:{elsewhere.Port}{context.Request.Path}", permanent: false, preserveMethod: true);
            return Task.CompletedTask;
        });
        using var http = Client(allowPrivateAddresses: true);

        var failed = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, redirecting.Url.ToString()));

        Assert.Contains("307", failed.Message, StringComparison.Ordinal);
        Assert.Equal(1, redirecting.Hits);
        Assert.Equal(0, elsewhere.Hits);
    }

    [Fact]
    public async Task An_oversized_answer_is_cut_off_with_a_clear_error()
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        await using var huge = await LoopbackServer.StartAsync(async context =>
        {
            // No Content-Length: the limit must hold while reading, not only on a declared size.
            context.Response.ContentType = "application/json";
            try
            {
                // Kestrel drops writes quietly once the client is gone, so the loop watches for that itself.
                for (var i = 0; i < 300 * 16 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client stopped reading, as it should.
            }
        });
        using var http = Client(allowPrivateAddresses: true);

        var failed = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, huge.Url.ToString()));

        Assert.Contains("more than 4 MB", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_oversized_answer_is_refused_without_reading_it()
    {
        await using var huge = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentLength = 300L * 1024 * 1024;
            await context.Response.WriteAsync("{");
            // The rest never comes: the client must give up on the declared size alone, not wait for it.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var http = Client(allowPrivateAddresses: true);

        var failed = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, huge.Url.ToString()));

        Assert.Contains("more than 4 MB", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_stalls_after_its_headers_times_out_with_the_client()
    {
        await using var stalling = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var http = new HttpClient(OutboundHttp.CreateHandler(allowPrivateAddresses: true)) { Timeout = TimeSpan.FromSeconds(1) };

        var failed = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, stalling.Url.ToString()));

        Assert.Contains("did not answer in time", failed.Message, StringComparison.Ordinal);
    }

    /// <summary>A Bluesky address that answered a web page threw a JSON parse error out of the connector.</summary>
    [Fact]
    public async Task A_service_answering_a_web_page_is_a_network_failure_that_does_not_repeat_the_page()
    {
        await using var page = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync($"<html><body>{Secret}</body></html>");
        });
        using var http = Client(allowPrivateAddresses: true);

        var bluesky = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, page.Url.ToString()));
        var mastodon = await Assert.ThrowsAsync<NetworkException>(() =>
            new MastodonConnector(http, new NetworkCredentials(page.Url, "someone", "token"), TimeProvider.System).VerifyAsync());

        Assert.Contains("not its API's JSON", bluesky.Message, StringComparison.Ordinal);
        Assert.Contains("not its API's JSON", mastodon.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, bluesky.Message + mastodon.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_page_is_reported_by_its_status_alone()
    {
        await using var page = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return context.Response.WriteAsync($"<html><body>{Secret}</body></html>");
        });
        using var http = Client(allowPrivateAddresses: true);

        var bluesky = await Assert.ThrowsAsync<NetworkException>(() => VerifyBlueskyAsync(http, page.Url.ToString()));

        Assert.Contains("502", bluesky.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, bluesky.Message, StringComparison.Ordinal);
    }
}
