using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Browser;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Identity;

/// <summary>Rounds comparing the security stamp of a session cookie on every request instead of once a minute.</summary>
public sealed class PromptSessionCheckRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:SessionCheckSeconds", "0");
    }
}

/// <summary>A reset password, a changed password or new recovery codes end what the old credentials opened.</summary>
public sealed partial class SessionEndTests(PromptSessionCheckRounds app) : IClassFixture<PromptSessionCheckRounds>
{
    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    private async Task<(User User, FormSession Session, HttpClient Token)> SignedInAsync()
    {
        var user = await app.CreateUserAsync($"stamp-{Guid.NewGuid():N}@example.org");
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!);
        var token = app.CreateClient();
        token.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.MintTokenAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/v1/me")).StatusCode);
        return (user, session, token);
    }

    private Task<bool> AllTokensRevokedAsync(User user) => app.WithScopeAsync(services =>
        services.GetRequiredService<RoundsDbContext>().PersonalAccessTokens.Where(t => t.UserId == user.Id).AllAsync(t => t.RevokedAt != null));

    // Failed before: the cookie's stamp was compared only every 30 minutes and tokens were untouched by a reset.
    [Fact]
    public async Task A_password_reset_ends_earlier_sessions_and_tokens()
    {
        var (user, before, token) = await SignedInAsync();

        var reset = FormSession.Create(app);
        await reset.SubmitAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = user.Email! });
        var body = JsonDocument.Parse(Assert.Single(app.MailTo(user.Email!))).RootElement.GetProperty("htmlBody").GetString()!;
        var link = new Uri(WebUtility.HtmlDecode(Href().Match(body).Groups[1].Value));
        var (_, done) = await reset.SubmitAsync(link.PathAndQuery, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = "A-brand-new-pass-7",
            ["Input.ConfirmPassword"] = "A-brand-new-pass-7",
        });
        Assert.Contains("Your password has been reset", done.Body!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await before.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/me")).StatusCode);
        Assert.True(await AllTokensRevokedAsync(user));
        await FormSession.Create(app).LoginAsync(user.Email!, "A-brand-new-pass-7");
    }

    // Failed before: other sessions kept working for up to 30 minutes, and so did every token.
    [Fact]
    public async Task Changing_the_password_ends_other_sessions_and_tokens_but_not_this_session()
    {
        var (user, other, token) = await SignedInAsync();
        var current = FormSession.Create(app);
        await current.LoginAsync(user.Email!);

        var (_, page) = await current.SubmitAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = RoundsFactory.Password,
            ["Input.NewPassword"] = "Another-new-pass-8",
            ["Input.ConfirmPassword"] = "Another-new-pass-8",
        });
        Assert.Contains("Your password has been changed and 1 access token(s) revoked", page.Body!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await current.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Whoever_changes_the_password_may_keep_their_tokens()
    {
        var (user, session, token) = await SignedInAsync();

        await session.SubmitAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = RoundsFactory.Password,
            ["Input.NewPassword"] = "Another-new-pass-8",
            ["Input.ConfirmPassword"] = "Another-new-pass-8",
            ["Input.KeepAccessTokens"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/v1/me")).StatusCode);
        Assert.False(await AllTokensRevokedAsync(user));
    }

    // Failed before: new recovery codes left the security stamp as it was, so other sessions went on.
    [Fact]
    public async Task New_recovery_codes_end_other_sessions_but_not_this_one()
    {
        var user = await app.CreateUserAsync($"codes-{Guid.NewGuid():N}@example.org");
        var codes = await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<User>>();
            var stored = await users.FindByIdAsync(user.Id);
            await users.ResetAuthenticatorKeyAsync(stored!);
            await users.SetTwoFactorEnabledAsync(stored!, true);
            return (await users.GenerateNewTwoFactorRecoveryCodesAsync(stored!, 2))!.ToList();
        });
        var other = await SignInWithRecoveryCodeAsync(user, codes[0]);
        var current = await SignInWithRecoveryCodeAsync(user, codes[1]);

        var (_, page) = await current.SubmitAsync("/Account/Manage/GenerateRecoveryCodes", "generate-recovery-codes", new Dictionary<string, string>());
        Assert.Contains("You have generated new recovery codes", page.Body!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await current.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    private async Task<FormSession> SignInWithRecoveryCodeAsync(User user, string code)
    {
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!);
        await session.SubmitAsync("/Account/LoginWithRecoveryCode", "login-with-recovery-code", new Dictionary<string, string> { ["Input.RecoveryCode"] = code });
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/me")).StatusCode);
        return session;
    }
}

/// <summary>Each authenticator code signs in once.</summary>
public sealed class AuthenticatorCodeTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    // Failed before: the same code, still inside its window, signed in a second time.
    [Fact]
    public async Task An_authenticator_code_is_accepted_only_once()
    {
        var user = await app.CreateUserAsync($"totp-{Guid.NewGuid():N}@example.org");
        var key = await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<User>>();
            var stored = await users.FindByIdAsync(user.Id);
            await users.ResetAuthenticatorKeyAsync(stored!);
            await users.SetTwoFactorEnabledAsync(stored!, true);
            return (await users.GetAuthenticatorKeyAsync(stored!))!;
        });
        var code = Totp.Code(key, DateTimeOffset.UtcNow);

        var first = await SubmitCodeAsync(user, code);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/api/v1/me")).StatusCode);

        var second = await SubmitCodeAsync(user, code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Client.GetAsync("/api/v1/me")).StatusCode);
        var step = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Users.Where(u => u.Id == user.Id).Select(u => u.LastAuthenticatorStep).SingleAsync());
        Assert.NotNull(step);
    }

    [Fact]
    public async Task A_wrong_code_is_refused()
    {
        var user = await app.CreateUserAsync($"totp-{Guid.NewGuid():N}@example.org");
        await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<User>>();
            var stored = await users.FindByIdAsync(user.Id);
            await users.ResetAuthenticatorKeyAsync(stored!);
            await users.SetTwoFactorEnabledAsync(stored!, true);
        });

        var session = await SubmitCodeAsync(user, "000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    private async Task<FormSession> SubmitCodeAsync(User user, string code)
    {
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!);
        var (_, page) = await session.SubmitAsync("/Account/LoginWith2fa", "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = code });
        Assert.NotNull(page.Body);
        return session;
    }
}
