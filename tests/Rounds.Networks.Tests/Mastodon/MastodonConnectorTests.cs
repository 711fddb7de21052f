using Rounds.Networks.Mastodon;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Mastodon;

[Trait("Network", "Mastodon")]
public sealed class MastodonConnectorTests : ConnectorContract<MastodonStandIn>
{
    protected override string Token => MastodonStandIn.Token;

    protected override string PublishPath => "/api/v1/statuses";

    protected override IReadOnlyList<string> PostIds => [.. Network.Statuses.Select(s => s.Id)];

    protected override INetworkConnector Connector(string token) => Connector(token, "@northfield");

    private MastodonConnector Connector(string token, string identifier) =>
        new(Network.Http, new NetworkCredentials(Network.Url, identifier, token), TimeProvider.System);

    protected override void Seed(string text, DateTimeOffset createdAt) => Network.Seed(text, createdAt);

    [Fact]
    public async Task The_connection_check_names_the_account_on_its_instance()
    {
        var check = await Connector().VerifyAsync();

        Assert.Equal($"@{MastodonStandIn.Username}@{Network.Url.Host}", check.AccountName);
        Assert.Null(check.ExpiresAt);
        var other = await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "@someone.else").VerifyAsync());
        Assert.Equal(FailureKind.Auth, other.Kind);
    }

    /// <summary>Relationships are asked as the connected account, of the other account as its instance knows it.</summary>
    [Fact]
    public async Task The_connector_says_whether_its_account_and_another_follow_each_other()
    {
        Network.Domain = "mastodon.example";
        var both = Network.AddAccount("dr_both", "");
        var oneWay = Network.AddAccount("dr_one_way", "");
        Network.Follow(MastodonStandIn.AccountId, both);
        Network.Follow(both, MastodonStandIn.AccountId);
        Network.Follow(oneWay, MastodonStandIn.AccountId);
        var graph = Assert.IsAssignableFrom<IFollowGraph>(Connector());

        Assert.True(await graph.MutualFollowAsync("@dr_both@mastodon.example"));
        Assert.False(await graph.MutualFollowAsync("dr_one_way@mastodon.example"));
        Assert.Null(await graph.MutualFollowAsync("someone@elsewhere.example"));
    }

    [Fact]
    public async Task A_token_for_another_account_publishes_nothing()
    {
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Connector(Token, "@someone.else").PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.Auth, refused.Kind);
        Assert.Empty(Network.Statuses);
    }

    [Fact]
    public async Task A_post_is_published_publicly_and_reads_back()
    {
        var request = Requests.Post("Flu clinic Saturday 9–1.\nBook at https://northfield.example/flu #FluSeason");

        var published = await Connector().PublishAsync(request);

        var status = Assert.Single(Network.Statuses);
        Assert.Equal(request.Text, status.Text);
        Assert.Equal("public", status.Visibility);
        Assert.Equal(status.Id, published.Id);
        Assert.Equal(new Uri(Network.Url, $"/@northfield/{status.Id}").ToString(), published.Url);
        Assert.Equal(published, await Connector().FindAsync(request));
    }

    [Fact]
    public async Task The_idempotency_key_makes_a_repeated_publish_the_same_status()
    {
        var request = Requests.Post("Visiting hours change on Monday.");

        var first = await Connector().PublishAsync(request);
        var second = await Connector().PublishAsync(request);

        Assert.Equal(first, second);
        Assert.Single(Network.Statuses);
    }

    [Fact]
    public async Task Images_wait_for_processing_and_carry_alt_text_without_metadata()
    {
        Network.ProcessingPolls = 2;

        await Connector().PublishAsync(Requests.Post("Our new lobby", Requests.Photo("The new lobby with a living wall of ferns")));

        var image = Assert.Single(Assert.Single(Network.Statuses).Media);
        Assert.Equal("The new lobby with a living wall of ferns", image.Description);
        Assert.False(Requests.HasExif(image.Bytes));
        Assert.Equal(3, Network.Requests.Count(r => r.StartsWith("GET /api/v1/media/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Rate_limits_wait_until_the_reset_time_mastodon_sends()
    {
        Network.Inject(Fault.RateLimited, "POST", PublishPath);

        var limited = await Assert.ThrowsAsync<NetworkException>(() => Connector().PublishAsync(Requests.Post("Hello")));

        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(91));
    }

    [Fact]
    public async Task A_post_with_the_same_text_as_an_old_one_is_published_and_found_as_itself()
    {
        var request = Requests.Post("Flu shots today in the lobby.");
        Network.Seed(request.Text, request.FirstAttemptAt.AddDays(-7));

        var published = await Connector().PublishAsync(request);

        Assert.Equal(2, Network.Statuses.Count);
        Assert.Equal(published, await Connector().FindAsync(request));
    }
}
