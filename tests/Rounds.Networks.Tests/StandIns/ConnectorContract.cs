namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// What every connector tested against a stand-in must do, whatever the network: refuse what cannot be posted
/// before calling, classify failures, report an unknown outcome when the answer is lost or late, find the post
/// such an attempt made (and only that one), and delete. Each network's test class adds what is its own.
/// </summary>
public abstract class ConnectorContract<TStandIn> : IAsyncLifetime where TStandIn : StandIn, new()
{
    protected TStandIn Network { get; } = new();

    public Task InitializeAsync() => Network.InitializeAsync();

    public Task DisposeAsync() => Network.DisposeAsync();

    protected abstract string Token { get; }

    /// <summary>The path of the call that creates a post, where publish faults are injected.</summary>
    protected abstract string PublishPath { get; }

    /// <summary>The ids of the posts the stand-in holds, as the connector reports them.</summary>
    protected abstract IReadOnlyList<string> PostIds { get; }

    protected abstract INetworkConnector Connector(string token);

    protected INetworkConnector Connector() => Connector(Token);

    /// <summary>A post with this text made outside Rounds at the given time.</summary>
    protected abstract void Seed(string text, DateTimeOffset createdAt);

    [Fact]
    public async Task An_image_without_alt_text_is_refused_before_anything_is_sent()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo(" "))));

        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Empty(Network.Requests);
    }

    [Fact]
    public async Task Text_over_the_limit_is_refused_before_anything_is_sent()
    {
        var connector = Connector();

        var refused = await Assert.ThrowsAsync<NetworkException>(() => connector.PublishAsync(Requests.Post(new string('a', connector.Limits.MaxLength + 1))));

        Assert.Equal(FailureKind.Content, refused.Kind);
        Assert.Empty(Network.Requests);
    }

    [Fact]
    public async Task Failures_are_classified_and_store_nothing()
    {
        var revoked = await Assert.ThrowsAsync<NetworkException>(() => Connector("revoked").PublishAsync(Requests.Post("Hello")));
        Assert.Equal(FailureKind.Auth, revoked.Kind);

        var blank = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("   ")));
        Assert.Equal(FailureKind.Content, blank.Kind);

        foreach (var fault in new[] { Fault.ServerError, Fault.Unavailable })
        {
            Network.Inject(fault, "POST", PublishPath);
            var failed = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));
            Assert.Equal(FailureKind.Retryable, failed.Kind);
            Assert.False(failed.OutcomeUnknown);
        }

        Assert.Empty(PostIds);
    }

    [Fact]
    public async Task A_publish_that_times_out_is_an_unknown_outcome_and_is_found()
    {
        var request = Requests.Post("Parking garage B is closed for repairs (use garage C).");
        Network.Inject(Fault.Hang, "POST", PublishPath);

        var timedOut = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));

        Assert.Equal(FailureKind.Retryable, timedOut.Kind);
        Assert.True(timedOut.OutcomeUnknown);
        Assert.Equal(Assert.Single(PostIds), (await Connector().FindAsync(request))?.Id);
    }

    [Fact]
    public async Task After_a_lost_answer_the_post_is_found_and_a_retry_publishes_nothing_twice()
    {
        var request = Requests.Post("The blood drive moves to the east atrium & the lobby.");
        Network.Inject(Fault.LoseAnswer, "POST", PublishPath);

        var lost = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(request));
        Assert.True(lost.OutcomeUnknown);

        var stored = Assert.Single(PostIds);
        var found = await Connector().FindAsync(request);
        Assert.Equal(stored, found?.Id);
        // A retry anyway: the network's idempotency or duplicate refusal leads back to the post that exists.
        Assert.Equal(found, await Connector().PublishAsync(request));
        Assert.Single(PostIds);
    }

    [Fact]
    public async Task Read_back_ignores_the_same_text_posted_before_the_first_attempt()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        Seed(request.Text, request.FirstAttemptAt.AddDays(-1));

        Assert.Null(await Connector().FindAsync(request));
    }

    [Fact]
    public async Task Deleted_posts_are_gone_and_deleting_again_is_harmless()
    {
        var request = Requests.Post("Posted by mistake");
        var published = await Connector().PublishAsync(request);

        await Connector().DeleteAsync(published);

        Assert.Empty(PostIds);
        Assert.Null(await Connector().FindAsync(request));
        await Connector().DeleteAsync(published);
    }
}
