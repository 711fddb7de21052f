using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Accounts;

/// <summary>
/// Handles that only look alike used to register as different accounts, control characters reached storage, and
/// <c>javascript:</c> profile links were kept as they were typed.
/// </summary>
public abstract class HandleAndTextInputTests(RoundsFactory app)
{
    [Theory]
    [InlineData(Platform.X, "@North\u200Bfield\u200DHeart")]
    [InlineData(Platform.X, "\uFF20\uFF2E\uFF4F\uFF52\uFF54\uFF48\uFF46\uFF49\uFF45\uFF4C\uFF44\uFF28\uFF45\uFF41\uFF52\uFF54")]
    [InlineData(Platform.X, "@\u202ENorthfieldHeart\u202C")]
    [InlineData(Platform.X, "\uFEFFnorthfieldheart")]
    public void Invisible_fullwidth_and_direction_characters_fold_into_the_same_key(Platform platform, string written)
    {
        Assert.Equal("northfieldheart", Handles.Normalize(platform, written));
        Assert.Null(Handles.Problem(platform, written));
    }

    [Theory]
    [InlineData(Platform.X, "@North\u0000fieldHeart")]
    [InlineData(Platform.X, "@N\u043ErthfieldHeart")]
    [InlineData(Platform.X, "=cmd|' /C calc'!A0")]
    [InlineData(Platform.Instagram, "@northfield kids")]
    [InlineData(Platform.Facebook, "Northfield \u0421ardiology Fans")]
    [InlineData(Platform.Facebook, "Northfield\u0007Fans")]
    public void Lookalikes_control_characters_and_formulas_are_no_handle(Platform platform, string written) =>
        Assert.NotNull(Handles.Problem(platform, written));

    [Theory]
    [InlineData(Platform.Facebook, "Northfield Cardiology Fans")]
    [InlineData(Platform.Facebook, "Clínica Northfield")]
    [InlineData(Platform.LinkedIn, "https://www.linkedin.com/company/northfield-health")]
    [InlineData(Platform.Mastodon, "@northfield@mastodon.social")]
    [InlineData(Platform.Bluesky, "northfield.bsky.social")]
    [InlineData(Platform.Facebook, "https://www.facebook.com/profile.php?id=1234")]
    public void Real_handles_are_accepted(Platform platform, string written) => Assert.Null(Handles.Problem(platform, written));

