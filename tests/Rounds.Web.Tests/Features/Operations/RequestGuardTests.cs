using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Tests.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Operations;

/// <summary>What every request is checked for before a page or endpoint reads it: the size of its body and, for API calls signed by the session cookie, where it came from.</summary>
public sealed class RequestGuardTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    private const string Audit = "platform,handle,kind,status\r\nx,@NorthfieldCafe,enterprise,active\r\n";

    // A body over the limit used to reach the form reader, which threw: a 500 on pages.
    [Fact]
    public async Task A_body_over_the_limit_answers_413_on_the_media_upload_and_on_page_forms()
    {
        var (org, user, session) = await SetUpAsync();
        var api = await app.ApiClientAsync(user);
        var post = await PostRows.PostAsync(app, org, user, "Flu shots Saturday.", DateTimeOffset.UtcNow.AddDays(2), PostStatus.Draft, []);

        var upload = await UploadAsync(api, org, post.Id, new byte[AttachImage.MaxBytes + 2_000_000]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
        var huge = await UploadAsync(api, org, post.Id, new byte[31_000_000]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "check", ["Check.Text"] = new string('a', 31_000_000) });
        var page = await session.Client.PostAsync($"/o/{org.Slug}/screening", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, page.StatusCode);
        Assert.Contains("larger than", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(0, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MediaItem>().CountAsync(m => m.PostId == post.Id)));
    }

    // accounts/import took text/plain and the media upload skipped the token check for cookie callers: another site's form could post them.
    [Fact]
    public async Task A_cookie_signed_form_like_api_call_without_the_token_is_refused()
    {
        var (org, user, session) = await SetUpAsync();
        var post = await PostRows.PostAsync(app, org, user, "Flu shots Saturday.", DateTimeOffset.UtcNow.AddDays(2), PostStatus.Draft, []);

        var plain = await session.Client.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", new StringContent(Audit, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        var urlEncoded = await session.Client.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", new FormUrlEncodedContent(new Dictionary<string, string> { [Audit] = "" }));
        Assert.Equal(HttpStatusCode.Forbidden, urlEncoded.StatusCode);
        var media = await UploadAsync(session.Client, org, post.Id, TestImages.PngWithText("a", "b"));
        Assert.Equal(HttpStatusCode.Forbidden, media.StatusCode);
        var empty = await session.Client.PostAsync($"/api/v1/orgs/{org.Slug}/posts/{post.Id}/submit", null);
        Assert.Equal(HttpStatusCode.Forbidden, empty.StatusCode);
        Assert.Equal(0, await AccountsAsync(org));
        Assert.Equal(0, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MediaItem>().CountAsync(m => m.PostId == post.Id)));
    }

    [Fact]
    public async Task Bearer_tokens_json_bodies_and_the_pages_token_still_get_through()
    {
        var (org, user, session) = await SetUpAsync();
        var post = await PostRows.PostAsync(app, org, user, "Flu shots Saturday.", DateTimeOffset.UtcNow.AddDays(2), PostStatus.Draft, []);
        var api = await app.ApiClientAsync(user);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import?dryRun=true", new StringContent(Audit, Encoding.UTF8, "text/plain"))).StatusCode);

        // curl --data-binary labels a CSV as a form; the body still reaches the import whole.
        var curlLike = await HttpAssert.ReadAsync<System.Text.Json.JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import?dryRun=true", new StringContent(Audit, Encoding.UTF8, "application/x-www-form-urlencoded")));
        Assert.Equal(1, curlLike.GetProperty("created").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(api, org, post.Id, TestImages.PngWithText("a", "b"))).StatusCode);

        // The composer's check is JSON, which another site cannot send without the browser asking first.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = "Flu shots Saturday." })).StatusCode);

        var page = await session.GetAsync($"/o/{org.Slug}/screening");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orgs/{org.Slug}/accounts/import") { Content = new StringContent(Audit, Encoding.UTF8, "text/plain") };
        request.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.SendAsync(request)).StatusCode);
        Assert.Equal(1, await AccountsAsync(org));
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Organization org, Guid postId, byte[] image)
    {
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var form = new MultipartFormDataContent { { file, "file", "photo.png" }, { new StringContent("Nurses at the flu clinic table."), "altText" } };
        return client.PostAsync($"/api/v1/orgs/{org.Slug}/posts/{postId}/media", form);
    }

    private async Task<(Organization Org, User User, FormSession Session)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = await app.CreateUserAsync($"guard-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("guard-" + suffix, user);
        var session = FormSession.Create(app);
        await session.LoginAsync(user.Email!);
        return (org, user, session);
    }

    private Task<int> AccountsAsync(Organization org) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().CountAsync(a => a.OrganizationId == org.Id));
}
