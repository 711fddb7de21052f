using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Demo.Contracts;

namespace Rounds.Web.Host;

/// <summary><c>./rounds migrate</c>, <c>./rounds token create</c> and <c>./rounds seed</c>: administration without the web server.</summary>
public static class AdminCommands
{
    private const string Usage = """
        Usage:
          rounds migrate
          rounds token create --email EMAIL [--org SLUG] [--name NAME]
          rounds seed [--posts N] [--accounts N] [--audit N] [--conversations N] [--org SLUG]
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
        services.GetRequiredService<RoundsDbContext>().Database.SetCommandTimeout(DatabaseSetup.MaintenanceTimeout);

        switch (args[0])
        {
            case "migrate":
                var db = services.GetRequiredService<RoundsDbContext>();
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                await db.Database.MigrateAsync();
                foreach (var repair in services.GetServices<Rounds.Web.Features.Shared.IDataRepair>())
                {
                    await repair.RepairAsync();
                }

                Console.WriteLine(pending.Count == 0 ? "The database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
                return 0;
            case "seed":
                return await SeedAsync(services, options);
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

    /// <summary>
    /// Fills an organization with a health system's worth of data (docs/decisions/0026-bounded-work-per-request.md).
    /// The demo organization is created first when it is the one asked for and does not exist yet.
    /// </summary>
    private static async Task<int> SeedAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        int Count(string name, int fallback) =>
            options.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

        int posts, accounts, audit, conversations;
        try
        {
            posts = Count("posts", 10_000);
            accounts = Count("accounts", 150);
            audit = Count("audit", posts);
            conversations = Count("conversations", posts / 10);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync("--posts, --accounts, --audit and --conversations take a whole number.\n" + Usage);
            return 2;
        }

        var db = services.GetRequiredService<RoundsDbContext>();
        await db.Database.MigrateAsync();
        var slug = options.GetValueOrDefault("org")?.ToLowerInvariant() ?? "northfield";
        if (slug == "northfield")
        {
            await services.GetRequiredService<IDemo>().SeedAsync();
        }

        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug);
        if (org is null)
        {
            await Console.Error.WriteLineAsync($"There is no organization '{slug}'.");
            return 1;
        }

        var members = await (from m in db.OrganizationMembers
                             join u in db.People() on m.UserId equals u.Id
                             where m.OrganizationId == org.Id
                             select new SeedMember(u.Id, u.Email ?? "", u.DisplayName, m.Role)).ToListAsync();
        var plan = new SeedPlan(org.Id, members, posts, accounts, audit, DateTimeOffset.UtcNow, Conversations: conversations);
        var clock = Stopwatch.StartNew();
        // Rows go straight to the database; nothing is tracked, so memory stays flat whatever the level.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.Database.OpenConnectionAsync();
        if (db.Database.IsSqlite())
        {
            // Random ids land all over the primary-key B-trees: a large page cache keeps them in memory, and a
            // seed interrupted by a crash is simply run again, so the journal need not reach the disk each commit.
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -262144; PRAGMA synchronous = OFF;");
        }

        foreach (var area in services.GetServices<ISeedData>().OrderBy(a => a.Order))
        {
            await area.SeedAsync(plan);
        }

        Console.WriteLine($"Seeded {org.Slug}: {posts} posts, {accounts} accounts, {audit} audit entries, {conversations} conversations in {clock.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }

    /// <summary>Takes out <c>--email x</c>-style options; the rest goes to the host (e.g. <c>--ConnectionStrings:Rounds=…</c>).</summary>
    private static (Dictionary<string, string> Options, string[] HostArgs) SplitOptions(string[] args)
    {
        string[] known = ["--email", "--org", "--name", "--posts", "--accounts", "--audit", "--conversations"];
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
