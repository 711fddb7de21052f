using Rounds.Networks.Bluesky;
using Rounds.Networks.Ingestion;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// The sources Rounds reads per network. Bluesky is read from <c>Rounds:Monitoring:BlueskyService</c> (default
/// https://bsky.social), the PDS that hosts the accounts; the other networks have no source yet, and the account
/// page says so.
/// </summary>
public class PostSources(IHttpClientFactory http, IConfiguration configuration)
{
    public const string HttpClientName = "monitoring";

    public const string BlueskyServiceSetting = "Rounds:Monitoring:BlueskyService";

    public virtual IPostSource? For(string network) => network switch
    {
        "bluesky" => new BlueskyPostSource(http.CreateClient(HttpClientName), new Uri(configuration[BlueskyServiceSetting] ?? "https://bsky.social")),
        _ => null,
    };

    /// <summary>How each source of an account on the network reaches Rounds; Bluesky is live where an event stream is followed.</summary>
    public SourceMode ModeOf(string network, SourceKind kind) =>
        network == "bluesky" && configuration[ReadFirehose.ServiceSetting] is { Length: > 0 } ? SourceMode.Live : For(network)?.ModeOf(kind) ?? SourceMode.Impossible;
}
