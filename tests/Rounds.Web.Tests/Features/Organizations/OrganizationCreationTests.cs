using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>An instance where only its operators create organizations.</summary>
public sealed class OperatorsCreateRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    public const string Operator = "founder@rounds.example";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Organizations:Creation", "operators");
        builder.UseSetting("Rounds:Operators:0", Operator);
    }
}

public sealed class OrganizationCreationTests(OperatorsCreateRounds app) : IClassFixture<OperatorsCreateRounds>
{
    private static string NewSlug() => "made-" + Guid.NewGuid().ToString("N")[..10];

    private Task<bool> ExistsAsync(string slug) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Organizations.AnyAsync(o => o.Slug == slug));

    [Fact]
    public async Task Only_operators_create_organizations_through_the_api()
    {
        var stranger = await app.CreateUserAsync($"stranger-{Guid.NewGuid():N}@example.org");
        var slug = NewSlug();

        var refused = await (await app.ApiClientAsync(stranger)).PostAsJsonAsync("/api/v1/orgs", new { name = "Mine", slug });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(OrganizationSettings.OperatorsOnlyMessage, problem.GetProperty("detail").GetString());
        Assert.False(await ExistsAsync(slug));

        var founder = await app.CreateUserAsync(OperatorsCreateRounds.Operator);
        var created = await (await app.ApiClientAsync(founder)).PostAsJsonAsync("/api/v1/orgs", new { name = "Operated", slug });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task The_page_explains_instead_of_creating()
    {
        var stranger = await app.CreateUserAsync($"stranger-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        await session.LoginAsync(stranger.Email!);

        var page = await session.GetAsync("/organizations/new");

        Assert.Contains(OrganizationSettings.OperatorsOnlyMessage, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form input[name='Input.Slug']"));
    }

    [Theory]
    [InlineData("Production", null, true)]
    [InlineData("Staging", null, true)]
    [InlineData("Development", null, false)]
    [InlineData("Production", "anyone", false)]
    [InlineData("Development", "operators", true)]
    public void Operators_only_unless_set_outside_development(string environment, string? setting, bool operatorsOnly)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [OrganizationCreation.Setting] = setting }).Build();

        Assert.Equal(operatorsOnly, OrganizationCreation.From(configuration, new Environment(environment)).OperatorsOnly);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Rounds";

        public string ContentRootPath { get; set; } = "";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
