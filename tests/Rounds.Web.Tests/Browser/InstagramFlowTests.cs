using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Tests.Features.Publishing.Delivery;

namespace Rounds.Web.Tests.Browser;

/// <summary>
/// Rounds on a real port with the Instagram Graph API's stand-in, which fetches each image from the address Rounds
/// gives it, and Debian's Chromium: the whole way of an Instagram post, as its author and its reviewer click it.
/// </summary>
public sealed class InstagramBrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public InstagramSqlite App { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await App.Instagram.InitializeAsync();
        await App.Threads.InitializeAsync();
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task<IPage> SignedInAsync(string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ReducedMotion = ReducedMotion.Reduce, BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Infrastructure.RoundsFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[Trait("Category", "Browser")]
[Trait("Network", "Instagram")]
public sealed class InstagramFlowTests(InstagramBrowserFixture fixture) : IClassFixture<InstagramBrowserFixture>
{
    [Fact]
    public async Task An_author_posts_to_instagram_with_an_image_a_reviewer_approves_and_rounds_publishes_it_through_the_stand_in()
    {
        var app = fixture.App;
        var room = await app.NewsroomAsync("igflow");
        var handle = "@nf_garden_" + Guid.NewGuid().ToString("N")[..6];
        var instagram = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, handle, "instagram");
        await room.ConnectAsync(instagram, "https://graph.facebook.com/", InstagramStandIn.UserId, InstagramStandIn.Token);
        var text = "Our pediatric garden is open to families this weekend. " + Guid.NewGuid().ToString("N")[..6];

        // The composer says the account is published by Rounds and needs an image; the draft is saved without one.
        var author = await fixture.SignedInAsync(room.Author.Email!);
        await author.GotoAsync($"/o/{room.Org.Slug}/posts/new");
        await author.GetByRole(AriaRole.Checkbox, new() { Name = handle }).CheckAsync();
        await Assertions.Expect(author.Locator($"#path-{instagram}")).ToHaveTextAsync("published by Rounds; Instagram posts need at least one image");
        await author.GetByLabel("Text", new() { Exact = true }).FillAsync(text);
        await author.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Assertions.Expect(author.Locator(".post-status")).ToHaveTextAsync("draft");
        var postUrl = new Uri(author.Url).AbsolutePath;

        await author.Locator("#image-file").SetInputFilesAsync(new FilePayload { Name = "garden.jpg", MimeType = "image/jpeg", Buffer = InstagramPublishingTests.Jpeg });
        await author.GetByLabel("Description for people who cannot see it (required)").FillAsync("Children planting tulips in the garden");
        await author.GetByRole(AriaRole.Button, new() { Name = "Add image" }).ClickAsync();
        await Assertions.Expect(author.GetByRole(AriaRole.Img, new() { Name = "Children planting tulips in the garden" })).ToBeVisibleAsync();
        await author.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Assertions.Expect(author.Locator(".post-status")).ToHaveTextAsync("in review");

        var reviewer = await fixture.SignedInAsync(room.Admin.Email!);
        await reviewer.GotoAsync(postUrl);
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Assertions.Expect(reviewer.Locator(".post-status")).ToHaveTextAsync("approved");

        await app.PublishAsync();

        // Once on Instagram, with the image the stand-in fetched from Rounds, and the post's page links to it.
        var published = Assert.Single(app.Instagram.Posts, p => p.Caption == text);
        var image = Assert.Single(published.Images);
        Assert.Equal("Children planting tulips in the garden", image.AltText);
        Assert.Contains(app.Instagram.Fetches, f => f.Url == image.Url && f.Status == 200);
        await reviewer.GotoAsync(postUrl);
        await Assertions.Expect(reviewer.Locator(".delivery-status")).ToHaveTextAsync("published");
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Link, new() { Name = "on the network" })).ToHaveAttributeAsync("href", published.Permalink);
    }
}
