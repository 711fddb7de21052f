using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Rounds.Web.Features.Engagement;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>The snapshot's reads are paced to the configured rate, so a large roster stays within a network's limit.</summary>
public sealed class PublicReadPacingTests
{
    [Fact]
    public async Task Requests_beyond_the_burst_wait_for_the_rate_instead_of_going_out_at_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PublicReadPacing.RequestsPerSecondSetting] = "10" }).Build();
        using var pacing = new PublicReadPacing(configuration);
        var sent = new List<TimeSpan>();
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient(new PacedHandler(pacing) { InnerHandler = new Answer(() => sent.Add(watch.Elapsed)) });

        // A burst of 10 goes out at once; the next 10 need another second at 10 per second.
        for (var i = 0; i < 20; i++)
        {
            await client.GetAsync(new Uri("http://reader.invalid/xrpc/x"));
        }

        Assert.Equal(20, sent.Count);
        Assert.True(sent[^1] >= TimeSpan.FromSeconds(0.8), $"The 20th request went out after {sent[^1].TotalSeconds:0.00} s.");
    }

    private sealed class Answer(Action onSend) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
