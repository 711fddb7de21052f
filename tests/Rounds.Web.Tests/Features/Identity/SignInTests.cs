using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rounds.Web.Tests.Browser;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Identity;

public sealed class SignInTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var user = await app.CreateUserAsync($"lock-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        for (var i = 0; i < 5; i++)
        {
            var (_, page) = await session.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = "wrong-password" });
            Assert.DoesNotContain("/o/", page.Url ?? "", StringComparison.Ordinal);
        }

        var (response, locked) = await session.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = RoundsFactory.Password });
        Assert.EndsWith("/Account/Lockout", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("locked out", locked.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task An_off_site_return_address_after_sign_in_goes_to_the_start_page(string returnUrl)
    {
        var user = await app.CreateUserAsync($"return-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        var (response, _) = await session.SubmitAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), "login", new Dictionary<string, string> { ["Input.Email"] = user.Email!, ["Input.Password"] = RoundsFactory.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("localhost", response.RequestMessage!.RequestUri!.Host);
        Assert.DoesNotContain("evil", response.RequestMessage.RequestUri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authenticator_page_shows_a_qr_code_of_the_key_it_prints_and_a_code_from_that_key_turns_two_factor_on()
    {
        var user = await app.CreateUserAsync($"qr-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!);
        var html = await session.Client.GetStringAsync("/Account/Manage/EnableAuthenticator");
        var key = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("kbd")!.TextContent;

        // What a phone reads from the code: the standard otpauth address naming Rounds, the person and the key.
        var secret = key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var payload = $"otpauth://totp/Rounds:{System.Text.Encodings.Web.UrlEncoder.Default.Encode(user.Email!)}?secret={secret}&issuer=Rounds&digits=6";
        using var data = QRCoder.QRCodeGenerator.GenerateQrCode(payload, QRCoder.QRCodeGenerator.ECCLevel.M);
        using var expected = new QRCoder.SvgQRCode(data);
        Assert.Contains(expected.GetGraphic(4), html, StringComparison.Ordinal);

        var (_, page) = await session.SubmitAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(secret, DateTimeOffset.UtcNow) });
        Assert.Contains("Your authenticator app has been verified", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task A_second_step_without_a_pending_sign_in_starts_again_at_the_password(string path)
    {
        var response = await FormSession.Create(app).Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/Account/Login", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Password_reset_goes_through_the_mailed_link()
    {
        var user = await app.CreateUserAsync($"reset-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        await session.SubmitAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = user.Email! });

        var mail = Assert.Single(app.MailTo(user.Email!));
        var body = JsonDocument.Parse(mail).RootElement.GetProperty("htmlBody").GetString()!;
        var link = WebUtility.HtmlDecode(Regex.Match(body, "href=\"([^\"]+)\"").Groups[1].Value);
        var resetPath = new Uri(link).PathAndQuery;

        var (_, page) = await session.SubmitAsync(resetPath, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = "A-brand-new-pass-7",
            ["Input.ConfirmPassword"] = "A-brand-new-pass-7",
        });
        Assert.Contains("Your password has been reset", page.Body!.TextContent, StringComparison.Ordinal);
        await FormSession.Create(app).LoginAsync(user.Email!, "A-brand-new-pass-7");
        await Assert.ThrowsAsync<InvalidOperationException>(() => FormSession.Create(app).LoginAsync(user.Email!, RoundsFactory.Password));
    }

    [Fact]
    public async Task Unconfirmed_accounts_cannot_sign_in()
    {
        var user = await app.CreateUserAsync($"unconfirmed-{Guid.NewGuid():N}@example.org", confirmed: false);
        await Assert.ThrowsAsync<InvalidOperationException>(() => FormSession.Create(app).LoginAsync(user.Email!));
    }
}

/// <summary>A host that allows only three sign-in attempts a minute from one address.</summary>
public sealed class StrictRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    protected override int SignInPerMinute => 3;
}

public sealed class RateLimitTests(StrictRounds app) : IClassFixture<StrictRounds>
{
    [Fact]
    public async Task Sign_in_posts_beyond_the_limit_get_429()
    {
        var session = FormSession.Create(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var (response, _) = await session.SubmitAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.org", ["Input.Password"] = "whatever-it-is" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/Account/Login")).StatusCode);
    }
}

/// <summary>Its own host, so that its sign-in budget is not shared with the test above.</summary>
public sealed class StrictRoundsForOtherSpellings() : RoundsFactory(TestDatabase.Sqlite)
{
    protected override int SignInPerMinute => 3;
}

public sealed class RateLimitSpellingTests(StrictRoundsForOtherSpellings app) : IClassFixture<StrictRoundsForOtherSpellings>
{
    [Fact]
    public async Task Another_spelling_of_a_sign_in_address_counts_against_the_same_limit()
    {
        var session = FormSession.Create(app);
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/Account/Login/", "/account/login", "/ACCOUNT/LOGIN/", "/account/Login/", "/Account/Login/" })
        {
            var (response, _) = await session.SubmitAsync(path, "login", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.org", ["Input.Password"] = "whatever-it-is" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
