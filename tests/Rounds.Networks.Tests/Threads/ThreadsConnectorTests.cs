using Rounds.Networks.Tests.StandIns;
using Rounds.Networks.Threads;

namespace Rounds.Networks.Tests.Threads;

[Trait("Network", "Threads")]
public sealed class ThreadsConnectorTests : ConnectorContract<ThreadsStandIn>
{
    protected override string Token => ThreadsStandIn.Token;

    protected override string PublishPath => $"/{ThreadsConnector.ApiVersion}/{ThreadsStandIn.UserId}/threads_publish";

    protected override IReadOnlyList<string> PostIds => [.. Network.Posts.Select(p => p.Id)];

    protected override INetworkConnector Connector(string token) => Connector(token, ThreadsStandIn.UserId);

    private ThreadsConnector Connector(string token, string userId) =>
        new(Network.Http, new NetworkCredentials(Network.Url, userId, token), TimeProvider.System);

    protected override void Seed(string text, DateTimeOffset createdAt) => Network.Seed(text, createdAt);

    [Fact]
    public async Task The_connection_check_names_the_profile()
    {
        Assert.Equal(new ConnectionCheck("@" + ThreadsStandIn.Username, null), await Connector().VerifyAsync());

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("expired").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "northfield").VerifyAsync())).Kind);
    }

    [Fact]
    public async Task A_text_post_is_a_container_then_a_publish_and_reads_back_with_its_permalink()
    {
        var request = Requests.Post("Flu clinic Saturday 9–1.\nBook at https://northfield.example/flu");

        var published = await Connector().PublishAsync(request);

        var post = Assert.Single(Network.Posts);
        Assert.Equal(request.Text, post.Text);
        Assert.Equal(new PublishedPost(post.Id, post.Permalink), published);
        Assert.Equal(published, await Connector().FindAsync(request));
        var calls = Network.Requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"POST /v1.0/{ThreadsStandIn.UserId}/threads", $"POST /v1.0/{ThreadsStandIn.UserId}/threads_publish"], calls);
    }

    [Fact]
    public Task An_image_is_fetched_from_its_public_address_and_several_make_a_carousel() => WithImageHostAsync(async host =>
    {
        MediaAttachment Photo(string name, string alt) => new(TestImages.Jpeg(), "image/jpeg", alt, host.Serve(name, TestImages.Jpeg(), "image/jpeg"));

        await Connector().PublishAsync(Requests.Post("Our new lobby", Photo("lobby.jpg", "The new lobby")));
        await Connector().PublishAsync(Requests.Post("Room by room", Photo("a.jpg", "Reception"), Photo("b.jpg", "A patient room")));

        Assert.Equal([["The new lobby"], ["Reception", "A patient room"]], Network.Posts.Select(p => p.Images!.Select(i => i.AltText).ToArray()));
        Assert.All(Network.Posts.SelectMany(p => p.Images!), i => Assert.Equal(TestImages.Jpeg(), i.Content));
        Assert.Equal(3, Network.Fetches.Count(f => f.Status == 200));
    });

    [Fact]
    public async Task An_image_without_a_public_address_is_refused_before_anything_is_sent_and_one_threads_cannot_fetch_fails_clearly()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo("The new lobby"))));
        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Empty(Network.Requests);

        await WithImageHostAsync(async host =>
        {
            var gone = new MediaAttachment(TestImages.Jpeg(), "image/jpeg", "Gone", new Uri(host.Url, "/images/gone.jpg"));
            var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Gone", gone)));
            Assert.Equal(FailureKind.Content, failed.Kind);
            Assert.Contains("FAILED_DOWNLOADING_IMAGE", failed.Message, StringComparison.Ordinal);
            Assert.Empty(Network.Posts);
        });
    }

    /// <summary>The sender's public image addresses, for the test's length only.</summary>
    private static async Task WithImageHostAsync(Func<PublicImageHost, Task> test)
    {
        var host = new PublicImageHost();
        await host.InitializeAsync();
        try
        {
            await test(host);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_rate_limit_is_reported_as_such()
    {
        Network.Inject(Fault.RateLimited, "POST", PublishPath);

        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.Empty(Network.Posts);
    }

    [Theory]
    [InlineData("a", 1)]
    [InlineData("é", 1)]
    [InlineData("❤", 3)]
    [InlineData("🙂", 4)]
    public void Threads_counts_an_emoji_as_its_utf8_bytes(string text, int length) => Assert.Equal(length, PostLimits.Threads.Measure(text));
}
