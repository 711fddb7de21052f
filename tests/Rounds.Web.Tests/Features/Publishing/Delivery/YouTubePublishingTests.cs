using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rounds.Networks;
using Rounds.Networks.Tests.StandIns;
using Rounds.Networks.YouTube;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// An approved YouTube copy with a video goes out through the connector to a stand-in of the upload API: one video
/// per copy with the whole file, resumed rather than uploaded again after a failed attempt; copies a network cannot
/// take go to their owners.
/// </summary>
[Trait("Network", "YouTube")]
public abstract class YouTubePublishingTests(YouTubeDeliveryRounds app) : IAsyncLifetime
{
    private readonly YouTubeUploadStandIn youtube = new();

    public async Task InitializeAsync()
    {
        await youtube.InitializeAsync();
        app.YouTube = youtube;
    }

    public Task DisposeAsync() => youtube.DisposeAsync();

    [Fact]
    public async Task An_approved_youtube_copy_uploads_its_video_once_and_records_the_watch_address()
    {
        var room = await app.NewsroomAsync("ytpub");
        var channel = await ConnectedChannelAsync(room);
        var bytes = TestVideos.Mp4((YouTubeConnector.ChunkUnit * 2) + 4321);
        var postId = await room.PostAsync("A tour of the new maternity unit, with the midwives who run it.", app.Clock.GetUtcNow(), accounts: channel);
        await AttachAsync(room, postId, bytes, "Our new maternity unit");

        await app.PublishAsync();

        var copy = Assert.Single(await room.CopiesAsync(postId));
        var video = Assert.Single(youtube.Videos);
        Assert.Equal((DeliveryStatus.Published, $"https://www.youtube.com/watch?v={video.Id}", video.Id), (copy.Status, copy.ExternalUrl, copy.ExternalId));
        Assert.Equal(("Our new maternity unit", "A tour of the new maternity unit, with the midwives who run it.", "video/mp4"), (video.Title, video.Description, video.ContentType));
        Assert.Equal(bytes, video.Bytes);

        await app.PublishAsync();
        Assert.Single(youtube.Videos);
    }

