using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Host;

/// <summary><c>./rounds migrate</c> and <c>./rounds token create</c>: administration without the web server.</summary>
public static class AdminCommands
{
    private const string Usage = """
        Usage:
          rounds migrate
          rounds token create --email EMAIL [--org SLUG] [--name NAME]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var isToken = args[0] == "token";
        if (isToken && args.ElementAtOrDefault(1) != "create")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var (options, hostArgs) = SplitOptions(args[(isToken ? 2 : 1)..]);
        var builder = WebApplication.CreateBuilder(hostArgs);
        // Commands must not create demo data or migrate as a side effect of starting the host.
        builder.Configuration["Demo:Enabled"] = "false";
        RoundsApp.ConfigureServices(builder);

        // What a command prints on standard output is its result (a token is captured with $(…)); logs go to stderr.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;

        switch (args[0])
        {
            case "migrate":
                var db = services.GetRequiredService<RoundsDbContext>();
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                await db.Database.MigrateAsync();
                Console.WriteLine(pending.Count == 0 ? "The database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
                return 0;
            default:
                return await CreateTokenAsync(services, options);
        }
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        if (!options.TryGetValue("email", out var email))
        {
            await Console.Error.WriteLineAsync("--email is required.\n" + Usage);
            return 2;
        }

        var db = services.GetRequiredService<RoundsDbContext>();
        await db.Database.MigrateAsync();
        var normalized = email.Trim().ToUpperInvariant();
        var user = await db.People().FirstOrDefaultAsync(p => p.NormalizedEmail == normalized);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"No person has the address {email}.");
            return 1;
        }

        Guid? organizationId = null;
        if (options.TryGetValue("org", out var slug))
        {
            var org = await (from o in db.Organizations
                             join m in db.OrganizationMembers on o.Id equals m.OrganizationId
                             where o.Slug == slug.ToLowerInvariant() && m.UserId == user.Id
                             select o).FirstOrDefaultAsync();
            if (org is null)
            {
                await Console.Error.WriteLineAsync($"{email} is not a member of an organization '{slug}'.");
                return 1;
            }

            organizationId = org.Id;
        }

        var name = options.GetValueOrDefault("name") ?? "command line";
        Console.WriteLine(await services.GetRequiredService<ISignIns>().MintTokenAsync(user.Id, name, organizationId));
        await Console.Error.WriteLineAsync("This token is shown once. Send it as 'Authorization: Bearer <token>'.");
        return 0;
    }

    /// <summary>Takes out <c>--email x</c>-style options; the rest goes to the host (e.g. <c>--ConnectionStrings:Rounds=…</c>).</summary>
    private static (Dictionary<string, string> Options, string[] HostArgs) SplitOptions(string[] args)
    {
        string[] known = ["--email", "--org", "--name"];
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (known.Contains(args[i]) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (options, rest.ToArray());
    }
}
