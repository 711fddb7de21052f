using Rounds.Networks.Instagram;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Instagram;

/// <summary>
/// The Instagram connector against a stand-in of the Graph API's content publishing that fetches each image from
/// its public address, as Instagram does. Every Instagram post carries an image, so the shared connector contract
/// (text-only posts) does not apply; its cases are played here with images.
/// </summary>
[Trait("Network", "Instagram")]
public sealed class InstagramConnectorTests : IAsyncLifetime
{
    private readonly InstagramStandIn network = new();
    private readonly PublicImageHost host = new();

    private string PublishPath => $"/{InstagramConnector.ApiVersion}/{InstagramStandIn.UserId}/media_publish";

    public async Task InitializeAsync()
    {
        await network.InitializeAsync();
        await host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await network.DisposeAsync();
        await host.DisposeAsync();
    }

    private InstagramConnector Connector(string token = InstagramStandIn.Token, string userId = InstagramStandIn.UserId) =>
        new(network.Http, new NetworkCredentials(network.Url, userId, token), TimeProvider.System);

    private MediaAttachment Photo(string name, string altText = "The new lobby")
    {
        var content = TestImages.Jpeg();
        return new MediaAttachment(content, "image/jpeg", altText, host.Serve(name, content, "image/jpeg"));
    }

    private static PublishRequest Post(string text, params MediaAttachment[] media) => Requests.Post(text, media);

    private IReadOnlyList<string> Posts() => [.. network.Requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal))];

    [Fact]
    public async Task The_connection_check_names_the_account()
    {
        Assert.Equal(new ConnectionCheck("@" + InstagramStandIn.Username, null), await Connector().VerifyAsync());

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("expired").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(userId: "northfield").VerifyAsync())).Kind);
    }

    [Fact]
    public async Task One_image_is_a_container_fetched_from_its_public_address_then_a_publish_with_its_permalink()
    {
        var request = Post("Flu clinic Saturday 9–1.\n#FluShot", Photo("lobby.jpg"));

        var published = await Connector().PublishAsync(request);

        var post = Assert.Single(network.Posts);
        Assert.Equal(request.Text, post.Caption);
        var image = Assert.Single(post.Images);
        Assert.Equal(TestImages.Jpeg(), image.Content);
        Assert.Equal("The new lobby", image.AltText);
        Assert.Equal(new PublishedPost(post.Id, post.Permalink), published);
        Assert.Equal(published, await Connector().FindAsync(request));
        var user = $"/{InstagramConnector.ApiVersion}/{InstagramStandIn.UserId}";
        Assert.Equal([$"POST {user}/media", $"POST {user}/media_publish"], Posts());
        Assert.Contains($"GET {user}/content_publishing_limit", network.Requests);
    }

    [Fact]
    public async Task Several_images_are_carousel_items_then_a_carousel_container()
    {
        network.ProcessingPolls = 1;
        var request = Post("Our new wing, room by room.", Photo("a.jpg", "Reception"), Photo("b.jpg", "A patient room"), Photo("c.jpg", "The garden"));

        await Connector().PublishAsync(request);

        var post = Assert.Single(network.Posts);
        Assert.Equal(["Reception", "A patient room", "The garden"], post.Images.Select(i => i.AltText));
        Assert.Equal(4, Posts().Count(p => p.EndsWith("/media", StringComparison.Ordinal)));
        Assert.Equal(3, network.Fetches.Count);
    }

    [Fact]
    public async Task What_instagram_would_refuse_is_refused_before_anything_is_sent()
    {
        var png = new MediaAttachment(TestImages.Png(), "image/png", "A chart", host.Serve("chart.png", TestImages.Png(), "image/png"));
        var cases = new[]
        {
            Post("Text alone"),
            Post("No address", new MediaAttachment(TestImages.Jpeg(), "image/jpeg", "The lobby")),
            Post("A chart", png),
            Post("Undescribed", Photo("x.jpg", " ")),
            Post(new string('a', 2201), Photo("long.jpg")),
            Post("Too many", [.. Enumerable.Range(0, 11).Select(i => Photo($"{i}.jpg"))]),
        };

        foreach (var request in cases)
        {
            var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));
            Assert.Equal(FailureKind.Content, refused.Kind);
        }

        Assert.Contains("at least one image", (await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(cases[0]))).Message, StringComparison.Ordinal);
        Assert.Empty(network.Requests);
    }

    [Fact]
    public async Task A_spent_publishing_quota_is_a_rate_limit_before_any_container_is_made()
    {
        network.QuotaTotal = 1;
        await Connector().PublishAsync(Post("First", Photo("1.jpg")));

        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Post("Second", Photo("2.jpg"))));

        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.Equal(InstagramConnector.QuotaWait, limited.RetryAfter);
        Assert.Single(network.Posts);
        Assert.Single(Posts(), p => p.EndsWith("/media", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_image_instagram_cannot_fetch_fails_clearly_and_posts_nothing()
    {
        var missing = new MediaAttachment(TestImages.Jpeg(), "image/jpeg", "Gone", new Uri(host.Url, "/images/gone.jpg"));

        var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Post("Gone", missing)));

        Assert.Equal(FailureKind.Content, failed.Kind);
        Assert.Contains("could not use", failed.Message, StringComparison.Ordinal);
        Assert.Equal(404, Assert.Single(network.Fetches).Status);
        Assert.Empty(network.Posts);
    }

    [Fact]
    public async Task Failures_are_classified_and_store_nothing()
    {
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("revoked").PublishAsync(Post("Hello", Photo("h.jpg"))))).Kind);

        network.Inject(Fault.RateLimited, "POST", PublishPath);
        Assert.Equal(FailureKind.RateLimited, (await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Post("Hello", Photo("h.jpg"))))).Kind);

        foreach (var fault in new[] { Fault.ServerError, Fault.Unavailable })
        {
            network.Inject(fault, "POST", PublishPath);
            var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Post("Hello", Photo("h.jpg"))));
            Assert.Equal(FailureKind.Retryable, failed.Kind);
            Assert.False(failed.OutcomeUnknown);
        }

        Assert.Empty(network.Posts);
    }

    [Fact]
    public async Task After_a_lost_answer_the_post_is_found_and_a_retry_publishes_nothing_twice()
    {
        var request = Post("The blood drive moves to the east atrium & the lobby.", Photo("drive.jpg"));
        network.Inject(Fault.LoseAnswer, "POST", PublishPath);

        var lost = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));
        Assert.True(lost.OutcomeUnknown);

        var stored = Assert.Single(network.Posts);
        var found = await Connector().FindAsync(request);
        Assert.Equal(stored.Id, found?.Id);
        Assert.Equal(found, await Connector().PublishAsync(request));
        Assert.Single(network.Posts);
    }

    [Fact]
    public async Task Read_back_ignores_the_same_caption_posted_before_the_first_attempt()
    {
        var request = Post("Flu shots today in the lobby.", Photo("flu.jpg"));
        network.Seed(request.Text, request.FirstAttemptAt.AddDays(-1));

        Assert.Null(await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Deleting_is_refused_with_where_to_do_it()
    {
        var published = await Connector().PublishAsync(Post("Posted by mistake", Photo("m.jpg")));

        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().DeleteAsync(published));

        Assert.Contains(published.Url, refused.Message, StringComparison.Ordinal);
        Assert.Single(network.Posts);
    }
}
