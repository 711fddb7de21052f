using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Rounds.Networks;
using Rounds.Networks.Instagram;
using Rounds.Networks.Threads;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// Rounds on a real port, so that stand-ins of the Instagram Graph API and the Threads API fetch each image from the
/// expiring public address Rounds gives them, as those networks do; accounts are connected as they are in use, at
/// graph.facebook.com and graph.threads.net, and their connectors are pointed at the stand-ins.
/// </summary>
public class InstagramRounds : DeliveryRounds
{
    protected InstagramRounds(TestDatabase database) : base(database)
    {
        // Links take the address the server listens on, which the stand-in can reach.
        PublicUrl = null;
        UseKestrel(0);
    }

    public InstagramStandIn Instagram { get; } = new();

    public ThreadsStandIn Threads { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IConnectorFactory>(sp =>
            new StandInNetworks(sp.GetRequiredService<FakeNetwork>(), this, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<TimeProvider>()))));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Instagram.DisposeAsync().GetAwaiter().GetResult();
            Threads.DisposeAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The real Instagram and Threads connectors on the client Rounds gives every connector, calling the stand-ins
    /// instead of their networks.
    /// </summary>
    private sealed class StandInNetworks(IConnectorFactory others, InstagramRounds app, IHttpClientFactory http, TimeProvider clock) : IConnectorFactory
    {
        public IReadOnlyCollection<string> Networks => others.Networks;

        public INetworkConnector Create(string network, NetworkCredentials credentials) => network switch
        {
            "instagram" => new InstagramConnector(http.CreateClient(LibraryConnectorFactory.HttpClientName), credentials with { Service = app.Instagram.Url }, clock),
            "threads" => new ThreadsConnector(http.CreateClient(LibraryConnectorFactory.HttpClientName), credentials with { Service = app.Threads.Url }, clock),
            _ => others.Create(network, credentials),
        };
    }
}

public sealed class InstagramSqlite() : InstagramRounds(TestDatabase.Sqlite);

public sealed class InstagramPostgres() : InstagramRounds(TestDatabase.PostgreSql);

[Trait("Network", "Instagram")]
public abstract class InstagramPublishingTests(InstagramRounds app) : IAsyncLifetime
{
    /// <summary>
    /// An 8×8 grey baseline JPEG without metadata, so the connector's stripping keeps it as it is: JFIF, the tables,
    /// one scan of one block, the end.
    /// </summary>
    internal static readonly byte[] Jpeg =
    [
        0xFF, 0xD8,
        .. Segment(0xE0, [.. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
        .. Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]),
        .. Segment(0xC0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
        .. Segment(0xC4, [0x00, 1, .. new byte[15], 0]),
        .. Segment(0xC4, [0x10, 1, .. new byte[15], 0]),
        .. Segment(0xDA, [1, 1, 0x00, 0, 63, 0]),
        0x3F, 0xFF, 0xD9,
    ];

    private static byte[] Segment(byte marker, byte[] data) => [0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2), .. data];

    private static readonly HttpClient Fetcher = new();

    public async Task InitializeAsync()
    {
        if (app.Instagram.Url is null)
        {
            await app.Instagram.InitializeAsync();
            await app.Threads.InitializeAsync();
        }

        app.StartServer();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Newsroom Room, Guid Account)> ConnectedAsync(string name)
    {
        var room = await app.NewsroomAsync(name);
        var instagram = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_" + name + Guid.NewGuid().ToString("N")[..6], "instagram");
        await room.ConnectAsync(instagram, "https://graph.facebook.com/", InstagramStandIn.UserId, InstagramStandIn.Token);
        return (room, instagram);
    }