    [Fact]
    public async Task A_failed_attempt_is_resumed_from_its_stored_session_by_the_next_one()
    {
        var room = await app.NewsroomAsync("ytresume");
        var channel = await ConnectedChannelAsync(room);
        var bytes = TestVideos.WebM((YouTubeConnector.ChunkUnit * 3) + 10);
        var postId = await room.PostAsync("Hand hygiene in thirty seconds.", app.Clock.GetUtcNow(), accounts: channel);
        await AttachAsync(room, postId, bytes, "Hand hygiene in 30 seconds");
        youtube.CutNextChunk(1000);
        for (var i = 0; i < 4; i++)
        {
            youtube.Inject(Fault.Unavailable, "PUT", "/upload/youtube/v3/videos");
        }

        await app.PublishAsync();
        var failed = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.Waiting, failed.Status);
        Assert.NotNull(failed.UploadSession);
        Assert.Empty(youtube.Videos);

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.PublishAsync();

        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.Published, copy.Status);
        Assert.Equal(1, youtube.SessionsStarted);
        Assert.Equal(bytes, Assert.Single(youtube.Videos).Bytes);
    }

    [Fact]
    public async Task A_spent_quota_holds_the_channel_until_the_quota_day_turns()
    {
        var room = await app.NewsroomAsync("ytquota");
        var channel = await ConnectedChannelAsync(room);
        var postId = await room.PostAsync("Flu clinic walk-through.", app.Clock.GetUtcNow(), accounts: channel);
        await AttachAsync(room, postId, TestVideos.Mp4(5000), "Flu clinic walk-through");
        youtube.UploadsLeft = 0;

        await app.PublishAsync();

        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.Waiting, copy.Status);
        var held = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AccountConnection>().AsNoTracking().SingleAsync(c => c.AccountId == channel));
        Assert.True(held.RateLimitedUntil > app.Clock.GetUtcNow(), "The channel is held.");
        Assert.Empty(youtube.Videos);

        // Once the quota day turns the copy goes out. Sent here, it is not left waiting for another test's cycles,
        // which would otherwise upload it to their stand-in whenever their clock crosses the Pacific midnight.
        youtube.UploadsLeft = 100;
        app.Clock.Advance(held.RateLimitedUntil!.Value - app.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await app.PublishAsync();
        Assert.Equal(DeliveryStatus.Published, Assert.Single(await room.CopiesAsync(postId)).Status);
        Assert.Single(youtube.Videos);
    }

    [Fact]
    public async Task A_video_for_another_network_and_a_youtube_copy_without_one_go_to_their_owners()
    {
        var room = await app.NewsroomAsync("ythand");
        var channel = await ConnectedChannelAsync(room);
        await room.ConnectFakeAsync();
        var withVideo = await room.PostAsync("Meet our night nurses.", app.Clock.GetUtcNow(), accounts: room.AccountId);
        await AttachAsync(room, withVideo, TestVideos.Mp4(5000), "Meet our night nurses");
        var withoutVideo = await room.PostAsync("Night nurses, in words only.", app.Clock.GetUtcNow(), accounts: channel);

        await app.PublishAsync();

        var bluesky = Assert.Single(await room.CopiesAsync(withVideo));
        Assert.Equal(DeliveryStatus.WithOwner, bluesky.Status);
        Assert.Contains("Rounds does not send videos to Bluesky", await ReasonAsync(withVideo), StringComparison.Ordinal);
        var tube = Assert.Single(await room.CopiesAsync(withoutVideo));
        Assert.Equal(DeliveryStatus.WithOwner, tube.Status);
        Assert.Contains("a YouTube post is a video, and the post has none", await ReasonAsync(withoutVideo), StringComparison.Ordinal);
        Assert.Empty(youtube.Videos);

        // The owners' task carries the video with its approved title, so the copy is posted as it was approved.
        var tasks = await app.WithScopeAsync(async services =>
            await services.GetRequiredService<PostByHand>().TasksAsync(await RoundsFactory.ContextAsync(services, room.Org, room.Owner)));
        var video = Assert.Single(tasks, t => t.PostId == withVideo).Video;
        Assert.Equal(("Meet our night nurses", 5000L, "video/mp4"), (video?.Title, video?.Bytes, video?.ContentType));
        Assert.Null(Assert.Single(tasks, t => t.PostId == withoutVideo).Video);
    }

    private async Task<Guid> ConnectedChannelAsync(Newsroom room)
    {
        var channel = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@NorthfieldTube" + Guid.NewGuid().ToString("N")[..6], "youtube");
        await room.ConnectAsync(channel, "https://www.googleapis.com/", YouTubeUploadStandIn.ChannelId, YouTubeUploadStandIn.Token);
        return channel;
    }

    /// <summary>The reason a post's copy was handed over, as its audit entry records it.</summary>
    private Task<string> ReasonAsync(Guid postId) => app.WithScopeAsync(async services =>
        string.Join(" ", await services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Audit.AuditEntry>().IgnoreQueryFilters()
            .Where(a => a.Action == "post.copy_handed_to_owner" && a.EntityId == postId.ToString()).Select(a => a.After ?? "").ToListAsync()));

    /// <summary>A video already approved with the post, as a post that went through review carries it.</summary>
    private Task AttachAsync(Newsroom room, Guid postId, byte[] bytes, string title) => app.WithScopeAsync(async services =>
    {
        var store = services.GetRequiredService<PostVideoStore>();
        var staged = store.StagingPath();
        await File.WriteAllBytesAsync(staged, bytes);
        var db = services.GetRequiredService<RoundsDbContext>();
        db.Add(new PostVideo
        {
            OrganizationId = room.Org.Id, PostId = postId, Title = title, FileName = "video", ContentType = Rounds.Networks.Media.VideoFormat.Detect(bytes)!,
            Size = bytes.Length, StorageName = store.Keep(staged), UploadedBy = "Marisol Author", UploadedAt = app.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    });
}

/// <summary>Delivery with YouTube's connector pointed at the test's stand-in, in small chunks so a small file takes several.</summary>
public class YouTubeDeliveryRounds(TestDatabase database) : DeliveryRounds(database)
{
    public YouTubeUploadStandIn? YouTube { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IConnectorFactory>(sp =>
            new ToStandIn(sp.GetRequiredService<FakeNetwork>(), this, sp.GetRequiredService<TimeProvider>()))));
    }

    private sealed class ToStandIn(IConnectorFactory inner, YouTubeDeliveryRounds app, TimeProvider clock) : IConnectorFactory
    {
        public IReadOnlyCollection<string> Networks => inner.Networks;

        public INetworkConnector Create(string network, NetworkCredentials credentials) => network == "youtube" && app.YouTube is { } standIn
            ? new YouTubeConnector(standIn.Http, credentials with { Service = standIn.Url }, clock) { ChunkSize = YouTubeConnector.ChunkUnit }
            : inner.Create(network, credentials);
    }
}

public sealed class YouTubeDeliverySqlite() : YouTubeDeliveryRounds(TestDatabase.Sqlite);

public sealed class YouTubeDeliveryPostgres() : YouTubeDeliveryRounds(TestDatabase.PostgreSql);

public sealed class YouTubePublishingTestsOnSqlite(YouTubeDeliverySqlite app) : YouTubePublishingTests(app), IClassFixture<YouTubeDeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class YouTubePublishingTestsOnPostgres(YouTubeDeliveryPostgres app) : YouTubePublishingTests(app), IClassFixture<YouTubeDeliveryPostgres>;
