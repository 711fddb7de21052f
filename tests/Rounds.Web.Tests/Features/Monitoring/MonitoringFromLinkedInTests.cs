using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
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

        // A throttle naming the DAY limit leaves the cursor where it was, is shown on the source, and holds the comments
        // until midnight UTC: reading on demand does not call LinkedIn for them before then.
        app.LinkedIn.AddComment(post, "urn:li:person:lee", "And on Saturday?", DateTimeOffset.UtcNow);
        app.LinkedIn.Inject(Fault.RateLimited, "GET", "/rest/posts");
        var throttled = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{page}/read", null));
        Assert.Equal(0, throttled.GetProperty("newMessages").GetInt32());
        var held = (await SourcesAsync(page)).Single(s => s.GetProperty("kind").GetString() == "addressed");
        Assert.Contains("429", held.GetProperty("lastError").GetString()!, StringComparison.Ordinal);
        var midnight = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        Assert.InRange(held.GetProperty("rateLimitedUntil").GetDateTimeOffset(), midnight.AddSeconds(-5), midnight.AddSeconds(5));
        var commentReads = app.LinkedIn.PagedReads.Count;
        var later = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{page}/read", null));
        Assert.Equal(0, later.GetProperty("newMessages").GetInt32());
        Assert.Contains(later.GetProperty("errors").EnumerateArray(), e => e.GetString()!.Contains("asked Rounds to wait", StringComparison.Ordinal));
        Assert.Equal(commentReads, app.LinkedIn.PagedReads.Count);

        // The member's profile is never asked for, connected or not.
        Assert.DoesNotContain(app.LinkedIn.Requests, r => r.Contains("/in/", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{person}/read", null)).StatusCode);
    }
}

public sealed class MonitoringFromLinkedInTestsOnSqlite(LinkedInMonitoringSqlite app) : MonitoringFromLinkedInTests(app), IClassFixture<LinkedInMonitoringSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class MonitoringFromLinkedInTestsOnPostgres(LinkedInMonitoringPostgres app) : MonitoringFromLinkedInTests(app), IClassFixture<LinkedInMonitoringPostgres>;

