using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Operations;

public abstract class OperationsTests(RoundsFactory app)
{
    [Fact]
    public async Task Health_endpoints_answer()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_carry_security_headers_and_unknown_pages_are_friendly()
    {
        var client = app.CreateClient();
        var login = await client.GetAsync("/Account/Login");
        Assert.Contains("script-src 'self'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", login.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", login.Headers.GetValues("X-Frame-Options")));

        var missing = await client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Page not found", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var missingApi = await client.GetAsync("/api/v1/no-such-thing");
        Assert.True(missingApi.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized);
        Assert.Equal("application/problem+json", missingApi.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/api/v1/me\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/orgs/{org}/members\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/Account/Logout\"", document, StringComparison.Ordinal);
        Assert.Contains("\"Rounds API\"", document, StringComparison.Ordinal);

        var reference = await app.CreateClient().GetAsync("/api/reference");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        var page = await reference.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);

        // Nothing on the reference sends readers or the API description to a third party, and it leads back home.
        Assert.Contains("\"agent\":{\"disabled\":true", page, StringComparison.Ordinal);
        Assert.Contains("\"mcp\":{\"disabled\":true", page, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", page, StringComparison.Ordinal);
        Assert.Contains("\"showDeveloperTools\":\"never\"", page, StringComparison.Ordinal);
        Assert.Contains("[Back to Rounds](/)", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_protection_keys_live_in_the_database_so_instances_share_cookies()
    {
        var session = FormSession.Create(app);
        await app.CreateUserAsync("keys@example.org");
        await session.LoginAsync("keys@example.org");
        var keys = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().DataProtectionKeys.CountAsync());
        Assert.True(keys > 0);
    }
}

public sealed class OperationsTestsOnSqlite(SqliteRounds app) : OperationsTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class OperationsTestsOnPostgres(PostgresRounds app) : OperationsTests(app), IClassFixture<PostgresRounds>;
