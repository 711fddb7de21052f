using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Identity;

/// <summary>
/// Rounds answering any host name (an explicit <c>AllowedHosts=*</c>), so that a forged Host header reaches the
/// code that writes mail: the links must still start with the public address.
/// </summary>
public sealed class AnyHostRounds : RoundsFactory
{
    public const string Public = "https://rounds.example/";

    public AnyHostRounds()
        : base(TestDatabase.Sqlite) => PublicUrl = Public;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AllowedHosts", "*");
    }
}

/// <summary>Links in mail come from <c>Rounds:PublicUrl</c>, never from the Host header a caller sends.</summary>
public sealed partial class PublicAddressTests(AnyHostRounds app) : IClassFixture<AnyHostRounds>
{
    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    private static List<string> Links(string storedMail)
    {
        var body = JsonDocument.Parse(storedMail).RootElement.GetProperty("htmlBody").GetString()!;
        return Href().Matches(body).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    private HttpClient EvilHostClient() =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example"), AllowAutoRedirect = true, HandleCookies = true });

    // Failed before: ForgotPassword built the reset link from the request, so it pointed at evil.example.
    [Fact]
    public async Task A_password_reset_requested_with_a_forged_host_links_only_to_the_public_address()
    {
        var user = await app.CreateUserAsync(NewEmail("reset"));
        await new FormSession(EvilHostClient()).SubmitAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = user.Email! });

        var links = Links(Assert.Single(app.MailTo(user.Email!)));
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith(AnyHostRounds.Public + "Account/ResetPassword?", link, StringComparison.Ordinal));
    }

    // Failed before: Register built the confirmation link from the request.
    [Fact]
    public async Task A_registration_from_a_forged_host_mails_a_confirmation_link_to_the_public_address()
    {
        var email = NewEmail("register");
        await new FormSession(EvilHostClient()).SubmitAsync("/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Reg Istrant",
            ["Input.Email"] = email,
            ["Input.Password"] = RoundsFactory.Password,
            ["Input.ConfirmPassword"] = RoundsFactory.Password,
        });

        var links = Links(Assert.Single(app.MailTo(email)));
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith(AnyHostRounds.Public + "Account/ConfirmEmail?", link, StringComparison.Ordinal));
    }

    // Failed before: the notifier used the host of the request in progress.
    [Fact]
    public async Task A_notification_sent_during_a_request_with_a_forged_host_links_to_the_public_address()
    {
        var admin = await app.CreateUserAsync(NewEmail("notified"));
        var organization = await app.CreateOrganizationAsync("n" + Guid.NewGuid().ToString("N")[..10], admin);

        await app.WithScopeAsync(async services =>
        {
            var http = services.GetRequiredService<IHttpContextAccessor>();
            http.HttpContext = new DefaultHttpContext { Request = { Scheme = "http", Host = new HostString("evil.example") } };
            try
            {
                await services.GetRequiredService<INotifier>().NotifyAsync(organization.Id, [admin.Id], "test:" + Guid.NewGuid(), "Something happened", "/o/" + organization.Slug);
                await services.GetRequiredService<RoundsDbContext>().SaveChangesAsync();
            }
            finally
            {
                http.HttpContext = null;
            }
        });

        var links = Links(Assert.Single(app.MailTo(admin.Email!)));
        Assert.Equal([AnyHostRounds.Public + "o/" + organization.Slug], links);
    }

    // Failed before: the invitation endpoint passed the request's scheme and host as the link's root.
    [Fact]
    public async Task An_invitation_sent_through_the_api_with_a_forged_host_links_to_the_public_address()
    {
        var admin = await app.CreateUserAsync(NewEmail("inviter"));
        var organization = await app.CreateOrganizationAsync("i" + Guid.NewGuid().ToString("N")[..10], admin);
        var client = EvilHostClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.MintTokenAsync(admin));
        var invitee = NewEmail("invitee");

        var response = await client.PostAsJsonAsync($"/api/v1/orgs/{organization.Slug}/invitations", new { email = invitee, role = "reviewer" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var links = Links(Assert.Single(app.MailTo(invitee)));
        Assert.All(links, link => Assert.StartsWith(AnyHostRounds.Public + "invitations/", link, StringComparison.Ordinal));
    }
}

