using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

public abstract class ConnectionTests(DeliveryRounds app)
{
    [Fact]
    public async Task Credentials_are_checked_with_the_network_then_stored_encrypted_and_never_returned()
    {
        var room = await app.NewsroomAsync("connect");
        var network = app.Network.Open("northfield-" + Guid.NewGuid().ToString("N")[..6], "app-pass-xyz-123");
        network.ExpiresAt = app.Clock.GetUtcNow().AddDays(60);
        var url = $"/api/v1/orgs/{room.Org.Slug}/accounts/{room.AccountId}/connection";
        var admin = await app.ApiClientAsync(room.Admin);
        var body = new { service = FakeNetwork.Service.ToString(), identifier = network.Identifier, secret = network.Secret };

        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(room.Author)).PostAsJsonAsync(url, body)).StatusCode);

        var invalid = await admin.PostAsJsonAsync(url, new { service = "http://bsky.example", identifier = " ", secret = "" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.All(new[] { "service", "identifier", "secret" }, field => Assert.Contains($"\"{field}\"", problem, StringComparison.Ordinal));

        var refused = await admin.PostAsJsonAsync(url, body with { secret = "wrong" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("did not accept the connection", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);

        var connected = await admin.PostAsJsonAsync(url, body);
        var json = await connected.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.DoesNotContain(network.Secret, json, StringComparison.Ordinal);
        var view = (await connected.Content.ReadFromJsonAsync<ConnectionView>())!;
        Assert.Equal((network.Identifier, "connected", "bluesky", network.ExpiresAt), (view.AccountName, view.Status, view.Network, view.ExpiresAt));
        Assert.Equal(view, await HttpAssert.ReadAsync<ConnectionView>(await (await app.ApiClientAsync(room.Author)).GetAsync(url)));

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var stored = await db.Set<AccountConnection>().SingleAsync(c => c.AccountId == room.AccountId);
            Assert.DoesNotContain(network.Secret, stored.ProtectedSecret, StringComparison.Ordinal);
            Assert.Equal(network.Secret, services.GetRequiredService<ConnectionSecrets>().Unprotect(stored.ProtectedSecret));
            // Another purpose cannot read it: the secret is bound to connections.
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => services.GetRequiredService<IDataProtectionProvider>().CreateProtector("other").Unprotect(stored.ProtectedSecret));
            var audit = await db.AuditEntries.SingleAsync(a => a.OrganizationId == room.Org.Id && a.Action == "account.connected");
            Assert.DoesNotContain(network.Secret, audit.After!, StringComparison.Ordinal);
        });

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(url)).StatusCode);
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().AuditEntries.AnyAsync(a => a.OrganizationId == room.Org.Id && a.Action == "account.disconnected")));
    }

    [Fact]
    public async Task Only_platforms_with_a_connector_can_be_connected()
    {
        var room = await app.NewsroomAsync("platform");
        var tiktok = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@northfield" + Guid.NewGuid().ToString("N")[..6], "tiktok");
        var admin = await app.ApiClientAsync(room.Admin);

        var response = await admin.PostAsJsonAsync($"/api/v1/orgs/{room.Org.Slug}/accounts/{tiktok}/connection", new { service = "https://tiktok.example", identifier = "northfield", secret = "s" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot publish to TikTok", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_page_connects_shows_the_status_and_disconnects()
    {
        var room = await app.NewsroomAsync("page");
        var network = app.Network.Open("page-" + Guid.NewGuid().ToString("N")[..6], "app-pass-page-1");
        var session = FormSession.Create(app);
        await session.LoginAsync(room.Admin.Email!);
        var page = $"/o/{room.Org.Slug}/accounts/{room.AccountId}";
        Assert.Contains("Not connected", (await session.GetAsync(page)).Body!.TextContent, StringComparison.Ordinal);

        var fields = new Dictionary<string, string> { ["Connect.Service"] = FakeNetwork.Service.ToString(), ["Connect.Identifier"] = network.Identifier, ["Connect.Secret"] = "wrong" };
        var (_, refused) = await session.SubmitAsync(page, "connection", fields);
        Assert.Contains("did not accept the connection", refused.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("", refused.QuerySelector("#connection-secret")!.GetAttribute("value") ?? "");

        fields["Connect.Secret"] = network.Secret;
        var (_, connected) = await session.SubmitAsync(page, "connection", fields);
        Assert.Contains($"Connected as {network.Identifier}", connected.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(network.Secret, connected.Source.Text, StringComparison.Ordinal);

        var (_, disconnected) = await session.SubmitAsync(page, "disconnection", new Dictionary<string, string>());
        Assert.Contains("Not connected", disconnected.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owners_are_warned_once_when_a_connection_expires_within_a_week()
    {
        var room = await app.NewsroomAsync("expiry");
        var other = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@later" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social");
        await room.ConnectFakeAsync(expiresAt: app.Clock.GetUtcNow().AddDays(5));
        await room.ConnectFakeAsync(other, expiresAt: app.Clock.GetUtcNow().AddDays(30));

        // Two instances check at once: one warning.
        var runs = await Task.WhenAll(WarnAsync(), WarnAsync());
        Assert.Equal(1, runs.Sum());
        Assert.Equal(0, await WarnAsync());
        Assert.Single(await room.NotificationsAsync(room.Owner), n => n.StartsWith($"connection-expiring:{room.AccountId}", StringComparison.Ordinal));

        app.Clock.Advance(TimeSpan.FromDays(24));
        Assert.Equal(1, await WarnAsync());
        Assert.Single(await room.NotificationsAsync(room.Owner), n => n.StartsWith($"connection-expiring:{other}", StringComparison.Ordinal));
        Assert.Contains(app.MailTo(room.Owner.Email!), m => m.Contains("reconnect it", StringComparison.Ordinal));
    }

    private Task<int> WarnAsync() => app.WithScopeAsync(s => s.GetRequiredService<WarnExpiringConnections>().RunAsync());
}

public sealed class ConnectionTestsOnSqlite(DeliverySqlite app) : ConnectionTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class ConnectionTestsOnPostgres(DeliveryPostgres app) : ConnectionTests(app), IClassFixture<DeliveryPostgres>;
