using Rounds.Networks.Facebook;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Facebook;

[Trait("Network", "Facebook")]
public sealed class FacebookConnectorTests : ConnectorContract<FacebookStandIn>
{
    protected override string Token => FacebookStandIn.Token;

    protected override string PublishPath => $"/{FacebookConnector.GraphVersion}/{FacebookStandIn.PageId}/feed";

    protected override IReadOnlyList<string> PostIds => [.. Network.Posts.Select(p => p.Id)];

    protected override INetworkConnector Connector(string token) => Connector(token, FacebookStandIn.PageId);

    private FacebookConnector Connector(string token, string pageId) =>
        new(Network.Http, new NetworkCredentials(Network.Url, pageId, token), TimeProvider.System);

    protected override void Seed(string text, DateTimeOffset createdAt) => Network.Seed(text, createdAt);

    [Fact]
    public async Task The_connection_check_names_the_page_and_says_when_the_token_expires()
    {
        Assert.Equal(new ConnectionCheck("Northfield Health", null), await Connector().VerifyAsync());

        Network.TokenExpiresAt = new DateTimeOffset(2027, 1, 22, 9, 30, 0, TimeSpan.Zero);
        Assert.Equal(new ConnectionCheck("Northfield Health", Network.TokenExpiresAt), await Connector().VerifyAsync());

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("expired").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "northfield").VerifyAsync())).Kind);
    }

    [Fact]
    public async Task A_post_is_published_to_the_page_feed_and_reads_back()
    {
        var request = Requests.Post("Flu clinic Saturday 9–1.\nBook at https://northfield.example/flu");

        var published = await Connector().PublishAsync(request);

        var post = Assert.Single(Network.Posts);
        Assert.Equal(request.Text, post.Message);
        Assert.Equal(post.Id, published.Id);
        Assert.Equal($"https://www.facebook.com/{FacebookStandIn.PageId}/posts/{post.Id.Split('_')[1]}", published.Url);
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Photos_are_uploaded_unpublished_with_alt_text_and_without_metadata_and_attached()
    {
        await Connector().PublishAsync(Requests.Post("Before and after", Requests.Photo("The old lobby"), Requests.Photo("The new lobby")));

        var photos = Assert.Single(Network.Posts).Photos;
        Assert.Equal(["The old lobby", "The new lobby"], photos.Select(p => p.AltText));
        Assert.All(photos, p =>
        {
            Assert.False(p.Published);
            Assert.False(Requests.HasExif(p.Bytes));
        });
    }

    [Fact]
    public async Task Page_throttling_waits_as_long_as_the_business_use_case_usage_says()
    {
        Network.Inject(Fault.RateLimited, "POST", PublishPath);

        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.Equal(TimeSpan.FromMinutes(7), limited.RetryAfter);
    }

    [Fact]
    public async Task A_duplicate_of_a_post_from_before_the_first_attempt_is_a_content_failure()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        Network.Seed(request.Text, request.FirstAttemptAt.AddHours(-5));

        var duplicate = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));

        Assert.Equal(FailureKind.Content, duplicate.Kind);
        Assert.Contains("506", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_back_pages_through_a_busy_feed()
    {
        var request = Requests.Post("Our cafeteria now serves breakfast until 11.");
        var published = await Connector().PublishAsync(request);
        for (var i = 0; i < 150; i++)
        {
            Network.Seed($"Later post {i}", DateTimeOffset.UtcNow.AddSeconds(i + 1));
        }

        Assert.Equal(published, await Connector().FindAsync(request));
    }
}
