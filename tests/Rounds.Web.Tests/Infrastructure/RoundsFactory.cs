using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Identity.Tokens;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Tests.Infrastructure;

public enum TestDatabase
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Rounds hosted in the test process against a real database of its own: a fresh SQLite file, or a fresh
/// database in the throwaway PostgreSQL cluster. Mail goes to a private folder the tests read.
/// </summary>
public class RoundsFactory(TestDatabase database) : WebApplicationFactory<Program>
{
    public const string Password = "Correct-horse-42";

    private readonly string folder = Directory.CreateTempSubdirectory("rounds-test-").FullName;
    // A host derived with WithWebHostBuilder runs this factory's configuration again, with a database of its own.
    private readonly System.Collections.Concurrent.ConcurrentBag<string> postgresDatabases = [];

    public TestDatabase Database { get; } = database;

    /// <summary>The TXT records that prove email domains; no test asks real DNS.</summary>
    public DomainTxtRecords Dns { get; } = new();

    public string MailFolder => Path.Combine(folder, "mail");

    /// <summary>
    /// <c>Rounds:PublicUrl</c>, where links in mail point: the test client's own address. Null leaves it unset, so
    /// that in Development links point at the address the server listens on (a real port for the browser).
    /// </summary>
    public string? PublicUrl { get; set; } = "http://localhost";

    /// <summary>Sign-in posts allowed per minute; the rate-limit test lowers it.</summary>
    protected virtual int SignInPerMinute => 10_000;

    /// <summary>Pages rendered at once; null keeps the product's default, which every other test runs under.</summary>
    protected virtual int? PagesAtOnce => null;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var connection = Database == TestDatabase.Sqlite
            ? $"Data Source={Path.Combine(folder, "rounds.db")}"
            : PostgresDatabase();
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", Database == TestDatabase.Sqlite ? "Sqlite" : "PostgreSql");
        builder.UseSetting("ConnectionStrings:Rounds", connection);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Mail:MailboxPath", MailFolder);
        builder.UseSetting("Publishing:VideoPath", Path.Combine(folder, "videos"));
        if (PublicUrl is not null)
        {
            builder.UseSetting("Rounds:PublicUrl", PublicUrl);
        }

        builder.UseSetting("RateLimits:SignInPerMinute", SignInPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (PagesAtOnce is { } pages)
        {
            builder.UseSetting("RateLimits:PagesAtOnce", pages.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        // Tests run publishing cycles themselves, at times of their choosing.
        builder.UseSetting("Publishing:Enabled", "false");
        // Tests read monitored accounts themselves; the rounds would otherwise call the public Bluesky service.
        builder.UseSetting("Rounds:Monitoring:Ingestion", "false");
        // The Bluesky PDS and other stand-ins of networks run on loopback.
        builder.UseSetting("Rounds:Networks:AllowPrivateAddresses", "true");
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IDomainTxtLookup>(Dns));
            // A pooled context keeps its loggers, which check for listeners at most once a second; a test that starts
            // a SqlCommandLog and sends its request at once would otherwise miss the first commands.
            services.ConfigureDbContext<Rounds.Web.Data.SqliteRoundsDbContext>(o => o.ConfigureLoggingCacheTime(TimeSpan.Zero));
            services.ConfigureDbContext<Rounds.Web.Data.PostgresRoundsDbContext>(o => o.ConfigureLoggingCacheTime(TimeSpan.Zero));
        });
    }

    private string PostgresDatabase()
    {
        var connection = PostgresCluster.Instance.CreateDatabase();
        postgresDatabases.Add(connection);
        return connection;
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task WithScopeAsync(Func<IServiceProvider, Task> action) =>
        WithScopeAsync<bool>(async services =>
        {
            await action(services);
            return true;
        });

    /// <summary>A person with a confirmed address, as after registering and clicking the link.</summary>
    public Task<User> CreateUserAsync(string email, string? name = null, bool confirmed = true) => WithScopeAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = email, Email = email, EmailConfirmed = confirmed, DisplayName = name ?? email.Split('@')[0] };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    });

    /// <summary>An organization whose first admin is <paramref name="admin"/>; two-factor is not demanded unless asked.</summary>
    public Task<Organization> CreateOrganizationAsync(string slug, User admin, bool requireTwoFactor = false) => WithScopeAsync(async services =>
    {
        var created = await services.GetRequiredService<OrganizationSettings>().CreateAsync(slug + " Health", slug, admin.Id);
        Assert.True(created.Succeeded, created.Status.Message);
        var db = services.GetRequiredService<RoundsDbContext>();
        var organization = await db.Organizations.FindAsync(created.Value!.Id);
        organization!.RequireTwoFactorForStaff = requireTwoFactor;
        await db.SaveChangesAsync();
        return organization;
    });

    /// <summary>Claims an email domain for the organization and proves it with its TXT record, as its admin would.</summary>
    public Task<OrganizationDomain> AddVerifiedDomainAsync(Organization organization, User admin, string domain) => WithScopeAsync(async services =>
    {
        var settings = services.GetRequiredService<OrganizationSettings>();
        var org = await ContextAsync(services, organization, admin);
        var added = await settings.AddDomainAsync(org, domain);
        Assert.True(added.Succeeded, added.Status.Message);
        Dns.Publish(domain, added.Value!.TxtRecord);
        var verified = await settings.VerifyDomainAsync(org, added.Value.Id);
        Assert.True(verified.Succeeded, verified.Status.Message);
        return verified.Value!;
    });

    public Task AddMemberAsync(Organization organization, User user, Role role) => WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = organization.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
    });

    /// <summary>The organization as its admin sees it, for calling use cases directly in a test's set-up.</summary>
    public static async Task<OrgContext> ContextAsync(IServiceProvider services, Organization organization, User user)
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var membership = await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == organization.Id && m.UserId == user.Id);
        return new OrgContext(organization, membership, user.Id);
    }

    public Task<string> MintTokenAsync(User user, Guid? organizationId = null) => WithScopeAsync(async services =>
        (await services.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, "test", organizationId, null)).Secret);

    /// <summary>An HTTP client that calls the API as <paramref name="user"/> with a fresh personal access token.</summary>
    public async Task<HttpClient> ApiClientAsync(User user, Guid? organizationId = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await MintTokenAsync(user, organizationId));
        return client;
    }

    public IReadOnlyList<string> MailTo(string email) =>
        Directory.Exists(MailFolder)
            ? Directory.EnumerateFiles(MailFolder, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).Where(m => m.Contains(email, StringComparison.OrdinalIgnoreCase)).ToList()
            : [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            foreach (var database in postgresDatabases)
            {
                PostgresCluster.Instance.DropDatabase(database);
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the folder is temporary anyway.
            }
        }
    }
}

public sealed class SqliteRounds() : RoundsFactory(TestDatabase.Sqlite);

public sealed class PostgresRounds() : RoundsFactory(TestDatabase.PostgreSql);

public static class HttpAssert
{
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
