using Rounds.Networks.LinkedIn;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.LinkedIn;

[Trait("Network", "LinkedIn")]
public sealed class LinkedInConnectorTests : IAsyncLifetime
{
    private readonly LinkedInStandIn linkedIn = new();

    public Task InitializeAsync() => linkedIn.InitializeAsync();

    public Task DisposeAsync() => linkedIn.DisposeAsync();

    private LinkedInConnector Connector(string token = LinkedInStandIn.Token, string author = LinkedInStandIn.Organization, TimeProvider? clock = null) =>
        new(linkedIn.Http, new NetworkCredentials(linkedIn.Url, author, token), clock ?? TimeProvider.System);

    /// <summary>A clock that always says the same time, for waits computed from it.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task The_connection_check_names_the_page_or_the_member()
    {
        Assert.Equal(new ConnectionCheck("Northfield Health", null), await Connector().VerifyAsync());
        Assert.Equal(new ConnectionCheck("Avery Lindqvist", null), await Connector(author: $"urn:li:person:{LinkedInStandIn.MemberId}").VerifyAsync());

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(author: "urn:li:person:someoneElse").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(author: "northfield-health").VerifyAsync())).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(token: "expired").VerifyAsync())).Kind);
    }

    [Fact]
    public async Task Reserved_characters_are_escaped_so_the_whole_post_is_published_and_reads_back()
    {
        var request = Requests.Post("Join us (and bring a friend) for the 5K — details: https://northfield.example/run_2026 #CommunityHealth @ the park");

        var published = await Connector().PublishAsync(request);

        var post = Assert.Single(linkedIn.Posts);
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

        var single = linkedIn.Posts[0].Media;
        Assert.Equal("The lobby's living wall of ferns", Assert.Single(single).AltText);
        Assert.Equal(["The old lobby", "The new lobby"], linkedIn.Posts[1].Media.Select(m => m.AltText));
        Assert.All(linkedIn.Posts.SelectMany(p => p.Media), m =>
        {
            Assert.Equal(LinkedInStandIn.Organization, m.Image.Owner);
            Assert.False(Requests.HasExif(m.Image.Bytes!));
        });
    }

    [Fact]
    public async Task An_image_without_alt_text_is_refused_before_anything_is_sent()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo(""))));

        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Empty(linkedIn.Requests);
    }

    [Fact]
    public async Task Failures_are_classified()
    {
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(token: "revoked").PublishAsync(Requests.Post("Hello")))).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(author: "urn:li:organization:1").PublishAsync(Requests.Post("Hello")))).Kind);
        Assert.Equal(FailureKind.Content, (await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("  ")))).Kind);

        var requestsBefore = linkedIn.Requests.Count;
        Assert.Equal(FailureKind.Content, (await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post(new string('a', 3001))))).Kind);
        Assert.Equal(requestsBefore, linkedIn.Requests.Count);

        // LinkedIn's limits are daily and reset at midnight UTC; its answer names the DAY limit.
        linkedIn.Inject(Fault.RateLimited, "POST", "/rest/posts");
        var sixInTheEvening = new FixedClock(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero));
        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector(clock: sixInTheEvening).PublishAsync(Requests.Post("Hello")));
        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.Equal(TimeSpan.FromHours(6), limited.RetryAfter);

        foreach (var fault in new[] { Fault.ServerError, Fault.Unavailable })
        {
            linkedIn.Inject(fault, "POST", "/rest/posts");
            var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));
            Assert.Equal(FailureKind.Retryable, failed.Kind);
            Assert.False(failed.OutcomeUnknown);
        }

        Assert.Empty(linkedIn.Posts);
    }

    [Fact]
    public async Task A_publish_that_times_out_is_an_unknown_outcome_and_is_found()
    {
        var request = Requests.Post("Parking garage B is closed for repairs.");
        linkedIn.Inject(Fault.Hang, "POST", "/rest/posts");

        var timedOut = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));

        Assert.Equal(FailureKind.Retryable, timedOut.Kind);
        Assert.True(timedOut.OutcomeUnknown);
        Assert.Equal(Assert.Single(linkedIn.Posts).Urn, (await Connector().FindAsync(request))?.Id);
    }

    [Fact]
    public async Task After_a_lost_answer_the_post_is_found_and_a_retry_publishes_nothing_twice()
    {
        var request = Requests.Post("The blood drive moves to the east atrium (level 2).");
        linkedIn.Inject(Fault.LoseAnswer, "POST", "/rest/posts");

        var lost = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));
        Assert.True(lost.OutcomeUnknown);

        var stored = Assert.Single(linkedIn.Posts);
        var found = await Connector().FindAsync(request);
        Assert.Equal(stored.Urn, found?.Id);
        // A retry anyway: LinkedIn refuses the duplicate and the connector answers with the post that exists.
        Assert.Equal(found, await Connector().PublishAsync(request));
        Assert.Single(linkedIn.Posts);
    }

    [Fact]
    public async Task The_same_text_posted_before_the_first_attempt_is_not_taken_for_this_post()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        linkedIn.Seed(request.Text, request.FirstAttemptAt.AddDays(-1));

        Assert.Null(await Connector().FindAsync(request));
        var duplicate = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));
        Assert.Equal(FailureKind.Content, duplicate.Kind);
        Assert.Contains("duplicate", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_posts_are_gone()
    {
        var request = Requests.Post("Posted by mistake");
        var published = await Connector().PublishAsync(request);

        await Connector().DeleteAsync(published);

        Assert.Empty(linkedIn.Posts);
        Assert.Null(await Connector().FindAsync(request));
        await Connector().DeleteAsync(published);
    }
}
