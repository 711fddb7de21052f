using Rounds.Networks.LinkedIn;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.LinkedIn;

[Trait("Network", "LinkedIn")]
public sealed class LinkedInConnectorTests : ConnectorContract<LinkedInStandIn>
{
    protected override string Token => LinkedInStandIn.Token;

    protected override string PublishPath => "/rest/posts";

    protected override IReadOnlyList<string> PostIds => [.. Network.Posts.Select(p => p.Urn)];

    protected override INetworkConnector Connector(string token) => Connector(token, LinkedInStandIn.Organization);

    private LinkedInConnector Connector(string token, string author, TimeProvider? clock = null) =>
        new(Network.Http, new NetworkCredentials(Network.Url, author, token), clock ?? TimeProvider.System);

    protected override void Seed(string text, DateTimeOffset createdAt) => Network.Seed(text, createdAt);

    /// <summary>A clock that always says the same time, for waits computed from it.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task The_connection_check_names_the_page_or_the_member()
    {
        Assert.Equal(new ConnectionCheck("Northfield Health", null), await Connector().VerifyAsync());
        Assert.Equal(new ConnectionCheck("Avery Lindqvist", null), await Connector(Token, $"urn:li:person:{LinkedInStandIn.MemberId}").VerifyAsync());

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "urn:li:person:someoneElse").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "northfield-health").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector("expired").VerifyAsync())).Kind);
    }

    [Fact]
    public async Task Reserved_characters_are_escaped_so_the_whole_post_is_published_and_reads_back()
    {
        var request = Requests.Post("Join us (and bring a friend) for the 5K — details: https://northfield.example/run_2026 #CommunityHealth @ the park");

        var published = await Connector().PublishAsync(request);

        var post = Assert.Single(Network.Posts);
        Assert.Equal(@"Join us \(and bring a friend\) for the 5K — details: https://northfield.example/run\_2026 {hashtag|\#|CommunityHealth} \@ the park", post.Commentary);
        Assert.Equal("PUBLIC", post.Visibility);
        Assert.Equal(post.Urn, published.Id);
        Assert.Equal($"https://www.linkedin.com/feed/update/{post.Urn}/", published.Url);
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Images_are_uploaded_and_attached_with_alt_text_and_without_metadata()
    {
        await Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo("The lobby's living wall of ferns")));
        await Connector().PublishAsync(Requests.Post("Before and after", Requests.Photo("The old lobby"), Requests.Photo("The new lobby")));

        Assert.Equal("The lobby's living wall of ferns", Assert.Single(Network.Posts[0].Media).AltText);
        Assert.Equal(["The old lobby", "The new lobby"], Network.Posts[1].Media.Select(m => m.AltText));
        Assert.All(Network.Posts.SelectMany(p => p.Media), m =>
        {
            Assert.Equal(LinkedInStandIn.Organization, m.Image.Owner);
            Assert.False(Requests.HasExif(m.Image.Bytes!));
        });
    }

    [Fact]
    public async Task Posting_as_an_author_the_token_may_not_post_for_is_an_auth_failure()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "urn:li:organization:1").PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.Auth, refused.Kind);
    }

    [Fact]
    public async Task Rate_limits_wait_until_the_daily_limits_reset_at_midnight_utc()
    {
        Network.Inject(Fault.RateLimited, "POST", PublishPath);
        var sixInTheEvening = new FixedClock(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero));

        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, LinkedInStandIn.Organization, sixInTheEvening).PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.Equal(TimeSpan.FromHours(6), limited.RetryAfter);
    }

    [Fact]
    public async Task A_duplicate_of_a_post_from_before_the_first_attempt_is_a_content_failure()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        Network.Seed(request.Text, request.FirstAttemptAt.AddDays(-1));

        var duplicate = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));

        Assert.Equal(FailureKind.Content, duplicate.Kind);
        Assert.Contains("duplicate", duplicate.Message, StringComparison.Ordinal);
    }
}
