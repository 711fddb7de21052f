using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Monitoring a Mastodon account against a stand-in that follows the published API: its own statuses are read
/// from the server its handle names without sign-in and screened with its bio; what is addressed to it becomes
/// readable, filtered notification requests included, once the account is connected.
/// </summary>
[Trait("Network", "Mastodon")]
public abstract class MonitoringFromMastodonTests(RoundsFactory app) : IAsyncLifetime
{
    private readonly MastodonStandIn instance = new();

    public Task InitializeAsync() => instance.InitializeAsync();

    public Task DisposeAsync() => instance.DisposeAsync();

    [Fact]
    public async Task Own_statuses_are_read_and_screened_without_sign_in_and_mentions_once_the_account_is_connected()
    {
        var server = $"m{Guid.NewGuid():N}"[..12] + ".example";
        app.Services.GetRequiredService<IConfiguration>()[$"{PostSources.MastodonInstancesSetting}:{server}"] = instance.Url.ToString();
        instance.Domain = server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monmasto-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monmasto-" + suffix, admin);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("mastodon", $"@{MastodonStandIn.Username}@{server}", Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var api = await app.ApiClientAsync(admin);

        var own = instance.Seed("Flu clinic Saturday at the Eastside campus.", DateTimeOffset.UtcNow.AddMinutes(-10));
        var blocked = instance.Seed("Mr. Dabrowski (MRN 7730184) went home today!", DateTimeOffset.UtcNow.AddMinutes(-5));
        var patient = instance.AddAccount("worried_parent", "");
        instance.Mention(patient, "@northfield is the flu clinic open to children?", inReplyTo: own.Id);

        // Not connected: the account's own statuses are public, its mentions are not.
        var sources = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/sources");
        Assert.Equal(["polled", "impossible"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
        var first = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read", null));
        Assert.Equal((2, 0), (first.GetProperty("read").GetInt32(), first.GetProperty("newMessages").GetInt32()));
        Assert.Equal(2, first.GetProperty("newAlerts").GetInt32());
        Assert.DoesNotContain(instance.Requests, r => r.Contains("/api/v1/notifications", StringComparison.Ordinal));

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(["MRN", "NAME"], await db.Set<MonitoringAlert>().Where(a => a.AccountId == accountId).Select(a => a.FindingType).OrderBy(t => t).ToListAsync());
            Assert.All(await db.Set<MonitoringAlert>().Where(a => a.AccountId == accountId).ToListAsync(), a => Assert.Equal(blocked.Id, a.PostId));
            var source = await db.Set<MonitoringSource>().SingleAsync(s => s.AccountId == accountId && s.Kind == Rounds.Networks.Ingestion.SourceKind.Posts);
            Assert.Equal((MastodonStandIn.AccountId, blocked.Id), (source.NetworkAccountId, source.Cursor));
            Assert.Contains("press@northfield.example", source.Bio, StringComparison.Ordinal);
        });

        // Connected: the token reads the mention notifications, and the patient's question reaches the inbox once.
        var connected = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{accountId}/connection", new { service = instance.Url.ToString(), identifier = MastodonStandIn.Username, secret = MastodonStandIn.Token });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
        sources = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/sources");
        Assert.Equal(["polled", "polled"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
        var second = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read", null));
        Assert.Equal((1, 0), (second.GetProperty("newMessages").GetInt32(), second.GetProperty("newAlerts").GetInt32()));
        var again = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read", null));
        Assert.Equal((0, 0), (again.GetProperty("newMessages").GetInt32(), again.GetProperty("newAlerts").GetInt32()));
        var inbox = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations")).EnumerateArray().ToList();
        Assert.Equal("worried_parent", Assert.Single(inbox).GetProperty("from").GetString());
    }

    [Fact]
    public async Task Authors_whose_handle_carries_the_organizations_name_are_proposed_once_and_added_as_unregistered_or_dismissed_for_good()
    {
        var server = $"c{Guid.NewGuid():N}"[..12] + ".example";
        app.Services.GetRequiredService<IConfiguration>()[$"{PostSources.MastodonInstancesSetting}:{server}"] = instance.Url.ToString();
        instance.Domain = server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"moncand-{suffix}@example.org");
        var member = await app.CreateUserAsync($"moncand-member-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("moncand-" + suffix, admin);
        await app.AddMemberAsync(org, member, Role.Member);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Organizations.SingleAsync(o => o.Id == org.Id)).Name = "Northfield Health";
            await db.SaveChangesAsync();
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("mastodon", $"@{MastodonStandIn.Username}@{server}", Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var api = await app.ApiClientAsync(admin);
        Assert.True((await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{accountId}/connection", new { service = instance.Url.ToString(), identifier = MastodonStandIn.Username, secret = MastodonStandIn.Token })).IsSuccessStatusCode);

        var peds = instance.AddAccount("northfield_peds", "");
        var oldPage = instance.AddAccount("NorthfieldER", "");
        var parent = instance.AddAccount("worried_parent", "");
        instance.Mention(peds, "@northfield our ward is hiring!");
        instance.Mention(peds, "@northfield see you at the fair");
        instance.Mention(oldPage, "@northfield we moved to a new account");
        instance.Mention(parent, "@northfield is the clinic open?");
        await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read", null));

        // Two authors carry the name; the parent does not. Seen twice is counted, not proposed twice.
        var proposed = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/candidates")).EnumerateArray().ToDictionary(c => c.GetProperty("handle").GetString()!);
        Assert.Equal(new[] { $"@NorthfieldER@{server}", $"@northfield_peds@{server}" }.Order(), proposed.Keys.Order());
        Assert.Equal(2, proposed[$"@northfield_peds@{server}"].GetProperty("timesSeen").GetInt32());

        // A member may look, not decide; a decision changes nothing for them.
        var memberApi = await app.ApiClientAsync(member);
        Assert.Equal(HttpStatusCode.Forbidden, (await memberApi.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/candidates/{proposed[$"@northfield_peds@{server}"].GetProperty("id").GetGuid()}/add", null)).StatusCode);

        var added = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/candidates/{proposed[$"@northfield_peds@{server}"].GetProperty("id").GetGuid()}/add", null));
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/candidates/{proposed[$"@NorthfieldER@{server}"].GetProperty("id").GetGuid()}/dismiss", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/candidates/{proposed[$"@NorthfieldER@{server}"].GetProperty("id").GetGuid()}/add", null)).StatusCode);
        await app.WithScopeAsync(async services =>
        {
            var account = await services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().SingleAsync(a => a.Id == added.GetProperty("accountId").GetGuid());
            Assert.Equal((Rounds.Web.Features.Accounts.Contracts.AccountStatus.Unregistered, $"northfield_peds@{server}"), (account.Status, account.NormalizedHandle));
        });

        // Both write again: neither comes back as a proposal.
        instance.Mention(peds, "@northfield again");
        instance.Mention(oldPage, "@northfield again");
        await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read", null));
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/candidates")).EnumerateArray());
        var all = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/candidates?includeDecided=true")).EnumerateArray().ToDictionary(c => c.GetProperty("handle").GetString()!, c => c.GetProperty("state").GetString());
        Assert.Equal("added", all[$"@northfield_peds@{server}"]);
        Assert.Equal("dismissed", all[$"@NorthfieldER@{server}"]);
    }

    [Fact]
    public async Task Mentions_arrive_from_the_notification_stream_within_seconds_and_a_break_is_filled_by_one_poll_without_duplicates()
    {
        var server = $"s{Guid.NewGuid():N}"[..12] + ".example";
        app.Services.GetRequiredService<IConfiguration>()[$"{PostSources.MastodonInstancesSetting}:{server}"] = instance.Url.ToString();
        instance.Domain = server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monstream-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monstream-" + suffix, admin);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("mastodon", $"@{MastodonStandIn.Username}@{server}", Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var api = await app.ApiClientAsync(admin);
        Assert.True((await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{accountId}/connection", new { service = instance.Url.ToString(), identifier = MastodonStandIn.Username, secret = MastodonStandIn.Token })).IsSuccessStatusCode);
        var patient = instance.AddAccount("worried_parent", "");
        var before = instance.Mention(patient, "@northfield written before Rounds was listening");
        async Task<string?> AddressedModeAsync() =>
            (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/sources")).GetProperty("sources")[1].GetProperty("mode").GetString();
        async Task<List<string>> FiledAsync() => await app.WithScopeAsync(services =>
            services.GetRequiredService<RoundsDbContext>().Set<Message>().Where(m => m.AccountId == accountId).Select(m => m.NetworkId).ToListAsync());

        var streams = app.Services.GetRequiredService<MastodonStreams>();
        var card = await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Accounts.Contracts.IAccountDirectory>().FindAsync(org.Id, accountId));
        using var stop = new CancellationTokenSource();
        var following = streams.FollowAsync(card!, stop.Token);

        // Opening the stream fills the gap: what was written before comes from one poll, once.
        await UntilAsync(async () => (await FiledAsync()).Contains(before.Id));
        Assert.True(streams.IsOpen(accountId));
        Assert.Equal("live", await AddressedModeAsync());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var question = instance.Mention(patient, "@northfield is the flu clinic open to children?");
        await UntilAsync(async () => (await FiledAsync()).Contains(question.Id));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The mention took {clock.Elapsed} to reach the inbox.");

        // The streaming server goes down: a mention written meanwhile comes from the poll made on reconnecting.
        var pollsBefore = instance.PagedReads.Count(r => r.StartsWith("/api/v1/notifications?", StringComparison.Ordinal));
        instance.StreamingDown = true;
        instance.DropStreams();
        var missed = instance.Mention(patient, "@northfield and on weekends?");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.DoesNotContain(missed.Id, await FiledAsync());
        instance.StreamingDown = false;
        await UntilAsync(async () => (await FiledAsync()).Contains(missed.Id), TimeSpan.FromSeconds(15));
        Assert.True(instance.PagedReads.Count(r => r.StartsWith("/api/v1/notifications?", StringComparison.Ordinal)) > pollsBefore);

        // An event the stream sends twice is filed once.
        instance.RepeatEvents = true;
        var twice = instance.Mention(patient, "@northfield sorry, sent twice?");
        await UntilAsync(async () => (await FiledAsync()).Contains(twice.Id));
        await Task.Delay(TimeSpan.FromSeconds(1));

        await stop.CancelAsync();
        await following;
        Assert.False(streams.IsOpen(accountId));
        Assert.Equal("polled", await AddressedModeAsync());
        var filed = await FiledAsync();
        Assert.Equal(new[] { before.Id, question.Id, missed.Id, twice.Id }.Order(), filed.Order());
        Assert.True(instance.StreamsOpened >= 2);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var until = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, "The condition did not come true in time.");
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData("Northfield Health", "northfield")]
    [InlineData("St. Mary's Medical Center", "mary")]
    [InlineData("General Hospital", "")]
    [InlineData("Harbor Children's Hospital of the Bay", "harbor")]
    public void The_distinctive_words_of_a_name_are_what_a_handle_must_carry(string name, string first)
    {
        var stems = AccountCandidates.StemsOf(name);
        Assert.Equal(first, stems.FirstOrDefault() ?? "");
        Assert.False(AccountCandidates.Carries("HealthNewsDaily", stems));
    }

    [Fact]
    public async Task A_handle_naming_no_public_server_is_refused_a_read_and_nothing_is_called()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monmastx-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monmastx-" + suffix, admin);
        var accountId = await app.WithScopeAsync(async services =>
        {
            // "localhost" is a host name without a domain: no public Mastodon server answers there.
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("mastodon", "@northfield@localhost", Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var api = await app.ApiClientAsync(admin);

        var read = await api.PostAsync($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read", null);
        Assert.Equal(HttpStatusCode.Conflict, read.StatusCode);
        var sources = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/sources");
        Assert.Equal(["impossible", "impossible"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
    }
}

public sealed class MonitoringFromMastodonTestsOnSqlite(SqliteRounds app) : MonitoringFromMastodonTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MonitoringFromMastodonTestsOnPostgres(PostgresRounds app) : MonitoringFromMastodonTests(app), IClassFixture<PostgresRounds>;
