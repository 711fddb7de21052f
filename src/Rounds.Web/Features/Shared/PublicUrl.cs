using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// The address people reach Rounds at (<c>Rounds:PublicUrl</c>), the only root of links in mail. The request's
/// <c>Host</c> header is the caller's to choose, so a link built from it would let anyone send a password-reset
/// link pointing at their own server. See docs/decisions/0017-links-in-mail-come-from-the-public-address.md.
/// </summary>
public sealed class PublicUrl
{
    public const string Setting = "Rounds:PublicUrl";

    private readonly IServer? server;
    private readonly string? urls;

    private PublicUrl(Uri? configured, IServer? server, string? urls)
    {
        Configured = configured;
        this.server = server;
        this.urls = urls;
    }

    /// <summary>The configured address, always ending with a slash; null only in Development when unset.</summary>
    public Uri? Configured { get; }

    /// <summary>The root links start with: the configured address, or in Development the address the server listens on.</summary>
    public Uri Root => Configured ?? Listening();

    /// <summary>A full address for a path of Rounds (with or without a leading slash, query included).</summary>
    public string For(string path) => Root.AbsoluteUri + path.TrimStart('/');

    /// <summary>
    /// Reads the setting. It must be an absolute http or https address without credentials, query or fragment.
    /// Unset is allowed only in Development, where links point at the address the server listens on.
    /// </summary>
    public static PublicUrl From(IConfiguration configuration, IHostEnvironment environment, IServer? server)
    {
        var text = configuration[Setting]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return environment.IsDevelopment()
                ? new PublicUrl(null, server, configuration["urls"])
                : throw new InvalidOperationException($"{Setting} is not set. Set it to the address people reach Rounds at, such as https://rounds.example.org; links in mail are built from it.");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.Host.Length == 0)
        {
            throw new InvalidOperationException($"{Setting} is '{text}'; it must be an absolute http or https address without credentials, query or fragment, such as https://rounds.example.org.");
        }

        return new PublicUrl(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), server, null);
    }

    /// <summary>The host name as a <c>Host</c> header carries it, for the list of allowed hosts.</summary>
    public static string HostOf(Uri uri) => uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;

    // The server knows its addresses once it listens; work that runs before (a background job's first round) takes
    // the addresses it was asked to listen on, or Kestrel's default.
    private Uri Listening()
    {
        var address = server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:5000";

        // A wildcard binding is reachable on this machine as localhost.
        var local = address.Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(local.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri : new Uri("http://localhost:5000/");
    }
}