    [Fact]
    public async Task A_lookalike_of_a_registered_handle_is_refused_as_the_same_account()
    {
        var (org, api) = await OrgAsync();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(api, org, "@NorthfieldHeart")).StatusCode);

        foreach (var lookalike in new[] { "@North\u200Bfield\u200DHeart", "\uFF20\uFF2E\uFF4F\uFF52\uFF54\uFF48\uFF46\uFF49\uFF45\uFF4C\uFF44\uFF28\uFF45\uFF41\uFF52\uFF54", "@\u202ENorthfieldHeart", "@North\u0000fieldHeart", "@N\u043ErthfieldHeart" })
        {
            var response = await CreateAsync(api, org, lookalike);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(1, await CountAsync(org));
    }

    [Fact]
    public async Task The_import_refuses_handles_that_are_no_handle_and_links_that_run_script()
    {
        var (org, api) = await OrgAsync();
        var csv = "platform,handle,url,kind,status\r\n" +
            "x,\"=cmd|' /C calc'!A0\",,enterprise,active\r\n" +
            "x,@N\u043ErthfieldHeart,,enterprise,active\r\n" +
            "x,@NorthfieldHeart,javascript:alert(document.cookie),enterprise,active\r\n" +
            "x,@NorthfieldCafe,https://x.com/NorthfieldCafe,enterprise,active\r\n";

        var result = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", new StringContent(csv, Encoding.UTF8, "text/csv")));

        Assert.Equal(3, result.GetProperty("errors").GetInt32());
        Assert.Equal(1, result.GetProperty("created").GetInt32());
        Assert.Equal(1, await CountAsync(org));

        var withNul = await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", new StringContent(csv.Replace("Cafe", "Ca\u0000fe", StringComparison.Ordinal), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, withNul.StatusCode);
        Assert.Contains("U+0000", await withNul.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_are_refused_in_api_text_fields_and_nothing_is_saved()
    {
        var (org, api) = await OrgAsync();

        var account = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts", new { platform = "x", handle = "@NorthfieldHeart", kind = "enterprise", department = "Cardio\u0001logy" });
        Assert.Equal(HttpStatusCode.BadRequest, account.StatusCode);
        Assert.Contains("department", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(org));

        var x = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var post = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts", new { accounts = new[] { x.Id }, text = "Flu shots \u001B[31mSaturday", scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);

        var request = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/requests", new { request = new { platform = "x", proposedHandle = "@Northfield\u0000Kids" }, submit = false });
        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
        var justification = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/requests", new { request = new { platform = "x", proposedHandle = "@NorthfieldKids", justification = "Parents \u0085ask" }, submit = false });
        Assert.Equal(HttpStatusCode.BadRequest, justification.StatusCode);
        Assert.Contains("request.justification", await justification.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Line breaks and tabs belong in multi-line text.
        var fine = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts", new { accounts = new[] { x.Id }, text = "Flu shots Saturday.\r\n\tEastside clinic.", scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
    }

    [Fact]
    public async Task A_proposed_handle_is_stored_without_invisible_characters()
    {
        var (org, api) = await OrgAsync();
        var response = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/requests", new { request = new { platform = "x", proposedHandle = "@Northfield\u200BKids" }, submit = false });
        var created = await HttpAssert.ReadAsync<JsonElement>(response);
        Assert.Equal("@NorthfieldKids", created.GetProperty("proposedHandle").GetString());

        var lookalike = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/requests", new { request = new { platform = "x", proposedHandle = "@N\u043ErthfieldKids" }, submit = false });
        Assert.Equal(HttpStatusCode.BadRequest, lookalike.StatusCode);
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData(" JaVaScRiPt:alert(1)")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    public async Task A_profile_link_that_is_no_web_address_is_refused(string url)
    {
        var (org, api) = await OrgAsync();
        var created = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts", new { platform = "x", handle = "@NorthfieldHeart", kind = "enterprise", url });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal(0, await CountAsync(org));

        var good = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts", new { platform = "x", handle = "@NorthfieldHeart", kind = "enterprise", url = "https://x.com/NorthfieldHeart" }));
        var id = good.GetProperty("id").GetGuid();
        var patched = await api.PatchAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{id}", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, patched.StatusCode);
        var stored = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().Where(a => a.Id == id).Select(a => a.Url).SingleAsync());
        Assert.Equal("https://x.com/NorthfieldHeart", stored);
    }

    [Fact]
    public async Task A_page_form_with_a_control_character_is_refused_with_a_message()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = await app.CreateUserAsync($"form-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("form-" + suffix, user);
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!);

        var (response, page) = await session.SubmitAsync($"/o/{org.Slug}/screening", "check", new Dictionary<string, string> { ["Check.Text"] = "Flu shots\u0007 Saturday", ["Check.Kind"] = "Department", ["Check.Profile"] = "Social" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("U+0007", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient api, Organization org, string handle) =>
        api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts", new { platform = "x", handle, kind = "enterprise" });

    private async Task<(Organization Org, HttpClient Api)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"input-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("input-" + suffix, admin);
        return (org, await app.ApiClientAsync(admin));
    }

    private Task<int> CountAsync(Organization org) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().CountAsync(a => a.OrganizationId == org.Id));
}

public sealed class HandleAndTextInputTestsOnSqlite(SqliteRounds app) : HandleAndTextInputTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class HandleAndTextInputTestsOnPostgres(PostgresRounds app) : HandleAndTextInputTests(app), IClassFixture<PostgresRounds>;
