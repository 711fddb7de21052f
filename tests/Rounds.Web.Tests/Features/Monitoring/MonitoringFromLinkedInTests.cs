using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rounds.Networks;
using Rounds.Networks.Ingestion;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Rounds whose calls to api.linkedin.com reach a stand-in of LinkedIn's API instead: the connectors and readers are
/// the ones Rounds makes, at LinkedIn's own address, and only the transport underneath is pointed elsewhere.
/// </summary>
public class LinkedInMonitoringRounds(TestDatabase database) : RoundsFactory(database)
{
    public LinkedInStandIn LinkedIn { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IConnectorFactory>(sp =>
            new ThroughStandIn(ActivatorUtilities.CreateInstance<LibraryConnectorFactory>(sp), new HttpClient(new ToStandIn(this)), sp.GetRequiredService<TimeProvider>()))));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            LinkedIn.DisposeAsync().GetAwaiter().GetResult();
        }
    }

    private sealed class ThroughStandIn(IConnectorFactory others, HttpClient linkedIn, TimeProvider clock) : IConnectorFactory
    {
        public IReadOnlyCollection<string> Networks => others.Networks;

        public INetworkConnector Create(string network, NetworkCredentials credentials) =>
            network == "linkedin" ? Connectors.Create(network, credentials, linkedIn, clock) : others.Create(network, credentials);

        public IPostSource? CreateReader(string network, NetworkCredentials credentials) =>
            network == "linkedin" ? Connectors.CreateReader(network, credentials, linkedIn, clock) : others.CreateReader(network, credentials);
    }

    /// <summary>Sends what is addressed to api.linkedin.com to the stand-in, and nothing anywhere else.</summary>
    private sealed class ToStandIn(LinkedInMonitoringRounds app) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("api.linkedin.com", request.RequestUri!.Host);
            request.RequestUri = new UriBuilder(request.RequestUri) { Scheme = app.LinkedIn.Url.Scheme, Host = app.LinkedIn.Url.Host, Port = app.LinkedIn.Url.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}

public sealed class LinkedInMonitoringSqlite() : LinkedInMonitoringRounds(TestDatabase.Sqlite);

public sealed class LinkedInMonitoringPostgres() : LinkedInMonitoringRounds(TestDatabase.PostgreSql);

/// <summary>
/// Monitoring a LinkedIn organization page: impossible until it is connected, then its posts are screened and the
/// comments on them become a conversation in which the page's own comment is its answer; a personal profile is never read.
/// </summary>
[Trait("Network", "LinkedIn")]
public abstract class MonitoringFromLinkedInTests(LinkedInMonitoringRounds app) : IAsyncLifetime
{
    private const string Dana = "urn:li:person:dAnA7788";

