using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Host;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Operations;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary><c>./rounds migrate</c> and <c>./rounds token create</c> against the same database the app uses.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommandLineTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task Migrate_brings_an_empty_database_up_to_date()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rounds-migrate-{Guid.NewGuid():N}.db");
        var (code, output, _) = await RunAsync("migrate", $"--ConnectionStrings:Rounds=Data Source={file}");
        Assert.Equal(0, code);
        Assert.Contains("Applied", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("migrate", $"--ConnectionStrings:Rounds=Data Source={file}");
        Assert.Equal(0, code);
        Assert.Contains("up to date", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_prints_a_working_token_once()
    {
        var user = await app.CreateUserAsync($"cli-{Guid.NewGuid():N}@example.org");
        var org = await app.CreateOrganizationAsync("cli-" + Guid.NewGuid().ToString("N")[..8], user);
        var connection = await app.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<RoundsDbContext>().Database.GetConnectionString()!));

        var (code, output, _) = await RunAsync("token", "create", "--email", user.Email!, "--org", org.Slug, $"--ConnectionStrings:Rounds={connection}");
        Assert.Equal(0, code);
        var token = output.Trim();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/orgs/{org.Slug}")).StatusCode);

        var (unknownCode, _, error) = await RunAsync("token", "create", "--email", "nobody@example.org", $"--ConnectionStrings:Rounds={connection}");
        Assert.Equal(1, unknownCode);
        Assert.Contains("No person has the address", error, StringComparison.Ordinal);
        var (usageCode, _, usage) = await RunAsync("token", "make");
        Assert.Equal(2, usageCode);
        Assert.Contains("Usage", usage, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var (originalOut, originalError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await AdminCommands.RunAsync([.. args, "--Logging:LogLevel:Default=Warning"]);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
