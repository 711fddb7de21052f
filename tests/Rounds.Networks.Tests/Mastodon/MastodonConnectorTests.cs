using Rounds.Networks.Mastodon;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Mastodon;

[Trait("Network", "Mastodon")]
public sealed class MastodonConnectorTests : IAsyncLifetime
{
    private readonly MastodonStandIn mastodon = new();

    public Task InitializeAsync() => mastodon.InitializeAsync();

    public Task DisposeAsync() => mastodon.DisposeAsync();

    private MastodonConnector Connector(string token = MastodonStandIn.Token, string identifier = "@northfield") =>
        new(mastodon.Http, new NetworkCredentials(mastodon.Url, identifier, token), TimeProvider.System);

    [Fact]
    public async Task The_connection_check_names_the_account_on_its_instance()
    {
        var check = await Connector().VerifyAsync();

        Assert.Equal($"@{MastodonStandIn.Username}@{mastodon.Url.Host}", check.AccountName);
        Assert.Null(check.ExpiresAt);
        var other = await Assert.ThrowsAsync<NetworkException>(() => Connector(identifier: "@someone.else").VerifyAsync());
        Assert.Equal(FailureKind.Auth, other.Kind);
    }

    [Fact]
    public async Task A_post_is_published_publicly_and_reads_back()
    {
        var request = Requests.Post("Flu clinic Saturday 9–1.\nBook at https://northfield.example/flu #FluSeason");

        var published = await Connector().PublishAsync(request);

        var status = Assert.Single(mastodon.Statuses);
        Assert.Equal(request.Text, status.Text);
        Assert.Equal("public", status.Visibility);
        Assert.Equal(status.Id, published.Id);
        Assert.Equal(new Uri(mastodon.Url, $"/@northfield/{status.Id}").ToString(), published.Url);
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task The_idempotency_key_makes_a_repeated_publish_the_same_status()
    {
        var request = Requests.Post("Visiting hours change on Monday.");

        var first = await Connector().PublishAsync(request);
        var second = await Connector().PublishAsync(request);

        Assert.Equal(first, second);
        Assert.Single(mastodon.Statuses);
    }

    [Fact]
    public async Task Images_wait_for_processing_and_carry_alt_text_without_metadata()
    {
        mastodon.ProcessingPolls = 2;

        await Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo("The new lobby with a living wall of ferns")));

        var image = Assert.Single(Assert.Single(mastodon.Statuses).Media);
        Assert.Equal("The new lobby with a living wall of ferns", image.Description);
        Assert.False(Requests.HasExif(image.Bytes));
        Assert.Equal(3, mastodon.Requests.Count(r => r.StartsWith("GET /api/v1/media/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_image_without_alt_text_is_refused_before_anything_is_sent()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo(""))));

        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Empty(mastodon.Requests);
    }

    [Fact]
    public async Task Failures_are_classified()
    {
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Connector(token: "revoked").PublishAsync(Requests.Post("Hello")))).Kind);
        Assert.Equal(FailureKind.Content, (await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("   ")))).Kind);

        var requestsBefore = mastodon.Requests.Count;
        var tooLong = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post(new string('a', 501))));
        Assert.Equal(FailureKind.Content, tooLong.Kind);
        Assert.Equal(requestsBefore, mastodon.Requests.Count);

        mastodon.Inject(Fault.RateLimited, "POST", "/api/v1/statuses");
        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));
        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(91));

        foreach (var fault in new[] { Fault.ServerError, Fault.Unavailable })
        {
            mastodon.Inject(fault, "POST", "/api/v1/statuses");
            var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));
            Assert.Equal(FailureKind.Retryable, failed.Kind);
            Assert.False(failed.OutcomeUnknown);
        }

        Assert.Empty(mastodon.Statuses);
    }

    [Fact]
    public async Task A_publish_that_times_out_is_an_unknown_outcome_and_is_found()
    {
        var request = Requests.Post("Parking garage B is closed for repairs.");
        mastodon.Inject(Fault.Hang, "POST", "/api/v1/statuses");

        var timedOut = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));

        Assert.Equal(FailureKind.Retryable, timedOut.Kind);
        Assert.True(timedOut.OutcomeUnknown);
        Assert.Equal(Assert.Single(mastodon.Statuses).Id, (await Connector().FindAsync(request))?.Id);
    }

    [Fact]
    public async Task After_a_lost_answer_the_post_is_found_and_a_retry_publishes_nothing_twice()
    {
        var request = Requests.Post("The blood drive moves to the east atrium.");
        mastodon.Inject(Fault.LoseAnswer, "POST", "/api/v1/statuses");

        var lost = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));
        Assert.True(lost.OutcomeUnknown);

        var stored = Assert.Single(mastodon.Statuses);
        var found = await Connector().FindAsync(request);
        Assert.Equal(stored.Id, found?.Id);
        var retried = await Connector().PublishAsync(request);
        Assert.Equal(found, retried);
        Assert.Single(mastodon.Statuses);
    }

    [Fact]
    public async Task Read_back_ignores_the_same_text_posted_before_the_first_attempt()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        mastodon.Seed(request.Text, request.FirstAttemptAt.AddDays(-7));

        Assert.Null(await Connector().FindAsync(request));

        var published = await Connector().PublishAsync(request);
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Deleted_posts_are_gone()
    {
        var request = Requests.Post("Posted by mistake");
        var published = await Connector().PublishAsync(request);

        await Connector().DeleteAsync(published);

        Assert.Empty(mastodon.Statuses);
        Assert.Null(await Connector().FindAsync(request));
        await Connector().DeleteAsync(published);
    }
}
