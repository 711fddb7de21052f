using Rounds.Networks.Bluesky;
using Rounds.Networks.Facebook;
using Rounds.Networks.Ingestion;
using Rounds.Networks.Instagram;
using Rounds.Networks.LinkedIn;
using Rounds.Networks.Mastodon;
using Rounds.Networks.Threads;
using Rounds.Networks.X;
using Rounds.Networks.YouTube;

namespace Rounds.Networks;

/// <summary>The one place that turns a network name and stored credentials into a connector.</summary>
public static class Connectors
{
    public static IReadOnlyList<string> Networks { get; } = ["bluesky", "mastodon", "x", "linkedin", "facebook", "threads", "instagram", "youtube"];

    /// <summary>
    /// The one API address of a network that has one. Bluesky and Mastodon have none: each account lives on a
    /// server of its own choosing.
    /// </summary>
    public static Uri? KnownService(string network) => network switch
    {
        "x" => new Uri("https://api.x.com/"),
        "linkedin" => new Uri("https://api.linkedin.com/"),
        "facebook" => new Uri("https://graph.facebook.com/"),
        "threads" => new Uri("https://graph.threads.net/"),
        "instagram" => new Uri("https://graph.facebook.com/"),
        "youtube" => new Uri("https://www.googleapis.com/"),
        _ => null,
    };

    /// <summary>
    /// A network with a known API address is always called there, whatever service was stored with the
    /// credentials, so that a stored address cannot send a token, or a request, anywhere else.
    /// </summary>
    public static INetworkConnector Create(string network, NetworkCredentials credentials, HttpClient http, TimeProvider clock) =>
        CreateAt(network, KnownService(network) is { } known ? credentials with { Service = known } : credentials, http, clock);

    /// <summary>
    /// A reader signed in with the stored credentials, for the networks where reading what is addressed to an
    /// account needs them or reads better with them (Bluesky's and Mastodon's notifications, a Facebook Page's feed and
    /// comments, a LinkedIn organization page's posts and comments); null for the others, whose reads need no sign-in or have no reader, and for a LinkedIn
    /// member, whose posts LinkedIn lets no app read. A network with a known API address is read only there.
    /// </summary>
    public static IPostSource? CreateReader(string network, NetworkCredentials credentials, HttpClient http, TimeProvider clock) => network switch
    {
        "bluesky" => new BlueskyNotificationSource(http, credentials, clock),
        "mastodon" => new MastodonPostSource(http, credentials.Service, credentials.Secret, clock),
        "facebook" => new FacebookPostSource(http, KnownService(network)!, credentials.Identifier, credentials.Secret, clock),
        "linkedin" when credentials.Identifier.StartsWith("urn:li:organization:", StringComparison.Ordinal)
            => new LinkedInPostSource(http, KnownService(network)!, credentials.Identifier, credentials.Secret, clock),
        _ => null,
    };

    private static INetworkConnector CreateAt(string network, NetworkCredentials credentials, HttpClient http, TimeProvider clock) => network switch
    {
        // The publisher makes a connector per account and cycle; each signing in would spend the account's few
        // sign-ins on a burst of posts.
        "bluesky" => new BlueskyConnector(http, credentials, clock) { KeepSession = true },
        "mastodon" => new MastodonConnector(http, credentials, clock),
        "x" => new XConnector(http, credentials, clock),
        "linkedin" => new LinkedInConnector(http, credentials, clock),
        "facebook" => new FacebookConnector(http, credentials, clock),
        "threads" => new ThreadsConnector(http, credentials, clock),
        "instagram" => new InstagramConnector(http, credentials, clock),
        "youtube" => new YouTubeConnector(http, credentials, clock),
        _ => throw new ArgumentException($"Unknown network '{network}'; known: {string.Join(", ", Networks)}.", nameof(network)),
    };
}
