using Rounds.Networks.Tests.StandIns;
using Rounds.Networks.YouTube;

namespace Rounds.Networks.Tests.YouTube;

[Trait("Network", "YouTube")]
public sealed class YouTubeConnectorTests : IAsyncLifetime
{
    private const string UploadPath = "/upload/youtube/v3/videos";

    private readonly YouTubeUploadStandIn network = new();

    public Task InitializeAsync() => network.InitializeAsync();

    public Task DisposeAsync() => network.DisposeAsync();

    private YouTubeConnector Connector(string token = YouTubeUploadStandIn.Token) =>
        new(network.Http, new NetworkCredentials(network.Url, YouTubeUploadStandIn.ChannelId, token), TimeProvider.System) { ChunkSize = YouTubeConnector.ChunkUnit };

    /// <summary>Bytes that differ at every position, so a chunk sent twice or skipped shows in the stored video.</summary>
    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) ^ (i >> 8));
        }

        return bytes;
    }

    private static (PublishRequest Request, List<Uri> Stored) Post(string text, byte[] bytes, string title = "Meet our night nurses", Uri? session = null)
    {
        var stored = new List<Uri>();
        var video = new VideoAttachment(title, "video/mp4", bytes.Length, (offset, _) =>
        {
            Stream stream = new MemoryStream(bytes, writable: false) { Position = offset };
            return Task.FromResult(stream);
        })
        {
            Session = session,
            SessionStarted = (uri, _) =>
            {
                stored.Add(uri);
                return Task.CompletedTask;
            },
        };
        return (Requests.Post(text) with { Video = video }, stored);
    }

    [Fact]
    public async Task The_connection_check_names_the_channel_and_refuses_another_channels_token()
    {
        Assert.Equal(new ConnectionCheck(YouTubeUploadStandIn.ChannelTitle, null), await Connector().VerifyAsync());

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("expired").VerifyAsync())).Kind);
        var other = new YouTubeConnector(network.Http, new NetworkCredentials(network.Url, "UCsomeoneelse0000000000000", YouTubeUploadStandIn.Token), TimeProvider.System);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => other.VerifyAsync())).Kind);
    }

    [Fact]
    public async Task A_video_is_uploaded_in_chunks_with_its_title_and_the_copy_as_description()
    {
        var bytes = Bytes((YouTubeConnector.ChunkUnit * 2) + 1000);
        var (request, stored) = Post("Night shift on ward 4.\nThank you to every nurse.", bytes);

        var published = await Connector().PublishAsync(request);

        var video = Assert.Single(network.Videos);
        Assert.Equal(new PublishedPost(video.Id, $"https://www.youtube.com/watch?v={video.Id}"), published);
        Assert.Equal("Meet our night nurses", video.Title);
        Assert.Equal(request.Text, video.Description);
        Assert.Equal("public", video.PrivacyStatus);
        Assert.Equal("video/mp4", video.ContentType);
        Assert.Equal(bytes, video.Bytes);
        Assert.Single(stored);
        Assert.Equal(3, network.Requests.Count(r => r.StartsWith("PUT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_chunk_cut_short_resumes_from_where_the_server_says()
    {
        var bytes = Bytes((YouTubeConnector.ChunkUnit * 3) + 17);
        var (request, _) = Post("Our new maternity unit", bytes);
        network.CutNextChunk(1000);

        await Connector().PublishAsync(request);

        var video = Assert.Single(network.Videos);
        Assert.Equal(bytes, video.Bytes);
        Assert.Equal(1, network.SessionsStarted);
    }

    [Fact]
    public async Task A_failed_chunk_and_a_lost_answer_are_asked_about_and_resumed_without_a_second_video()
    {
        var bytes = Bytes((YouTubeConnector.ChunkUnit * 3) + 5);
        var (request, _) = Post("Flu clinic walk-through", bytes);
        network.Inject(Fault.Unavailable, "PUT", UploadPath);

        await Connector().PublishAsync(request);
        Assert.Equal(bytes, Assert.Single(network.Videos).Bytes);

        var (second, _) = Post("Parking garage tour", bytes);
        network.Inject(Fault.LoseAnswer, "PUT", UploadPath);
        await Connector().PublishAsync(second);

        Assert.Equal(2, network.Videos.Count);
        Assert.Equal(bytes, network.Videos[1].Bytes);
        Assert.Equal(2, network.SessionsStarted);
    }

    [Fact]
    public async Task A_stored_session_is_resumed_by_the_next_attempt_and_a_finished_one_is_found_not_uploaded_again()
    {
        var bytes = Bytes((YouTubeConnector.ChunkUnit * 2) + 9);
        var (first, stored) = Post("Hand hygiene week", bytes);
        for (var i = 0; i < 4; i++)
        {
            network.Inject(Fault.Unavailable, "PUT", UploadPath);
        }

        var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(first));
        Assert.Equal(FailureKind.Retryable, failed.Kind);
        Assert.Empty(network.Videos);
        var session = Assert.Single(stored);

        var (retry, again) = Post("Hand hygiene week", bytes, session: session);
        Assert.Null(await Connector().FindAsync(retry));
        var published = await Connector().PublishAsync(retry);

        Assert.Empty(again);
        Assert.Equal(1, network.SessionsStarted);
        Assert.Equal(bytes, Assert.Single(network.Videos).Bytes);
        Assert.Equal(published, await Connector().FindAsync(retry));
        Assert.Equal(published, await Connector().PublishAsync(retry));
        Assert.Single(network.Videos);
    }

    [Fact]
    public async Task An_expired_session_starts_a_new_upload()
    {
        var bytes = Bytes(YouTubeConnector.ChunkUnit + 3);
        var (first, stored) = Post("Cardiology open day", bytes);
        for (var i = 0; i < 4; i++)
        {
            network.Inject(Fault.Unavailable, "PUT", UploadPath);
        }

        await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(first));
        network.ExpireSessions();

        var (retry, restarted) = Post("Cardiology open day", bytes, session: stored.Single());
        Assert.Null(await Connector().FindAsync(retry));
        await Connector().PublishAsync(retry);

        Assert.Single(restarted);
        Assert.Equal(bytes, Assert.Single(network.Videos).Bytes);
    }

    [Theory]
    [InlineData("quotaExceeded")]
    [InlineData("uploadLimitExceeded")]
    public async Task Quota_refusals_are_a_rate_limit_until_the_quota_day_turns(string reason)
    {
        if (reason == "quotaExceeded")
        {
            network.Inject(Fault.RateLimited, "POST", UploadPath);
        }
        else
        {
            network.UploadsLeft = 0;
        }

        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Post("Hello", Bytes(10)).Request));

        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.Contains(reason, limited.Message, StringComparison.Ordinal);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(25));
        Assert.Empty(network.Videos);
    }

    [Fact]
    public async Task What_youtube_would_refuse_is_refused_before_anything_is_sent()
    {
        var connector = Connector();
        foreach (var request in new[]
        {
            Requests.Post("No video here"),
            Post("Hello", Bytes(10), title: " ").Request,
            Post("Hello", Bytes(10), title: new string('t', 101)).Request,
            Post("Hello", Bytes(10), title: "<b>Bold</b>").Request,
            Post("Use <this>", Bytes(10)).Request,
            Post(new string('d', 5001), Bytes(10)).Request,
            Post("With a photo", Bytes(10)).Request with { Media = [Requests.Photo("A photo")] },
        })
        {
            Assert.Equal(FailureKind.Content, (await Assert.ThrowsAsync<NetworkException>(() => connector.PublishAsync(request))).Kind);
        }

        Assert.Empty(network.Requests);
    }

    [Fact]
    public async Task A_revoked_token_is_an_auth_failure_and_uploads_nothing()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector("revoked").PublishAsync(Post("Hello", Bytes(10)).Request));

        Assert.Equal(FailureKind.Auth, refused.Kind);
        Assert.Empty(network.Videos);
    }

    [Fact]
    public async Task A_stored_session_on_another_host_is_never_called()
    {
        var (request, _) = Post("Hello", Bytes(10), session: new Uri("https://elsewhere.example/upload?upload_id=1"));

        Assert.Null(await Connector().FindAsync(request));
        await Connector().PublishAsync(request);

        Assert.Single(network.Videos);
        Assert.DoesNotContain(network.Requests, r => r.Contains("elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_removes_the_video_and_a_gone_video_counts_as_deleted()
    {
        var published = await Connector().PublishAsync(Post("Hello", Bytes(10)).Request);

        await Connector().DeleteAsync(published);
        await Connector().DeleteAsync(published);

        Assert.Empty(network.Videos);
    }

    [Fact]
    public async Task Other_connectors_refuse_a_video_rather_than_post_the_text_alone()
    {
        var threads = Connectors.Create("threads", new NetworkCredentials(network.Url, "1", "t"), network.Http, TimeProvider.System);
        var refused = await Assert.ThrowsAsync<NetworkException>(() => threads.PublishAsync(Post("Hello", Bytes(10)).Request));

        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Empty(network.Requests);
    }
}