    public async Task InitializeAsync()
    {
        if (app.LinkedIn.Url is null)
        {
            await app.LinkedIn.InitializeAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_connected_organization_page_is_polled_its_posts_screened_and_its_comments_filed_with_its_own_answers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monli-{suffix}@example.org");
        var backup = await app.CreateUserAsync($"monli-backup-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monli-" + suffix, admin);
        await app.AddMemberAsync(org, backup, Role.Reviewer);
        var (page, person) = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var registry = services.GetRequiredService<AccountRegistry>();
            var created = await registry.CreateAsync(context, new AccountInput("linkedin", $"https://www.linkedin.com/company/northfield-{suffix}", Kind: "enterprise", Status: "active"));
            var member = await registry.CreateAsync(context, new AccountInput("linkedin", $"https://www.linkedin.com/in/avery-{suffix}", Kind: "individual-professional", Owners: admin.Email, Backup: backup.Email, Status: "active"));
            Assert.True(created.Succeeded && member.Succeeded, created.Status.Message + member.Status.Message);
            return (created.Value!.Id, member.Value!.Id);
        });
        var api = await app.ApiClientAsync(admin);
        async Task<List<JsonElement>> SourcesAsync(Guid account) =>
            [.. (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{account}/sources")).GetProperty("sources").EnumerateArray()];

        // Not connected: LinkedIn lets nothing be read without a page admin's token, and says so.
        var unconnected = await SourcesAsync(page);
        Assert.Equal(["impossible", "impossible"], unconnected.Select(s => s.GetProperty("mode").GetString()));
        Assert.All(unconnected, s => Assert.Contains("connect the account", s.GetProperty("explanation").GetString(), StringComparison.Ordinal));
        Assert.All(await SourcesAsync(person), s => Assert.Contains("personal profile", s.GetProperty("explanation").GetString(), StringComparison.Ordinal));

        var now = DateTimeOffset.UtcNow;
        var post = app.LinkedIn.Seed("Flu shots all week at the Eastside campus.", now.AddHours(-3));
        var blocked = app.LinkedIn.Seed("Mr. Dabrowski (MRN 7730184) went home today!", now.AddHours(-2));
        var question = app.LinkedIn.AddComment(post, Dana, "Is it open on Sunday?", now.AddMinutes(-90));
        var answer = app.LinkedIn.AddComment(post, LinkedInStandIn.Organization, "Yes, 9 to 1.", now.AddMinutes(-60), replyTo: question);

        var connected = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{page}/connection",
            new { service = "https://api.linkedin.com/", identifier = LinkedInStandIn.Organization, secret = LinkedInStandIn.Token });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
        var polled = await SourcesAsync(page);
        Assert.Equal(["polled", "polled"], polled.Select(s => s.GetProperty("mode").GetString()));
        Assert.Contains("comments", polled[1].GetProperty("explanation").GetString(), StringComparison.Ordinal);

        var first = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{page}/read", null));
        Assert.Equal((2, 2), (first.GetProperty("newMessages").GetInt32(), first.GetProperty("newAlerts").GetInt32()));
        var again = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{page}/read", null));
        Assert.Equal((0, 0), (again.GetProperty("newMessages").GetInt32(), again.GetProperty("newAlerts").GetInt32()));

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var conversation = await db.Set<Conversation>().SingleAsync(c => c.AccountId == page);
            Assert.Equal((post.Urn, "linkedin"), (conversation.RootId, conversation.Network));
            // The page answered after the question: nothing waits.
            Assert.Null(conversation.WaitingSince);
            var messages = await db.Set<Message>().Where(m => m.AccountId == page).OrderBy(m => m.PostedAt).Select(m => new { m.NetworkId, m.Inbound }).ToListAsync();
            Assert.Equal([(question.Urn, true), (answer.Urn, false)], messages.Select(m => (m.NetworkId, m.Inbound)));
            Assert.Equal(["MRN", "NAME"], await db.Set<MonitoringAlert>().Where(a => a.AccountId == page).Select(a => a.FindingType).OrderBy(t => t).ToListAsync());
            Assert.All(await db.Set<MonitoringAlert>().Where(a => a.AccountId == page).ToListAsync(), a => Assert.Equal(blocked.Urn, a.PostId));
            var sources = await db.Set<MonitoringSource>().Where(s => s.AccountId == page).ToListAsync();
            Assert.All(sources, s => Assert.Equal((LinkedInStandIn.Organization, ""), (s.NetworkAccountId, s.LastError)));
        });

        // A later comment nobody answered waits; a throttle leaves the cursor where it was and is shown on the source.
        app.LinkedIn.AddComment(post, "urn:li:person:lee", "And on Saturday?", DateTimeOffset.UtcNow);
        app.LinkedIn.Inject(Fault.RateLimited, "GET", "/rest/posts");
        var throttled = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{page}/read", null));
        Assert.Equal(0, throttled.GetProperty("newMessages").GetInt32());
        Assert.Contains(await SourcesAsync(page), s => s.GetProperty("lastError").GetString()!.Contains("429", StringComparison.Ordinal));
        var later = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{page}/read", null));
        Assert.Equal(1, later.GetProperty("newMessages").GetInt32());
        var inbox = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations?waiting=true")).EnumerateArray().ToList();
        Assert.Equal("urn:li:person:lee", Assert.Single(inbox).GetProperty("from").GetString());

        // The member's profile is never asked for, connected or not.
        Assert.DoesNotContain(app.LinkedIn.Requests, r => r.Contains("/in/", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{person}/read", null)).StatusCode);
    }
}

public sealed class MonitoringFromLinkedInTestsOnSqlite(LinkedInMonitoringSqlite app) : MonitoringFromLinkedInTests(app), IClassFixture<LinkedInMonitoringSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class MonitoringFromLinkedInTestsOnPostgres(LinkedInMonitoringPostgres app) : MonitoringFromLinkedInTests(app), IClassFixture<LinkedInMonitoringPostgres>;