    private Task<Guid> AddImageAsync(Newsroom room, Guid postId, string altText) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var image = new MediaItem
        {
            OrganizationId = room.Org.Id, PostId = postId, FileName = "garden.jpg", ContentType = "image/jpeg", Content = Jpeg, AltText = altText,
            UploadedBy = room.Author.DisplayName, UploadedAt = app.Clock.GetUtcNow(),
        };
        db.Add(image);
        await db.SaveChangesAsync();
        return image.Id;
    });

    private Task<Uri> AddressAsync(Guid mediaId, Guid targetId) =>
        app.WithScopeAsync(services => Task.FromResult(services.GetRequiredService<PublicImages>().AddressOf(mediaId, targetId)));

    /// <summary>Protects the Instagram path: before, an approved Instagram copy always went to its owners to post by hand.</summary>
    [Fact]
    public async Task An_approved_instagram_copy_is_published_once_with_its_image_fetched_from_its_public_address()
    {
        var (room, instagram) = await ConnectedAsync("insta");
        var text = "Our pediatric garden is open to families. " + Guid.NewGuid().ToString("N")[..8];
        var postId = await room.PostAsync(text, app.Clock.GetUtcNow(), PostStatus.Approved, instagram);
        await AddImageAsync(room, postId, "Children planting tulips in the garden");

        await app.PublishAsync();

        // Other tests' copies may go out in the same cycle: this copy is what counts.
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Published, ""), (copy.Status, copy.LastError));
        var post = Assert.Single(app.Instagram.Posts, p => p.Caption == text);
        var image = Assert.Single(post.Images);
        Assert.Equal(Jpeg, image.Content);
        Assert.Equal("Children planting tulips in the garden", image.AltText);
        Assert.Contains(app.Instagram.Fetches, f => f.Url == image.Url && f is { Status: 200, ContentType: "image/jpeg" });
        Assert.Contains(PublicImages.PathPrefix, image.Url, StringComparison.Ordinal);
        Assert.Equal((post.Id, post.Permalink), (copy.ExternalId, copy.ExternalUrl));

        // Published: the address the network was given no longer serves the image, and later cycles post nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(image.Url)).StatusCode);
        await app.PublishAsync();
        Assert.Single(app.Instagram.Posts, p => p.Caption == text);
    }

    [Fact]
    public async Task A_public_image_address_serves_only_an_approved_due_posts_image_until_it_expires()
    {
        var (room, instagram) = await ConnectedAsync("addr");
        var approved = await room.PostAsync("Flu clinic on Saturday.", app.Clock.GetUtcNow(), PostStatus.Approved, instagram);
        var draft = await room.PostAsync("A draft nobody approved.", app.Clock.GetUtcNow(), PostStatus.Draft, instagram);
        var later = await room.PostAsync("Approved for next week.", app.Clock.GetUtcNow().AddDays(7), PostStatus.Approved, instagram);
        var approvedImage = await AddImageAsync(room, approved, "The clinic's door");
        var draftImage = await AddImageAsync(room, draft, "A draft's image");
        var laterImage = await AddImageAsync(room, later, "Next week's image");
        var approvedCopy = Assert.Single(await room.CopiesAsync(approved)).Id;

        var address = await AddressAsync(approvedImage, approvedCopy);
        using var served = await Fetcher.GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Jpeg, await served.Content.ReadAsByteArrayAsync());
        Assert.True(served.Headers.CacheControl is { Private: true, NoStore: true });

        // Never a draft's image, nor one not yet due, nor an image under another post's copy.
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(await AddressAsync(draftImage, Assert.Single(await room.CopiesAsync(draft)).Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(await AddressAsync(laterImage, Assert.Single(await room.CopiesAsync(later)).Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(await AddressAsync(draftImage, approvedCopy))).StatusCode);

        // A token changed by one character, or none at all, is refused alike; there is no listing.
        var token = address.AbsolutePath[PublicImages.PathPrefix.Length..];
        var tampered = new Uri(address, PublicImages.PathPrefix + token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1]);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(new Uri(address, PublicImages.PathPrefix))).StatusCode);

        // An hour later the same address is dead.
        app.Clock.Advance(PublicImages.Lifetime);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetcher.GetAsync(address)).StatusCode);
    }

    /// <summary>Protects the Threads path: before, a Threads copy with images went to its owners to post by hand.</summary>
    [Fact]
    public async Task A_threads_copy_with_images_is_published_through_the_public_addresses_and_the_composer_says_so()
    {
        var room = await app.NewsroomAsync("threads");
        var threads = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_threads_" + Guid.NewGuid().ToString("N")[..6], "threads");
        await room.ConnectAsync(threads, "https://graph.threads.net/", ThreadsStandIn.UserId, ThreadsStandIn.Token);
        var text = "Our new lobby opens on Monday. " + Guid.NewGuid().ToString("N")[..8];
        var postId = await room.PostAsync(text, app.Clock.GetUtcNow(), PostStatus.Approved, threads);
        await AddImageAsync(room, postId, "The new lobby");
        await AddImageAsync(room, postId, "The new café");
        var path = await app.WithScopeAsync(async services => (await services.GetRequiredService<PublishingPaths>().ForAsync(
            room.Org.Id, [.. await services.GetRequiredService<Rounds.Web.Features.Accounts.Contracts.IAccountDirectory>().FindManyAsync(room.Org.Id, [threads])]))[threads]);

        await app.PublishAsync();

        Assert.Equal((true, "published by Rounds"), (path.ByRounds, path.Says));
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Published, ""), (copy.Status, copy.LastError));
        var post = Assert.Single(app.Threads.Posts, p => p.Text == text);
        Assert.Equal(["The new lobby", "The new café"], post.Images!.Select(i => i.AltText));
        Assert.All(post.Images!, i => Assert.Equal(Jpeg, i.Content));
        Assert.Equal(post.Permalink, copy.ExternalUrl);
    }

    /// <summary>
    /// Rounds takes PNG and WebP images, which Instagram (JPEG only) and Threads (no WebP) refuse, and an image can be
    /// removed while the post is in review: such approved copies go to their owners rather than fail at the network.
    /// </summary>
    [Fact]
    public async Task Images_the_network_would_refuse_send_the_copy_to_its_owners_with_the_reason()
    {
        var (room, instagram) = await ConnectedAsync("kinds");
        var threads = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_kinds_" + Guid.NewGuid().ToString("N")[..6], "threads");
        await room.ConnectAsync(threads, "https://graph.threads.net/", ThreadsStandIn.UserId, ThreadsStandIn.Token);
        var png = await room.PostAsync("A PNG for Instagram. " + Guid.NewGuid().ToString("N")[..6], app.Clock.GetUtcNow(), PostStatus.Approved, instagram);
        var webp = await room.PostAsync("A WebP for Threads. " + Guid.NewGuid().ToString("N")[..6], app.Clock.GetUtcNow(), PostStatus.Approved, threads);
        var none = await room.PostAsync("Its image was removed in review. " + Guid.NewGuid().ToString("N")[..6], app.Clock.GetUtcNow(), PostStatus.Approved, instagram);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            foreach (var (postId, type) in new[] { (png, "image/png"), (webp, "image/webp") })
            {
                db.Add(new MediaItem { OrganizationId = room.Org.Id, PostId = postId, FileName = "sign", ContentType = type, Content = [1, 2, 3], AltText = "The sign", UploadedBy = "Marisol Author", UploadedAt = app.Clock.GetUtcNow() });
            }

            return await db.SaveChangesAsync();
        });
        var instagramPosts = app.Instagram.Posts.Count;
        var threadsPosts = app.Threads.Posts.Count;

        await app.PublishAsync();

        foreach (var postId in new[] { png, webp, none })
        {
            var copy = Assert.Single(await room.CopiesAsync(postId));
            Assert.Equal(DeliveryStatus.WithOwner, copy.Status);
            Assert.Empty(await room.AttemptsAsync(copy.Id));
        }

        Assert.Equal((instagramPosts, threadsPosts), (app.Instagram.Posts.Count, app.Threads.Posts.Count));
        // The reason is kept with the hand-over in the audit log (JSON, so a slash may be escaped).
        var reasons = (await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Audit.AuditEntry>()
            .Where(e => e.OrganizationId == room.Org.Id && e.Action == "post.copy_handed_to_owner").Select(e => e.After!).ToListAsync()))
            .Select(after => System.Text.Json.JsonDocument.Parse(after).RootElement.EnumerateObject().Single(p => p.Name.Equals("Reason", StringComparison.OrdinalIgnoreCase)).Value.GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("Instagram takes JPEG images only, and the post has a image/png image", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("Threads takes JPEG and PNG images only, and the post has a image/webp image", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("an Instagram post is an image, and the post has none", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_instagram_post_without_an_image_cannot_be_submitted()
    {
        var (room, instagram) = await ConnectedAsync("noimg");
        var postId = await room.PostAsync("Words alone.", app.Clock.GetUtcNow().AddDays(1), PostStatus.Draft, instagram);
        async Task<Rounds.Web.Features.Shared.Outcome> SubmitAsync() => await app.WithScopeAsync(async services =>
            await services.GetRequiredService<ReviewPost>().SubmitAsync(await RoundsFactory.ContextAsync(services, room.Org, room.Author), postId));

        var refused = await SubmitAsync();

        Assert.Equal(Rounds.Web.Features.Shared.OutcomeKind.Refused, refused.Kind);
        Assert.StartsWith("Instagram posts need at least one image", refused.Message, StringComparison.Ordinal);
        Assert.Equal(PostStatus.Draft, (await room.ReadPostAsync(postId)).Status);

        await AddImageAsync(room, postId, "The lobby");
        Assert.True((await SubmitAsync()).Succeeded);
    }
}

public sealed class InstagramPublishingTestsOnSqlite(InstagramSqlite app) : InstagramPublishingTests(app), IClassFixture<InstagramSqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class InstagramPublishingTestsOnPostgres(InstagramPostgres app) : InstagramPublishingTests(app), IClassFixture<InstagramPostgres>;
