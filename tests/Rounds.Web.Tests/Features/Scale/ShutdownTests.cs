using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// After SIGTERM the host waits for requests in flight at most a few seconds (it used to be .NET's 30), then their
/// aborted tokens cancel their queries, so an orchestrator's stop is not held up by a slow render.
/// </summary>
public sealed class ShutdownTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public void The_host_gives_requests_five_seconds_after_a_stop()
    {
        var options = app.Services.GetRequiredService<IOptions<HostOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownTimeout);
    }
}
