using Rounds.Networks.Bluesky;
using Rounds.Networks.Facebook;
using Rounds.Networks.LinkedIn;
using Rounds.Networks.Mastodon;
using Rounds.Networks.X;

namespace Rounds.Networks;

/// <summary>The one place that turns a network name and stored credentials into a connector.</summary>
public static class Connectors
{
    public static IReadOnlyList<string> Networks { get; } = ["bluesky", "mastodon", "x", "linkedin", "facebook"];

    public static INetworkConnector Create(string network, NetworkCredentials credentials, HttpClient http, TimeProvider clock) => network switch
    {
        "bluesky" => new BlueskyConnector(http, credentials, clock),
        "mastodon" => new MastodonConnector(http, credentials, clock),
        "x" => new XConnector(http, credentials, clock),
        "linkedin" => new LinkedInConnector(http, credentials, clock),
        "facebook" => new FacebookConnector(http, credentials, clock),
        _ => throw new ArgumentException($"Unknown network '{network}'; known: {string.Join(", ", Networks)}.", nameof(network)),
    };
}
