using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>A post's video: read by its bytes, capped in size, streamed to the store, served with ranges, refused whole.</summary>
public abstract class PostVideoTests(RoundsFactory app)
{
    [Fact]
    public async Task A_video_is_kept_with_its_title_served_by_range_and_resets_approval()
    {
        var (org, contributor, reviewer, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);
        await author.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/submit", new { });
        var approver = await app.ApiClientAsync(reviewer);
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/approve", new { })).StatusCode);

        var bytes = TestVideos.QuickTime(300_000);
        var response = await UploadAsync(author, org, id, bytes, "tour.mov", "A tour of the new maternity unit", "application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var video = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("video/quicktime", 300_000L, "A tour of the new maternity unit"), (video.GetProperty("contentType").GetString(), video.GetProperty("bytes").GetInt64(), video.GetProperty("title").GetString()));

        Assert.Equal(bytes, await author.GetByteArrayAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/video"));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orgs/{org.Slug}/posts/{id}/video");
        ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
        var part = await author.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[1000..2000], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/quicktime", part.Content.Headers.ContentType?.MediaType);

        var post = await author.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/posts/{id}");
        Assert.Equal(("in_review", 2), (post.GetProperty("status").GetString(), post.GetProperty("revision").GetInt32()));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(reviewer.Email!);
        var player = (await pages.GetAsync($"/o/{org.Slug}/posts/{id}")).QuerySelector("video#post-video");
        Assert.NotNull(player);
        Assert.True(player.HasAttribute("controls"));
        Assert.Equal($"/api/v1/orgs/{org.Slug}/posts/{id}/video", player.GetAttribute("src"));
    }

    [Fact]
    public async Task The_author_adds_a_video_on_the_post_page_and_a_file_that_is_not_one_is_refused_with_nothing_kept()
    {
        var (org, contributor, _, account) = await CastAsync();
        var id = await PostAsync(await app.ApiClientAsync(contributor), org, account);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(contributor.Email!);
        var path = $"/o/{org.Slug}/posts/{id}";

        var (_, refused) = await SubmitVideoAsync(pages, path, "tour.mp4", "A tour", TestImages.PngWithText("Comment", "not a video"));
        Assert.NotNull(refused.QuerySelector(".alert-danger[role=alert]"));
        Assert.Equal(0, await VideosAsync(id));
        var (_, untitled) = await SubmitVideoAsync(pages, path, "tour.mp4", "", TestVideos.Mp4(50_000));
        Assert.NotNull(untitled.QuerySelector(".alert-danger[role=alert]"));
        Assert.Equal(0, await VideosAsync(id));

        var (_, added) = await SubmitVideoAsync(pages, path, "tour.mp4", "A tour of the new maternity unit", TestVideos.Mp4(50_000));
        Assert.Contains("Video added", added.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await VideosAsync(id));
        Assert.NotNull(added.QuerySelector("video#post-video"));
        Assert.Null(added.QuerySelector("#video-file"));
    }

    /// <summary>Posts the page's video form as a browser does: multipart, with the form's hidden fields, the title and the file.</summary>
    private static async Task<(HttpResponseMessage Response, AngleSharp.Html.Dom.IHtmlDocument Page)> SubmitVideoAsync(FormSession session, string path, string fileName, string title, byte[] bytes)
    {
        var page = await session.GetAsync(path);
        var form = page.QuerySelectorAll("form").Single(f => f.QuerySelector("input[name=_handler]")?.GetAttribute("value") == "video");
        var content = new MultipartFormDataContent();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]"))
        {
            content.Add(new StringContent(hidden.GetAttribute("value") ?? ""), hidden.GetAttribute("name")!);
        }

        content.Add(new StringContent(title), "VideoUpload.Title");
        content.Add(new ByteArrayContent(bytes), "VideoUpload.File", fileName);
        var response = await session.Client.PostAsync(path, content);
        return (response, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Mp4_and_webm_are_told_by_their_bytes_and_a_post_has_one_video()
    {
        var (org, contributor, _, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var webm = await PostAsync(author, org, account);
        var mp4 = await PostAsync(author, org, account);

        var first = await UploadAsync(author, org, webm, TestVideos.WebM(5000), "clip.mp4", "Hand hygiene in 30 seconds", "video/mp4");
        Assert.Equal("video/webm", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contentType").GetString());
        var second = await UploadAsync(author, org, mp4, TestVideos.Mp4(5000), "clip.webm", "Hand hygiene in 30 seconds", "video/webm");
        Assert.Equal("video/mp4", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contentType").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, mp4, TestVideos.Mp4(5000), "again.mp4", "Another", "video/mp4")).StatusCode);
        var kept = Kept();
        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync($"/api/v1/orgs/{org.Slug}/posts/{mp4}/video")).StatusCode);
        Assert.Equal(kept - 1, Kept());
        Assert.Equal(HttpStatusCode.NotFound, (await author.GetAsync($"/api/v1/orgs/{org.Slug}/posts/{mp4}/video")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(author, org, mp4, TestVideos.Mp4(5000), "again.mp4", "Another", "video/mp4")).StatusCode);
    }

    [Fact]
    public async Task Bad_files_and_titles_are_refused_and_nothing_is_kept()
    {
        var (org, contributor, _, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);
        var before = Kept();

        var renamed = await UploadAsync(author, org, id, TestImages.PngWithText("a", "b"), "tour.mp4", "A tour", "video/mp4");
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Contains("not an MP4, QuickTime or WebM video", await renamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var heif = TestVideos.Mp4(5000);
        "heic"u8.CopyTo(heif.AsSpan(8));
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, heif, "photo.mp4", "A photo", "video/mp4")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, [], "empty.mp4", "Empty", "video/mp4")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, TestVideos.Mp4(5000), "tour.mp4", " ", "video/mp4")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(author, org, id, TestVideos.Mp4(5000), "tour.mp4", "<b>Tour</b>", "video/mp4")).StatusCode);
        var phi = await UploadAsync(author, org, id, TestVideos.Mp4(5000), "tour.mp4", "Mr. Dabrowski, MRN 7730184, leaving the ward", "video/mp4");
        Assert.Equal(HttpStatusCode.BadRequest, phi.StatusCode);
        Assert.Contains("patient information", await phi.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(0, await VideosAsync(id));
        Assert.Equal(before, Kept());
        Assert.Equal(1, (await author.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/posts/{id}")).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_video_over_the_configured_size_is_refused_whether_declared_or_streamed()
    {
        var (org, contributor, _, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration["Publishing:MaxVideoMegabytes"] = "1";
        try
        {
            var before = Kept();
            var declared = await UploadAsync(author, org, id, TestVideos.Mp4((1024 * 1024) + 1), "big.mp4", "Too big", "video/mp4");
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

            // Without a declared length the cap is counted while the body streams in.
            var streamed = new StreamContent(new UnseekableStream(TestVideos.Mp4(3 * 1024 * 1024)));
            streamed.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            var chunked = await author.PutAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/video?title=Too%20big&fileName=big.mp4", streamed);
            Assert.True(chunked.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode.ToString());

            Assert.Equal(0, await VideosAsync(id));
            Assert.Equal(before, Kept());
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(author, org, id, TestVideos.Mp4(1024 * 1024), "fits.mp4", "Just fits", "video/mp4")).StatusCode);
        }
        finally
        {
            configuration["Publishing:MaxVideoMegabytes"] = null;
        }
    }

    [Fact]
    public async Task Only_people_who_can_open_the_post_get_its_video()
    {
        var (org, contributor, _, account) = await CastAsync();
        var author = await app.ApiClientAsync(contributor);
        var id = await PostAsync(author, org, account);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(author, org, id, TestVideos.Mp4(5000), "tour.mp4", "A tour", "video/mp4")).StatusCode);

        // A member below contributor cannot open posts, and an admin of another organization cannot reach this one.
        var member = await app.CreateUserAsync($"member-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, member, Role.Member);
        var outsider = await app.CreateUserAsync($"outsider-{Guid.NewGuid():N}@example.org");
        await app.CreateOrganizationAsync("vid-out-" + Guid.NewGuid().ToString("N")[..8], outsider);
        foreach (var user in new[] { member, outsider })
        {
            var client = await app.ApiClientAsync(user);
            Assert.False((await client.GetAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/video")).IsSuccessStatusCode);
            Assert.False((await client.DeleteAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/video")).IsSuccessStatusCode);
        }

        Assert.Equal(1, await VideosAsync(id));
    }

    private string VideoFolder() => app.Services.GetRequiredService<IConfiguration>()["Publishing:VideoPath"]!;

    /// <summary>Files in the store (staging included), so a refusal can be shown to keep none.</summary>
    private int Kept() => Directory.Exists(VideoFolder()) ? Directory.GetFiles(VideoFolder(), "*", SearchOption.AllDirectories).Length : 0;

    private Task<int> VideosAsync(Guid postId) => app.WithScopeAsync(services =>
        services.GetRequiredService<RoundsDbContext>().Set<PostVideo>().IgnoreQueryFilters().CountAsync(v => v.PostId == postId));

    private async Task<(Organization Org, Rounds.Web.Features.Identity.User Contributor, Rounds.Web.Features.Identity.User Reviewer, Guid Account)> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("vid-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org");
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var account = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            return (await services.GetRequiredService<AccountRegistry>().CreateAsync(context, new("youtube", "@northfield" + suffix, Kind: "enterprise"))).Value!.Id;
        });
        return (org, contributor, reviewer, account);
    }

    private static async Task<Guid> PostAsync(HttpClient client, Organization org, Guid account)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts", new { accounts = new[] { account }, text = "Take a tour of the new maternity unit.", scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Organization org, Guid id, byte[] video, string fileName, string title, string type)
    {
        var body = new ByteArrayContent(video);
        body.Headers.ContentType = new MediaTypeHeaderValue(type);
        return client.PutAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/video?title={Uri.EscapeDataString(title)}&fileName={Uri.EscapeDataString(fileName)}", body);
    }

    /// <summary>A body without a length, so the request is sent chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class PostVideoTestsOnSqlite(SqliteRounds app) : PostVideoTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostVideoTestsOnPostgres(PostgresRounds app) : PostVideoTests(app), IClassFixture<PostgresRounds>;
