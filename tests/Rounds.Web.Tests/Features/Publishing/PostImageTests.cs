using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>Images on posts: metadata gone before storage, a description required and screened, approvals reset.</summary>
public abstract class PostImageTests(RoundsFactory app)
{
    private const string Location = "42.3601 N, 71.0589 W";

    [Fact]
    public async Task An_image_is_stored_without_its_location_and_resets_approval()
    {
        var (org, contributor, reviewer, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);
        await author.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/submit", new { });
        var approver = await app.ApiClientAsync(reviewer);
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/approve", new { })).StatusCode);

        var original = TestImages.PngWithText("Location", Location);
        var response = await UploadAsync(author, org, id, original, "image/png", "Nurses at the flu clinic table, no patients in view.");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var media = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(media.GetProperty("bytes").GetInt32() < original.Length);

        var stored = await author.GetByteArrayAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/media/{media.GetProperty("id").GetGuid()}");
        Assert.DoesNotContain(Location, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(original[..8], stored[..8]);

        var post = await author.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/posts/{id}");
        Assert.Equal("in_review", post.GetProperty("status").GetString());
        Assert.Equal(2, post.GetProperty("revision").GetInt32());
        Assert.Equal("Nurses at the flu clinic table, no patients in view.", post.GetProperty("images")[0].GetProperty("altText").GetString());
    }

    [Fact]
    public async Task Bad_images_are_refused_and_nothing_is_stored()
    {
        var (org, contributor, _, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);

        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, TestImages.PngWithText("a", "b"), "image/png", " ")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, "not a picture"u8.ToArray(), "image/png", "A chart.")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, TestImages.PngWithText("a", "b"), "image/gif", "A chart.")).StatusCode);
        var phi = await UploadAsync(author, org, id, TestImages.PngWithText("a", "b"), "image/png", "Wristband of Mr. Dabrowski, MRN 7730184");
        Assert.Equal(HttpStatusCode.BadRequest, phi.StatusCode);
        Assert.Contains("patient information", await phi.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        for (var i = 0; i < AttachImage.MaxImages; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(author, org, id, TestImages.PngWithText("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "image/png", $"Poster {i + 1} for the flu clinic.")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, TestImages.PngWithText("a", "b"), "image/png", "One too many.")).StatusCode);
        var count = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MediaItem>().CountAsync(m => m.PostId == id));
        Assert.Equal(AttachImage.MaxImages, count);
    }

    /// <summary>A few hundred bytes declaring 50,000 × 50,000 pixels were accepted; decoding them would take 10 GB.</summary>
    [Fact]
    public async Task An_image_declaring_more_than_40_megapixels_is_refused()
    {
        var (org, contributor, _, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);

        var bomb = await UploadAsync(author, org, id, TestImages.PngDeclaring(50_000, 50_000), "image/png", "A poster for the flu clinic.");
        Assert.Equal(HttpStatusCode.BadRequest, bomb.StatusCode);
        Assert.Contains("megapixels", await bomb.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(author, org, id, TestImages.PngDeclaring(8_000, 5_000), "image/png", "A poster for the flu clinic.")).StatusCode);
        var count = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MediaItem>().CountAsync(m => m.PostId == id));
        Assert.Equal(1, count);
    }

    private async Task<(Organization Org, Rounds.Web.Features.Identity.User Contributor, Rounds.Web.Features.Identity.User Reviewer, Guid Account)> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("img-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org");
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var account = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            return (await services.GetRequiredService<AccountRegistry>().CreateAsync(context, new("bluesky", "@northfield.bsky.social", Kind: "enterprise"))).Value!.Id;
        });
        return (org, contributor, reviewer, account);
    }

    private static async Task<Guid> PostAsync(HttpClient client, Organization org, Guid account)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts", new { accounts = new[] { account }, text = "Flu shots this Saturday at the Eastside clinic.", scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Organization org, Guid id, byte[] image, string type, string altText)
    {
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        var form = new MultipartFormDataContent { { file, "file", "photo.png" }, { new StringContent(altText), "altText" } };
        return client.PostAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/media", form);
    }
}


public sealed class PostImageTestsOnSqlite(SqliteRounds app) : PostImageTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostImageTestsOnPostgres(PostgresRounds app) : PostImageTests(app), IClassFixture<PostgresRounds>;
