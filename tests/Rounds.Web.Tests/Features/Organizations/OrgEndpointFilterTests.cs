using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>
/// The organization filter on endpoints of its own, in a small host over the same database: without the API's
/// sign-in policy in front, the filter alone answers the caller who is not signed in.
/// </summary>
public abstract class OrgEndpointFilterTests(RoundsFactory app)
{
    private const string UserHeader = "X-Test-User";

    [Fact]
    public async Task A_group_marked_RequireOrg_refuses_before_the_handler_runs()
    {
        var (slug, admin, reviewer, contributor, stranger) = await SeedAsync();
        var reached = 0;
        await using var host = await StartAsync(web =>
        {
            var group = web.MapGroup("/orgs/{org}").RequireOrg(Role.Reviewer);
            group.MapGet("/rules", (OrgContext org) =>
            {
                reached++;
                return $"{org.Organization.Slug}:{org.Role}";
            });
            group.MapPost("/rules", (OrgContext org, RulesBody body) =>
            {
                reached++;
                return body.Text;
            });
        });
        var client = host.GetTestClient();

        await AssertProblemAsync(await SendAsync(client, HttpMethod.Get, $"/orgs/{slug}/rules", stranger), HttpStatusCode.NotFound, "No such organization.");
        await AssertProblemAsync(await SendAsync(client, HttpMethod.Get, $"/orgs/{slug}/rules", contributor), HttpStatusCode.Forbidden, "Your role in this organization does not allow this.");
        await AssertProblemAsync(await SendAsync(client, HttpMethod.Get, $"/orgs/{slug}/rules", null), HttpStatusCode.Unauthorized, "Sign in or send a personal access token.");
        await AssertProblemAsync(await SendAsync(client, HttpMethod.Get, "/orgs/no-such-org/rules", admin), HttpStatusCode.NotFound, "No such organization.");
        await AssertProblemAsync(await SendAsync(client, HttpMethod.Post, $"/orgs/{slug}/rules", contributor, new { text = "x" }), HttpStatusCode.Forbidden, "Your role in this organization does not allow this.");
        Assert.Equal(0, reached);

        // A request the binder already refused stays a 400, whoever sends it.
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, $"/orgs/{slug}/rules", stranger)).StatusCode);
        Assert.Equal(0, reached);

        var allowed = await SendAsync(client, HttpMethod.Get, $"/orgs/{slug.ToUpperInvariant()}/rules", reviewer);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal($"{slug}:Reviewer", await allowed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, $"/orgs/{slug}/rules", admin, new { text = "x" })).StatusCode);
        Assert.Equal(2, reached);
    }

    [Fact]
    public async Task The_innermost_RequireOrg_decides_in_both_directions()
    {
        var (slug, admin, reviewer, contributor, _) = await SeedAsync();
        await using var host = await StartAsync(web =>
        {
            var group = web.MapGroup("/orgs/{org}").RequireOrg(Role.Reviewer);
            group.MapGet("/overview", (OrgContext org) => org.Role.ToString()).RequireOrg(Role.Member);
            group.MapGet("/members", (OrgContext org) => org.Role.ToString()).RequireOrg(Role.Admin);
        });
        var client = host.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, $"/orgs/{slug}/overview", contributor)).StatusCode);
        await AssertProblemAsync(await SendAsync(client, HttpMethod.Get, $"/orgs/{slug}/members", reviewer), HttpStatusCode.Forbidden, "Your role in this organization does not allow this.");
        Assert.Equal("Admin", await (await SendAsync(client, HttpMethod.Get, $"/orgs/{slug}/members", admin)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_endpoint_that_takes_the_organization_without_RequireOrg_fails()
    {
        var (slug, admin, _, _, _) = await SeedAsync();
        var reached = false;
        await using var host = await StartAsync(web => web.MapGroup("/orgs/{org}").MapGet("/unguarded", (OrgContext org) =>
        {
            reached = true;
            return org.Organization.Name;
        }));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(host.GetTestClient(), HttpMethod.Get, $"/orgs/{slug}/unguarded", admin));
        Assert.Contains("RequireOrg", failure.Message, StringComparison.Ordinal);
        Assert.False(reached);
    }

    [Fact]
    public async Task Every_organization_operation_of_the_api_is_guarded_and_documents_its_org_parameter()
    {
        var operations = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/orgs/{org}", StringComparison.Ordinal))
            .ToList();
        Assert.True(operations.Count >= 40, $"Only {operations.Count} organization operations were found; the route table scan is broken.");
        Assert.All(operations, e => Assert.True(e.Metadata.GetMetadata<RequireOrgMetadata>() is not null, $"{e.RoutePattern.RawText} is not marked RequireOrg."));

        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var documented = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/orgs/{org}", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
                Assert.True(
                    parameters.Any(p => p.GetProperty("name").GetString() == "org" && p.GetProperty("in").GetString() == "path" && p.GetProperty("required").GetBoolean()),
                    $"{operation.Name.ToUpperInvariant()} {path.Name} does not document its org parameter.");
                documented++;
            }
        }

        Assert.Equal(operations.Sum(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Count), documented);
    }

    private sealed record RulesBody(string Text);

    private async Task<(string Slug, string Admin, string Reviewer, string Contributor, string Stranger)> SeedAsync()
    {
        var admin = await app.CreateUserAsync($"admin-{Guid.NewGuid():N}@example.org");
        var organization = await app.CreateOrganizationAsync("filter-" + Guid.NewGuid().ToString("N")[..8], admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(organization, reviewer, Role.Reviewer);
        var contributor = await app.CreateUserAsync($"contributor-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(organization, contributor, Role.Contributor);
        var stranger = await app.CreateUserAsync($"stranger-{Guid.NewGuid():N}@example.org");
        await app.CreateOrganizationAsync("own-" + Guid.NewGuid().ToString("N")[..8], stranger);
        return (organization.Slug, admin.Id, reviewer.Id, contributor.Id, stranger.Id);
    }

    /// <summary>A host with only the organization access of Rounds, over the factory's database; a header names the caller.</summary>
    private async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddRoundsDatabase(app.Services.GetRequiredService<IConfiguration>());
        builder.Services.AddScoped<OrgAccess>();
        // Organization access also sets the reader's time zone from the rows it reads.
        builder.Services.AddSingleton<Rounds.Web.Features.Shared.Time.TimeZones>();
        builder.Services.AddScoped<Rounds.Web.Features.Shared.Time.ViewerTime>();
        var web = builder.Build();
        web.Use((context, next) =>
        {
            if (context.Request.Headers[UserHeader].ToString() is { Length: > 0 } userId)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));
            }

            return next(context);
        });
        map(web);
        await web.StartAsync();
        return web;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? userId, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (userId is not null)
        {
            request.Headers.Add(UserHeader, userId);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return client.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }
}

public sealed class OrgEndpointFilterTestsOnSqlite(SqliteRounds app) : OrgEndpointFilterTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class OrgEndpointFilterTestsOnPostgres(PostgresRounds app) : OrgEndpointFilterTests(app), IClassFixture<PostgresRounds>;
