using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Rounds.Web.Tests.Features.Operations;

/// <summary>Rounds pointed at a PostgreSQL server that is not there: alive, but not ready.</summary>
public sealed class UnreachableDatabaseRounds : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "PostgreSql");
        // Port 1 on loopback: nothing listens there, so connecting fails at once.
        builder.UseSetting("ConnectionStrings:Rounds", "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2");
        builder.UseSetting("Database:MigrateOnStart", "false");
        builder.UseSetting("Demo:Enabled", "false");
    }
}

public sealed class ReadinessTests(UnreachableDatabaseRounds app) : IClassFixture<UnreachableDatabaseRounds>
{
    [Fact]
    public async Task Ready_fails_when_the_database_cannot_be_reached_while_alive_still_answers()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }
}
