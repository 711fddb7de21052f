using Rounds.Networks.Bluesky;
using Rounds.Networks.Ingestion;
using Rounds.Networks.Mastodon;
using Rounds.Networks.X;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// The sources Rounds reads per network. Bluesky is read from <c>Rounds:Monitoring:BlueskyService</c> (default
/// https://bsky.social), the PDS that hosts the accounts; a connected Bluesky account's mentions, replies and quotes are
/// read from its notifications through its own PDS and session (<see cref="BlueskyNotificationSource"/>). A Mastodon account is read from the server its handle
/// names (at https://server, or where <c>Rounds:Monitoring:MastodonInstances:server</c> says): its own statuses
/// without sign-in, and what is addressed to it only through its connection, whose token reads its notifications.
/// X is read with the installation's app bearer token (<c>Rounds:Monitoring:X:BearerToken</c>, at
/// <c>Rounds:Monitoring:X:Service</c>, default https://api.x.com), every read metered against the organization's
/// monthly budget (<see cref="XReads"/>). A Facebook Page and a LinkedIn organization page are read only through
/// their connection, whose token the reader carries; a LinkedIn member cannot be read at all. A connected Mastodon
/// account's mentions also come live from its notification stream (<see cref="MastodonStreams"/>). The other networks
/// have no source yet, and the account page says so.
/// </summary>
public class PostSources(IHttpClientFactory http, IConfiguration configuration, IConnectedAccounts connections, XReads xReads, MastodonStreams streams, TimeProvider clock)
{
    public const string HttpClientName = "monitoring";

    public const string BlueskyServiceSetting = "Rounds:Monitoring:BlueskyService";

    public const string MastodonInstancesSetting = "Rounds:Monitoring:MastodonInstances";

    /// <summary>The networks some source reads; the ingestion rounds visit only their accounts.</summary>
    public static readonly IReadOnlyList<Platform> Readable = [Platform.Bluesky, Platform.Mastodon, Platform.X, Platform.Facebook, Platform.LinkedIn];

    /// <summary>The source of a network where one server serves every account Rounds reads (Bluesky's PDS).</summary>
    public virtual IPostSource? For(string network) => network switch
    {
        "bluesky" => new BlueskyPostSource(http.CreateClient(HttpClientName), new Uri(configuration[BlueskyServiceSetting] ?? "https://bsky.social")),
        _ => null,
    };

    /// <summary>The source for one account: signed in through its connection where that reads more, else the public one.</summary>
    public virtual async Task<IPostSource?> ForAsync(AccountCard account, CancellationToken cancellationToken = default)
    {
        var network = AccountNames.Key(account.Platform);
        if (account.Platform == Platform.X)
        {
            return configuration[XReads.BearerTokenSetting] is { Length: > 0 } token
                ? new XPostSource(http.CreateClient(HttpClientName), new Uri(configuration[XReads.ServiceSetting] ?? "https://api.x.com/"), token, xReads.MeterFor(account.OrganizationId), clock)
                : null;
        }

        if (account.Platform == Platform.Facebook)
        {
            // A Page's feed and comments are read only with its Page token; its webhook fills in between.
            return await connections.ReaderForAsync(account.OrganizationId, account.Id, cancellationToken);
        }

        if (account.Platform == Platform.LinkedIn)
        {
            // An organization page is read with a page admin's token; LinkedIn lets no app read a member's own posts.
            return account.Kind == AccountKind.IndividualProfessional ? null : await connections.ReaderForAsync(account.OrganizationId, account.Id, cancellationToken);
        }

        if (account.Platform == Platform.Bluesky)
        {
            // A connected account's session reads its notifications from the AppView; otherwise its PDS's repositories are scanned.
            return await connections.ReaderForAsync(account.OrganizationId, account.Id, cancellationToken) ?? For(network);
        }

        if (account.Platform != Platform.Mastodon)
        {
            return For(network);
        }

        if (await connections.ReaderForAsync(account.OrganizationId, account.Id, cancellationToken) is { } signedIn)
        {
            return signedIn;
        }

        return MastodonInstance(account.NormalizedHandle) is { } instance
            ? new MastodonPostSource(http.CreateClient(HttpClientName), instance, null, clock)
            : null;
    }

    /// <summary>
    /// How each source of the account reaches Rounds; Bluesky is live where an event stream is followed, a Mastodon
    /// account's mentions while its notification stream is open, X paused while the organization's budget for its
    /// reads has no room.
    /// </summary>
    public async Task<SourceMode> ModeOfAsync(AccountCard account, SourceKind kind, CancellationToken cancellationToken = default)
    {
        if (account.Platform == Platform.Bluesky && configuration[ReadFirehose.ServiceSetting] is { Length: > 0 })
        {
            return SourceMode.Live;
        }

        var mode = (await ForAsync(account, cancellationToken))?.ModeOf(kind) ?? SourceMode.Impossible;
        if (mode == SourceMode.Polled && account.Platform == Platform.Mastodon && kind == SourceKind.Addressed && streams.IsOpen(account.Id))
        {
            return SourceMode.Live;
        }

        if (mode == SourceMode.Polled && account.Platform == Platform.Facebook && configuration[FacebookFeedWebhook.AppSecretSetting] is { Length: > 0 })
        {
            // Meta delivers the Page's feed as it happens once the app's webhook is set up; polling only fills gaps.
            return SourceMode.Live;
        }

        return mode == SourceMode.Polled && account.Platform == Platform.X && await xReads.PausedAsync(account.OrganizationId, cancellationToken) ? SourceMode.Paused : mode;
    }

    /// <summary>
    /// The server a Mastodon handle (<c>user@server</c>) names, or null when it names none or not a host name:
    /// the handle is user input, and only its server's public address is ever called (the outbound handler refuses
    /// private ones).
    /// </summary>
    private Uri? MastodonInstance(string handle)
    {
        var at = handle.TrimStart('@').IndexOf('@');
        var server = at < 0 ? "" : handle.TrimStart('@')[(at + 1)..];
        if (configuration[$"{MastodonInstancesSetting}:{server}"] is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }

        return Uri.CheckHostName(server) == UriHostNameType.Dns && server.Contains('.', StringComparison.Ordinal) ? new Uri($"https://{server}/") : null;
    }
}
