using Rounds.Networks;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Where delivery gets a connector for an account. The one implementation calls the connector library; tests
/// substitute a network of their own or point accounts at a real Bluesky PDS.
/// </summary>
public interface IConnectorFactory
{
    /// <summary>The networks Rounds can publish to (<c>bluesky</c>, <c>mastodon</c>, …).</summary>
    IReadOnlyCollection<string> Networks { get; }

    INetworkConnector Create(string network, NetworkCredentials credentials);

    /// <summary>A reader signed in as the account where the network needs it; null where it does not or has none.</summary>
    Rounds.Networks.Ingestion.IPostSource? CreateReader(string network, NetworkCredentials credentials) => null;
}

internal sealed class LibraryConnectorFactory(IHttpClientFactory http, TimeProvider clock) : IConnectorFactory
{
    public const string HttpClientName = "networks";

    public IReadOnlyCollection<string> Networks => Connectors.Networks;

    public INetworkConnector Create(string network, NetworkCredentials credentials) =>
        Connectors.Create(network, credentials, http.CreateClient(HttpClientName), clock);

    public Rounds.Networks.Ingestion.IPostSource? CreateReader(string network, NetworkCredentials credentials) =>
        Connectors.CreateReader(network, credentials, http.CreateClient(HttpClientName), clock);
}
