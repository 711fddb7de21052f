using Rounds.Networks.Bluesky;
using Rounds.Networks.Facebook;
using Rounds.Networks.Instagram;
using Rounds.Networks.LinkedIn;
using Rounds.Networks.Mastodon;
using Rounds.Networks.Threads;
using Rounds.Networks.X;
using Rounds.Networks.YouTube;

namespace Rounds.Networks.Tests;

public sealed class ConnectorsTests
{
    private static readonly NetworkCredentials Credentials = new(new Uri("https://example.org"), "urn:li:organization:1", "secret");

    [Theory]
    [InlineData("bluesky", typeof(BlueskyConnector))]
    [InlineData("mastodon", typeof(MastodonConnector))]
    [InlineData("x", typeof(XConnector))]
    [InlineData("linkedin", typeof(LinkedInConnector))]
    [InlineData("facebook", typeof(FacebookConnector))]
    [InlineData("threads", typeof(ThreadsConnector))]
    [InlineData("instagram", typeof(InstagramConnector))]
    [InlineData("youtube", typeof(YouTubeConnector))]
    public void Each_network_name_makes_its_connector_with_its_limits(string network, Type type)
    {
        using var http = new HttpClient();

        var connector = Connectors.Create(network, Credentials, http, TimeProvider.System);

        Assert.IsType(type, connector);
        Assert.Equal(network, connector.Network);
        Assert.Equal(network, connector.Limits.Network);
    }

    [Fact]
    public void The_network_list_is_exactly_what_can_be_created()
    {
        using var http = new HttpClient();

        Assert.Equal(["bluesky", "mastodon", "x", "linkedin", "facebook", "threads", "instagram", "youtube"], Connectors.Networks);
        Assert.All(Connectors.Networks, n => Connectors.Create(n, Credentials, http, TimeProvider.System));
        Assert.Throws<ArgumentException>(() => Connectors.Create("myspace", Credentials, http, TimeProvider.System));
    }
}
