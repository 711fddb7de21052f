using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Features.Publishing.Delivery.Pds;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// A connected Bluesky account's notifications, read through its PDS from the real AppView that indexes it: a mention
/// and a reply written on the network reach the inbox once each, the mention already filed by the event stream
/// included.
/// </summary>
[Collection(BlueskyAppViewCollection.Name)]
[Trait("Network", "Bluesky")]
public abstract class MonitoringFromAppViewTests(RoundsFactory app, BlueskyAppView network)
{
    [Fact]
    public async Task A_mention_and_a_reply_come_from_the_accounts_notifications_once_each_beside_what_the_event_stream_filed()
    {
        app.Services.GetRequiredService<IConfiguration>()[PostSources.BlueskyServiceSetting] = network.PdsUrl.ToString();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"av-admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync($"av-{suffix}", admin);
        var api = await app.ApiClientAsync(admin);
        var clinic = await network.CreateAccountAsync("clinic");
        var fan = await network.CreateAccountAsync("fan");
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("bluesky", clinic.Handle, Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var connected = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{accountId}/connection", new { service = network.PdsUrl.ToString(), identifier = clinic.Handle, secret = clinic.Password });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
        var read = $"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/read";

        // A first read learns the account's DID, so that the event stream watches for it.
        var own = await CreateAsync(clinic, Post("Flu clinic Saturday at the Eastside campus."));
        await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(read, null));

        // The stream files the mention as it happens.
        var reader = app.Services.GetRequiredService<ReadFirehose>();
        var stream = new CancellationTokenSource();
        var running = reader.RunAsync(network.PdsUrl, stream.Token);
        await StreamConnectedAsync(fan);
        var mention = await CreateAsync(fan, Mention($"@{clinic.Handle} is the heart study enrolling?", clinic));
        await UntilAsync(async () => (await MessagesAsync(accountId)).Contains(mention.Uri), TimeSpan.FromSeconds(15));
        await stream.CancelAsync();
        await running;

        // Written while the stream is down: only the notifications can bring it.
        var reply = await CreateAsync(fan, Post("Why only Saturday?", reply: (own, own)));
        await UntilAsync(async () => (await NotificationsAsync(clinic)).Count >= 2, TimeSpan.FromSeconds(30));

        var summary = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(read, null));
        Assert.Equal(1, summary.GetProperty("newMessages").GetInt32());
        var again = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(read, null));
        Assert.Equal(0, again.GetProperty("newMessages").GetInt32());

        Assert.Equal(new[] { mention.Uri, reply.Uri }.Order(), (await MessagesAsync(accountId)).Order());
        var inbox = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/conversations")).EnumerateArray().ToList();
        Assert.Equal(2, inbox.Count);
        Assert.All(inbox, row => Assert.Equal(fan.Handle, row.GetProperty("from").GetString()));
        Assert.Contains(inbox, row => row.GetProperty("preview").GetString() == "Why only Saturday?");

        await app.WithScopeAsync(async services =>
        {
            // Read from the notifications, not the repository scan: the cursor is the newest indexedAt the AppView gave.
            var addressed = await services.GetRequiredService<RoundsDbContext>().Set<MonitoringSource>().SingleAsync(s => s.AccountId == accountId && s.Kind == SourceKind.Addressed);
            Assert.Equal(clinic.Did, addressed.NetworkAccountId);
            Assert.True(DateTimeOffset.TryParse(addressed.Cursor, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), addressed.Cursor);
            Assert.Equal("", addressed.LastError);
        });

        // The account page names the source.
        var sources = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/monitoring/accounts/{accountId}/sources");
        var addressedStatus = sources.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "addressed");
        Assert.Equal("polled", addressedStatus.GetProperty("mode").GetString());
        Assert.Contains("notifications", addressedStatus.GetProperty("explanation").GetString()!, StringComparison.Ordinal);
    }

    private async Task<List<string>> MessagesAsync(Guid accountId) =>
        await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Message>().Where(m => m.AccountId == accountId).Select(m => m.NetworkId).ToListAsync());

    /// <summary>What the AppView lists for the account, as the account itself asks its PDS.</summary>
    private async Task<List<JsonElement>> NotificationsAsync(PdsAccount account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.PdsUrl, "/xrpc/app.bsky.notification.listNotifications?limit=50"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync(account));
        var answer = await HttpAssert.ReadAsync<JsonElement>(await network.Http.SendAsync(request));
        return answer.GetProperty("notifications").EnumerateArray().Select(n => n.Clone()).ToList();
    }

    /// <summary>Writes posts nobody watches until the reader has stored a cursor: from then on it is connected.</summary>
    private async Task StreamConnectedAsync(PdsAccount someone)
    {
        var key = network.PdsUrl.AbsoluteUri;
        var before = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MonitoringStream>().Where(s => s.Service == key).Select(s => s.UpdatedAt).ToListAsync());
        await UntilAsync(async () =>
        {
            await CreateAsync(someone, Post("Warming up."));
            var now = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MonitoringStream>().Where(s => s.Service == key).Select(s => s.UpdatedAt).ToListAsync());
            return now.Count > 0 && !now.SequenceEqual(before);
        }, TimeSpan.FromSeconds(30));
    }

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < limit, $"Not done within {limit}.");
            await Task.Delay(200);
        }
    }

    private sealed record Created(string Uri, string Cid);

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static Dictionary<string, object> Post(string text, (Created Root, Created Parent)? reply = null)
    {
        var post = new Dictionary<string, object> { ["$type"] = "app.bsky.feed.post", ["text"] = text, ["createdAt"] = Now() };
        if (reply is { } r)
        {
            post["reply"] = new { root = new { uri = r.Root.Uri, cid = r.Root.Cid }, parent = new { uri = r.Parent.Uri, cid = r.Parent.Cid } };
        }

        return post;
    }

    /// <summary>A post whose text starts with the handle, with the mention facet a client writes over those bytes.</summary>
    private static Dictionary<string, object> Mention(string text, PdsAccount mentioned)
    {
        var post = Post(text);
        post["facets"] = new[]
        {
            new Dictionary<string, object>
            {
                ["index"] = new { byteStart = 0, byteEnd = Encoding.UTF8.GetByteCount("@" + mentioned.Handle) },
                ["features"] = new[] { new Dictionary<string, object> { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = mentioned.Did } },
            },
        };
        return post;
    }

    private async Task<string> AccessTokenAsync(PdsAccount account)
    {
        var session = await HttpAssert.ReadAsync<JsonElement>(await network.Http.PostAsJsonAsync(new Uri(network.PdsUrl, "/xrpc/com.atproto.server.createSession"), new { identifier = account.Handle, password = account.Password }));
        return session.GetProperty("accessJwt").GetString()!;
    }

    private async Task<Created> CreateAsync(PdsAccount account, object record)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(network.PdsUrl, "/xrpc/com.atproto.repo.createRecord"))
        {
            Content = JsonContent.Create(new { repo = account.Did, collection = "app.bsky.feed.post", record }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync(account));
        var created = await HttpAssert.ReadAsync<JsonElement>(await network.Http.SendAsync(request));
        return new Created(created.GetProperty("uri").GetString()!, created.GetProperty("cid").GetString()!);
    }
}

public sealed class MonitoringFromAppViewTestsOnSqlite(SqliteRounds app, BlueskyAppView network) : MonitoringFromAppViewTests(app, network), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MonitoringFromAppViewTestsOnPostgres(PostgresRounds app, BlueskyAppView network) : MonitoringFromAppViewTests(app, network), IClassFixture<PostgresRounds>;
