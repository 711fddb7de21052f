using Rounds.Networks.Tests.StandIns;
using Rounds.Networks.X;

namespace Rounds.Networks.Tests.X;

[Trait("Network", "X")]
public sealed class XConnectorTests : ConnectorContract<XStandIn>
{
    protected override string Token => XStandIn.Token;

    protected override string PublishPath => "/2/tweets";

    protected override IReadOnlyList<string> PostIds => [.. Network.Tweets.Select(t => t.Id)];

    protected override INetworkConnector Connector(string token) => Connector(token, XStandIn.Username);

    private XConnector Connector(string token, string identifier) =>
        new(Network.Http, new NetworkCredentials(Network.Url, identifier, token), TimeProvider.System);

    protected override void Seed(string text, DateTimeOffset createdAt) => Network.Seed(text, createdAt);

    [Fact]
    public async Task The_connection_check_names_the_account()
    {
        var check = await Connector().VerifyAsync();

        Assert.Equal("@" + XStandIn.Username, check.AccountName);
        Assert.Null(check.ExpiresAt);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "@SomeoneElse").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("expired").VerifyAsync())).Kind);
    }

    [Fact]
    public async Task A_token_for_another_account_publishes_nothing()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "@SomeoneElse").PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.Auth, refused.Kind);
        Assert.Empty(Network.Tweets);
    }

    [Fact]
    public async Task A_post_is_published_and_reads_back_although_x_rewrites_links_and_ampersands()
    {
        var request = Requests.Post("Heart & vascular open house <today>: https://northfield.example/heart");

        var published = await Connector().PublishAsync(request);

        var tweet = Assert.Single(Network.Tweets);
        Assert.StartsWith("Heart &amp; vascular open house &lt;today&gt;: https://t.co/", tweet.Text, StringComparison.Ordinal);
        Assert.Equal(tweet.Id, published.Id);
        Assert.Equal($"https://x.com/{XStandIn.Username}/status/{tweet.Id}", published.Url);
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Images_are_uploaded_with_alt_text_and_without_metadata()
    {
        var request = Requests.Post("Our new lobby", Requests.Photo("The new lobby with a living wall of ferns"));

        var published = await Connector().PublishAsync(request);

        var image = Assert.Single(Assert.Single(Network.Tweets).Media);
        Assert.Equal("tweet_image", image.Category);
        Assert.Equal("The new lobby with a living wall of ferns", image.AltText);
        Assert.False(Requests.HasExif(image.Bytes));
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Rate_limits_wait_for_the_window_or_the_daily_cap_whichever_ran_out()
    {
        Network.Inject(Fault.RateLimited, "POST", PublishPath);
        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));
        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));

        Network.DailyCapReached = true;
        Network.Inject(Fault.RateLimited, "POST", PublishPath);
        var capped = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));
        Assert.Equal(FailureKind.RateLimited, capped.Kind);
        Assert.InRange(capped.RetryAfter!.Value, TimeSpan.FromHours(5.9), TimeSpan.FromHours(6.01));
    }

    [Fact]
    public async Task A_duplicate_of_a_post_from_before_the_first_attempt_is_a_content_failure()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        Network.Seed(request.Text, request.FirstAttemptAt.AddDays(-2));

        var duplicate = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));

        Assert.Equal(FailureKind.Content, duplicate.Kind);
        Assert.Contains("duplicate", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_back_pages_through_a_busy_timeline()
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