/// <summary>
/// A throttle that names its end holds the source, in the database, until then; each class has a stand-in of its own,
/// so that no other test's comments are read here.
/// </summary>
public abstract class ThrottledSourceTests(LinkedInMonitoringRounds app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.LinkedIn.Url is null ? app.LinkedIn.InitializeAsync() : Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_throttled_source_waits_for_the_time_LinkedIn_names_across_restarts_while_other_accounts_are_read_on_schedule()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monrl-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monrl-" + suffix, admin);
        var other = await app.CreateOrganizationAsync("monrl-other-" + suffix, admin);
        var api = await app.ApiClientAsync(admin);
        async Task<Guid> PageAsync(Rounds.Web.Tenancy.Organization organization, string name)
        {
            var id = await app.WithScopeAsync(async services =>
            {
                var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, organization, admin),
                    new AccountInput("linkedin", $"https://www.linkedin.com/company/{name}-{suffix}", Kind: "enterprise", Status: "active"));
                Assert.True(created.Succeeded, created.Status.Message);
                return created.Value!.Id;
            });
            var connected = await api.PostAsJsonAsync($"/api/v1/orgs/{organization.Slug}/accounts/{id}/connection",
                new { service = "https://api.linkedin.com/", identifier = LinkedInStandIn.Organization, secret = LinkedInStandIn.Token });
            Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
            return id;
        }

        var throttledPage = await PageAsync(org, "eastside");
        var otherPage = await PageAsync(other, "westside");
        // Whole seconds, as both databases keep the times.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var post = app.LinkedIn.Seed("Walk-in vaccines on Friday.", now.AddHours(-1));
        var kim = app.LinkedIn.AddComment(post, "urn:li:person:kim", "Do I need an appointment?", now.AddMinutes(-30));
        Task<bool> FiledAsync(Guid accountId) => app.WithScopeAsync(services =>
            services.GetRequiredService<RoundsDbContext>().Set<Message>().AnyAsync(m => m.AccountId == accountId && m.NetworkId == kim.Urn));

        // Each round runs in a scope of its own with the same clock, as after a restart: only the database remembers.
        var clock = new FakeTimeProvider(now);
        Task<IngestSummary> RoundAsync(Guid accountId) => app.WithScopeAsync(async services =>
        {
            var account = await services.GetRequiredService<Rounds.Web.Features.Accounts.Contracts.IAccountDirectory>().Cards.SingleAsync(a => a.Id == accountId);
            return await ActivatorUtilities.CreateInstance<IngestAccount>(services, (TimeProvider)clock).RunAsync(account);
        });
        Task<MonitoringSource> AddressedAsync(Guid accountId) => app.WithScopeAsync(services =>
            services.GetRequiredService<RoundsDbContext>().Set<MonitoringSource>().AsNoTracking().SingleAsync(s => s.AccountId == accountId && s.Kind == SourceKind.Addressed));

        // LinkedIn's gateway throttles the page's comments and says to come back in five minutes; its own posts still read.
        app.LinkedIn.RetryAfterSeconds = 300;
        try
        {
            app.LinkedIn.Inject(Fault.RateLimited, "GET", "/rest/posts");
            var throttled = await RoundAsync(throttledPage);
            Assert.Equal(0, throttled.NewMessages);
        }
        finally
        {
            app.LinkedIn.RetryAfterSeconds = null;
        }

        var hold = await AddressedAsync(throttledPage);
        Assert.Equal(now.AddMinutes(5), hold.RateLimitedUntil);
        Assert.Contains("429", hold.LastError, StringComparison.Ordinal);

        // A minute later: the throttled source is not called, the other account's is, and files its comment.
        clock.Advance(TimeSpan.FromMinutes(1));
        var reads = app.LinkedIn.PagedReads.Count;
        var waiting = await RoundAsync(throttledPage);
        Assert.Equal(0, waiting.NewMessages);
        Assert.Equal(reads, app.LinkedIn.PagedReads.Count);
        Assert.False(await FiledAsync(throttledPage));
        Assert.Equal(1, (await RoundAsync(otherPage)).NewMessages);
        Assert.True(await FiledAsync(otherPage));
        Assert.True(app.LinkedIn.PagedReads.Count > reads);
        Assert.Null((await AddressedAsync(otherPage)).RateLimitedUntil);

        // The account page says until when.
        var sources = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{throttledPage}/sources")).GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(hold.RateLimitedUntil, sources.Single(s => s.GetProperty("kind").GetString() == "addressed").GetProperty("rateLimitedUntil").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, sources.Single(s => s.GetProperty("kind").GetString() == "posts").GetProperty("rateLimitedUntil").ValueKind);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var table = (await pages.GetAsync($"/o/{org.Slug}/accounts/{throttledPage}")).QuerySelector("#monitoring-sources")!.TextContent;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(table, "Rate limited until"));

        // Just before the time, still held; at it, read again, the comment filed and the hold gone.
        clock.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await RoundAsync(throttledPage)).NewMessages);
        Assert.Equal(now.AddMinutes(5), (await AddressedAsync(throttledPage)).RateLimitedUntil);
        Assert.False(await FiledAsync(throttledPage));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await RoundAsync(throttledPage)).NewMessages);
        Assert.True(await FiledAsync(throttledPage));
        // LinkedIn gives no member's name: the commenter is shown as a LinkedIn member, the URN kept as the author's id.
        await app.WithScopeAsync(async services =>
        {
            var filed = await services.GetRequiredService<RoundsDbContext>().Set<Message>().SingleAsync(m => m.AccountId == throttledPage && m.NetworkId == kim.Urn);
            Assert.Equal(("urn:li:person:kim", "LinkedIn member"), (filed.AuthorId, filed.AuthorHandle));
        });
        var released = await AddressedAsync(throttledPage);
        Assert.Null(released.RateLimitedUntil);
        Assert.Equal("", released.LastError);
    }
}

public sealed class LinkedInThrottleSqlite() : LinkedInMonitoringRounds(TestDatabase.Sqlite);

[Trait("Database", "PostgreSQL")]
public sealed class LinkedInThrottlePostgres() : LinkedInMonitoringRounds(TestDatabase.PostgreSql);

public sealed class ThrottledSourceTestsOnSqlite(LinkedInThrottleSqlite app) : ThrottledSourceTests(app), IClassFixture<LinkedInThrottleSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class ThrottledSourceTestsOnPostgres(LinkedInThrottlePostgres app) : ThrottledSourceTests(app), IClassFixture<LinkedInThrottlePostgres>;
