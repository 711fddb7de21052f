using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Tests.Features.PressRoom;

namespace Rounds.Web.Tests.Browser;

/// <summary>
/// The press room's own server for the browser: Rounds on a real port with the press room's fake clock, so the
/// lift comes when the test moves the clock rather than minutes later. The browser is the shared one.
/// </summary>
public sealed class PressBrowserApp : IAsyncLifetime
{
    public SqlitePressRounds App { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public Task InitializeAsync()
    {
        App.PublicUrl = null;
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PressRoomFlowTests(BrowserFixture browser, PressBrowserApp server) : IClassFixture<PressBrowserApp>
{
    // The smallest PNG there is: one transparent pixel.
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private async Task<IPage> PageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ReducedMotion = ReducedMotion.Reduce, BaseURL = server.BaseUrl, AcceptDownloads = true });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Protects the whole promise in one path: before the upload form existed, the team could attach media only
    /// through the API, so this test could not pass.
    /// </summary>
    [Fact]
    public async Task A_journalist_is_accredited_reads_the_embargoed_release_and_its_media_and_after_the_lift_everyone_does()
    {
        var app = server.App;
        var cast = await app.CastAsync();
        var slug = cast.Org.Slug;

        // The journalist asks for accreditation on the newsroom.
        var journalist = await PageAsync();
        await browser.LoginAsync(journalist, cast.Listed.Email!);
        await journalist.GotoAsync($"/press/{slug}");
        await journalist.GetByRole(AriaRole.Link, new() { Name = "ask for accreditation" }).ClickAsync();
        await journalist.GetByLabel("Outlet").FillAsync("Riverside Ledger");
        await journalist.GetByLabel("Your role there").FillAsync("Health reporter");
        await journalist.GetByLabel("Links to your published work").FillAsync("https://ledger.example/health/1");
        await journalist.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Assertions.Expect(journalist.GetByText("waiting for a decision")).ToBeVisibleAsync();

        // The team approves it for a year.
        var team = await PageAsync();
        await browser.LoginAsync(team, cast.Admin.Email!);
        await team.GotoAsync($"/o/{slug}/press/journalists");
        await team.GetByRole(AriaRole.Link, new() { Name = cast.Listed.DisplayName }).ClickAsync();
        await team.GetByLabel("Decision").SelectOptionAsync("true");
        await team.GetByLabel("Expires on").FillAsync(app.Clock.GetUtcNow().AddYears(1).ToString("yyyy-MM-dd"));
        await team.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(team.Locator("#accreditation-state")).ToContainTextAsync("approved");

        // The team writes a release, is refused a file of the wrong type (nothing kept), then uploads an image.
        await team.GotoAsync($"/o/{slug}/press");
        await team.GetByLabel("Title").FillAsync("Riverside opens a stroke unit");
        await team.GetByLabel("Summary").FillAsync("Twelve beds from spring.");
        await team.GetByLabel("Body (Markdown)").FillAsync("The unit **opens** in spring.");
        await team.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(team.GetByRole(AriaRole.Heading, new() { Name = "Riverside opens a stroke unit", Level = 1 })).ToBeVisibleAsync();
        var releaseUrl = team.Url;

        await team.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(team.Locator("#asset-file-error")).ToContainTextAsync("Choose a file to upload");
        await team.GetByLabel("Add an image").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await team.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(team.Locator("#asset-file-error")).ToContainTextAsync("Upload a JPEG, PNG or WebP image");
        await Assertions.Expect(team.GetByText("No images, audio or video yet.")).ToBeVisibleAsync();
        await team.GetByLabel("Add an image").SetInputFilesAsync(new FilePayload { Name = "stroke-unit.png", MimeType = "image/png", Buffer = Pixel });
        await team.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(team.GetByRole(AriaRole.Status)).ToContainTextAsync("stroke-unit.png uploaded.");
        await Assertions.Expect(team.GetByRole(AriaRole.Link, new() { Name = "stroke-unit.png" })).ToBeVisibleAsync();

        // Scheduled two minutes ahead in Chicago time, on the fake clock.
        var chicago = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow().AddMinutes(2), TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));
        var lift = chicago.AddSeconds(60 - chicago.Second);
        var time = lift.ToString("HH:mm") switch { "12:00" => "noon", "00:00" => "midnight", var t => t };
        await team.GetByLabel("Date (year-month-day)").FillAsync(lift.ToString("yyyy-MM-dd"));
        await team.GetByLabel("Time", new() { Exact = true }).FillAsync(time);
        await team.GetByLabel("Time zone").FillAsync("America/Chicago");
        await team.GetByRole(AriaRole.Button, new() { Name = "Schedule under embargo" }).ClickAsync();
        await Assertions.Expect(team.GetByRole(AriaRole.Status)).ToContainTextAsync("Embargoed until");
        await Assertions.Expect(team.Locator("#release-state")).ToContainTextAsync("scheduled");

        // The journalist finds it under embargo with its image, downloads the image, and is recorded reading it.
        await journalist.GotoAsync($"/press/{slug}");
        await Assertions.Expect(journalist.GetByRole(AriaRole.Heading, new() { Name = "Under embargo" })).ToBeVisibleAsync();
        await journalist.GetByRole(AriaRole.Link, new() { Name = "Riverside opens a stroke unit" }).ClickAsync();
        await Assertions.Expect(journalist.Locator("#embargo")).ToContainTextAsync("America/Chicago");
        // The preview is the original image, scaled by the page, loaded through the journalist's own link.
        var preview = journalist.GetByRole(AriaRole.Img, new() { Name = "Preview of stroke-unit.png" });
        await Assertions.Expect(preview).ToBeVisibleAsync();
        await Assertions.Expect(preview).ToHaveJSPropertyAsync("naturalWidth", 1);
        var download = await journalist.RunAndWaitForDownloadAsync(() => journalist.GetByRole(AriaRole.Link, new() { Name = "stroke-unit.png" }).ClickAsync());
        Assert.Equal("stroke-unit.png", download.SuggestedFilename);
        Assert.Equal(Pixel, await File.ReadAllBytesAsync((await download.PathAsync())!));
        await team.GotoAsync(releaseUrl);
        await Assertions.Expect(team.GetByRole(AriaRole.Cell, new() { Name = cast.Listed.DisplayName }).First).ToBeVisibleAsync();

        // Signed out, nothing shows before the lift.
        var visitor = await PageAsync();
        await visitor.GotoAsync($"/press/{slug}");
        await Assertions.Expect(visitor.GetByText("Riverside opens a stroke unit")).ToHaveCountAsync(0);
        var hidden = await visitor.GotoAsync(journalist.Url);
        Assert.Equal(404, hidden!.Status);

        // The clock reaches the lift and the job runs: the release is public, with its image, and the journalist is told.
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await app.LiftAsync());
        await visitor.GotoAsync($"/press/{slug}");
        await visitor.GetByRole(AriaRole.Link, new() { Name = "Riverside opens a stroke unit" }).ClickAsync();
        await Assertions.Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Riverside opens a stroke unit" })).ToBeVisibleAsync();
        await Assertions.Expect(visitor.Locator("#embargo")).ToHaveCountAsync(0);
        var publicDownload = await visitor.RunAndWaitForDownloadAsync(() => visitor.GetByRole(AriaRole.Link, new() { Name = "stroke-unit.png" }).ClickAsync());
        Assert.Equal(Pixel, await File.ReadAllBytesAsync((await publicDownload.PathAsync())!));
        Assert.Contains(app.MailTo(cast.Listed.Email!), m => m.Contains("Embargo lifted: Riverside opens a stroke unit", StringComparison.Ordinal));
    }
}