/// <summary>With <c>AllowedHosts</c> unset, Rounds answers only to the public address's host.</summary>
public sealed class AllowedHostTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    // Failed before: appsettings.json allowed every host.
    [Fact]
    public async Task A_request_for_another_host_is_refused()
    {
        var evil = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example") });
        Assert.Equal(HttpStatusCode.BadRequest, (await evil.GetAsync("/Account/ForgotPassword")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/Account/ForgotPassword")).StatusCode);
    }
}

/// <summary>The public address is required and must be a plain http or https address.</summary>
public sealed class PublicUrlSettingTests
{
    private static PublicUrl Read(string? value, string environment) =>
        PublicUrl.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PublicUrl.Setting] = value }).Build(),
            new HostingEnvironment { EnvironmentName = environment },
            server: null);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("rounds.example")]
    [InlineData("/relative")]
    [InlineData("ftp://rounds.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:secret@rounds.example")]
    [InlineData("https://rounds.example/?next=evil")]
    [InlineData("https://rounds.example/#top")]
    public void Outside_development_a_missing_or_malformed_address_stops_the_instance(string? value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(value, "Production"));
        Assert.Contains(PublicUrl.Setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_development_an_unset_address_is_where_the_server_was_asked_to_listen()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:5123;https://0.0.0.0:5124" }).Build();
        var url = PublicUrl.From(configuration, new HostingEnvironment { EnvironmentName = "Development" }, server: null);
        Assert.Null(url.Configured);
        Assert.Equal("http://localhost:5123/Account/Login", url.For("/Account/Login"));
    }

    [Fact]
    public void A_malformed_address_is_refused_in_development_too() =>
        Assert.Throws<InvalidOperationException>(() => Read("not a url", "Development"));

    [Theory]
    [InlineData("https://rounds.example", "https://rounds.example/Account/ResetPassword?code=1")]
    [InlineData("https://rounds.example/", "https://rounds.example/Account/ResetPassword?code=1")]
    [InlineData("https://example.org/rounds", "https://example.org/rounds/Account/ResetPassword?code=1")]
    public void Links_are_the_public_address_and_the_path(string value, string expected) =>
        Assert.Equal(expected, Read(value, "Production").For("/Account/ResetPassword?code=1"));
}

/// <summary>Rounds in Production without a public address.</summary>
public sealed class NoPublicUrlRounds : RoundsFactory
{
    public NoPublicUrlRounds()
        : base(TestDatabase.Sqlite) => PublicUrl = null;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public sealed class MissingPublicUrlTests
{
    // Failed before: the instance started and took link roots from each request.
    [Fact]
    public void Outside_development_the_instance_does_not_start_without_a_public_address()
    {
        using var app = new NoPublicUrlRounds();
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(PublicUrl.Setting, error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Behind a reverse proxy at 10.0.0.5 that terminates TLS; two sign-in posts a minute per client.</summary>
public sealed class ProxiedRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    public static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");

    protected override int SignInPerMinute => 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Rounds:ForwardedHeaders:KnownProxies", Proxy.ToString());
    }

    /// <summary>A client whose connections come from <paramref name="from"/>, with headers a proxy would add.</summary>
    public HttpClient ClientFrom(IPAddress from, string? forwardedFor = null)
    {
        _ = Services;
        var client = new HttpClient(new CookieContainerHandler { InnerHandler = Server.CreateHandler(context => context.Connection.RemoteIpAddress = from) })
        {
            BaseAddress = new Uri("http://localhost"),
        };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        return client;
    }
}

public sealed class ForwardedHeadersTests(ProxiedRounds app) : IClassFixture<ProxiedRounds>
{
    private async Task<string> SignInCookieAsync(HttpClient client)
    {
        var user = await app.CreateUserAsync($"proxied-{Guid.NewGuid():N}@example.org");
        var (response, _) = await new FormSession(client).SubmitAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = RoundsFactory.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    // Failed before: forwarded headers were never read, so behind a TLS proxy the session cookie was not Secure.
    [Fact]
    public async Task Behind_a_known_proxy_that_terminates_tls_the_session_cookie_is_secure()
    {
        var cookie = await SignInCookieAsync(app.ClientFrom(ProxiedRounds.Proxy, "198.51.100.10"));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_stranger_claiming_tls_in_a_header_is_not_believed()
    {
        var cookie = await SignInCookieAsync(app.ClientFrom(IPAddress.Parse("192.0.2.44")));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    // Failed before: every client behind the proxy shared the proxy's address, and so one sign-in limit.
    [Fact]
    public async Task Sign_in_limits_count_each_client_behind_the_proxy()
    {
        var first = app.ClientFrom(ProxiedRounds.Proxy, "198.51.100.21");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await first.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "register" }))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var second = app.ClientFrom(ProxiedRounds.Proxy, "198.51.100.22");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await second.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "register" }))).StatusCode);
    }
}
