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
    public async Task A_post_with_images_is_refused_before_anything_is_sent_because_threads_fetches_images_from_a_public_address()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo("The new lobby"))));

        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Contains("by hand", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Network.Requests);
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
