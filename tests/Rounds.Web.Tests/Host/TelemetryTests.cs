using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Host;

/// <summary>
/// Traces and metrics reach a collector by OTLP over HTTP when one is configured. The collector here is a
/// listener that keeps what it is sent; OTLP's protobuf carries names as plain UTF-8, so they can be found in it.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Requests_queries_and_the_publisher_are_traced_and_measured_to_the_configured_collector()
    {
        var received = new ConcurrentDictionary<string, ConcurrentQueue<byte[]>>();
        await using var collector = await ConnectionAddressTests.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.GetOrAdd(context.Request.Path.Value ?? "", _ => new()).Enqueue(body.ToArray());
            context.Response.StatusCode = (int)HttpStatusCode.OK;
        });
        await using var app = new CollectedRounds($"http://127.0.0.1:{collector.Port}");

        var page = await app.CreateClient().GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await app.WithScopeAsync(services => services.GetRequiredService<PublishDuePosts>().RunOnceAsync());
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        var traces = Sent(received, "/v1/traces");
        Assert.Contains("publisher cycle", traces, StringComparison.Ordinal);
        Assert.Contains("rounds.published", traces, StringComparison.Ordinal);
        Assert.Contains("/Account/Login", traces, StringComparison.Ordinal);
        Assert.Contains("db.system", traces, StringComparison.Ordinal);
        Assert.Contains("service.name", traces, StringComparison.Ordinal);
        Assert.Contains("rounds", traces, StringComparison.Ordinal);

        var metrics = Sent(received, "/v1/metrics");
        Assert.Contains("http.server.request.duration", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_collector_nothing_listens()
    {
        await using var app = new SqliteRounds();
        _ = app.CreateClient();

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("Rounds:Telemetry:OtlpEndpoint", "collector.example:4317")]
    [InlineData("Rounds:Telemetry:OtlpProtocol", "carrier-pigeon")]
    public async Task A_mistyped_setting_stops_the_start_with_its_name(string key, string value)
    {
        await using var app = new CollectedRounds("http://127.0.0.1:1", (key, value));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
    }

    private static string Sent(ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received, string path) =>
        received.TryGetValue(path, out var bodies) ? string.Concat(bodies.Select(b => Encoding.UTF8.GetString(b))) : "";

    private sealed class CollectedRounds(string endpoint, (string Key, string Value)? extra = null) : RoundsFactory(TestDatabase.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Rounds:Telemetry:OtlpEndpoint", endpoint);
            builder.UseSetting("Rounds:Telemetry:OtlpProtocol", "http/protobuf");
            if (extra is { } setting)
            {
                builder.UseSetting(setting.Key, setting.Value);
            }
        }
    }
}
