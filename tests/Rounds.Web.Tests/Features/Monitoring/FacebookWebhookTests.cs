using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// The Pages <c>feed</c> webhook as Meta calls it: the subscription check with the verify token, events refused
/// unless signed with the app secret over the raw body, and a comment filed once into the inbox of the account whose
/// Page id its polls learned, an own post with a blocking finding raising its alert at once.
/// </summary>
[Trait("Network", "Facebook")]
public abstract class FacebookWebhookTests(RoundsFactory app)
{
    private const string Secret = "the-apps-secret";

    [Fact]
    public async Task A_signed_feed_change_is_filed_once_and_an_unsigned_one_is_refused()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[FacebookFeedWebhook.VerifyTokenSetting] = "verify-me";
        configuration[FacebookFeedWebhook.AppSecretSetting] = Secret;
        var pageId = "10" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"monfb-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("monfb-" + suffix, admin);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("facebook", "northfieldhealth" + suffix, Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            // What a poll of the account's connection stores: the Page's id, which the webhook names.
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(new MonitoringSource { OrganizationId = org.Id, AccountId = created.Value!.Id, Kind = SourceKind.Addressed, NetworkAccountId = pageId });
            await db.SaveChangesAsync();
            return created.Value.Id;
        });
        var meta = app.CreateClient();

        Assert.Equal("1158201444", await meta.GetStringAsync($"{FacebookFeedWebhook.Path}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444"));
        Assert.Equal(HttpStatusCode.Forbidden, (await meta.GetAsync($"{FacebookFeedWebhook.Path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")).StatusCode);

        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes($$$"""
            {"object":"page","entry":[{"id":"{{{pageId}}}","time":{{{at}}},"changes":[
              {"field":"feed","value":{"from":{"id":"24","name":"Dana Parent"},"item":"comment","comment_id":"555_901","post_id":"{{{pageId}}}_555","parent_id":"{{{pageId}}}_555","verb":"add","created_time":{{{at}}},"message":"Is the clinic open on Sunday?"}},
              {"field":"feed","value":{"from":{"id":"{{{pageId}}}","name":"Northfield Health"},"item":"status","post_id":"{{{pageId}}}_556","verb":"add","created_time":{{{at}}},"message":"Mr. Dabrowski (MRN 7730184) went home today!"}}
            ]}]}
            """);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(meta, body, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(meta, body, Sign(body, "not the secret"))).StatusCode);
        await app.WithScopeAsync(async services =>
            Assert.Equal(0, await services.GetRequiredService<RoundsDbContext>().Set<Message>().CountAsync(m => m.AccountId == accountId)));

        var accepted = await PostAsync(meta, body, Sign(body, Secret));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("filed").GetInt32() >= 2);
        // Meta retries a delivery it thinks failed: the same change files nothing twice.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(meta, body, Sign(body, Secret))).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var message = await db.Set<Message>().SingleAsync(m => m.AccountId == accountId);
            Assert.Equal(("555_901", "Dana Parent", true), (message.NetworkId, message.AuthorHandle, message.Inbound));
            var conversation = await db.Set<Conversation>().SingleAsync(c => c.AccountId == accountId);
            Assert.Equal(($"{pageId}_555", "facebook"), (conversation.RootId, conversation.Network));
            Assert.NotNull(conversation.WaitingSince);
            Assert.Equal(["MRN", "NAME"], await db.Set<MonitoringAlert>().Where(a => a.AccountId == accountId).Select(a => a.FindingType).OrderBy(t => t).ToListAsync());
        });
    }

    private static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, FacebookFeedWebhook.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await client.SendAsync(request);
    }
}

public sealed class FacebookWebhookTestsOnSqlite(SqliteRounds app) : FacebookWebhookTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class FacebookWebhookTestsOnPostgres(PostgresRounds app) : FacebookWebhookTests(app), IClassFixture<PostgresRounds>;
