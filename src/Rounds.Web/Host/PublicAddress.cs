using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;

namespace Rounds.Web.Host;

/// <summary>
/// How Rounds is reached from outside: the public address links in mail start with, the host names it answers
/// to, and the reverse proxies whose forwarded headers it believes.
/// See docs/decisions/0017-links-in-mail-come-from-the-public-address.md.
/// </summary>
public static class PublicAddress
{
    public const string KnownProxiesSetting = "Rounds:ForwardedHeaders:KnownProxies";
    public const string KnownNetworksSetting = "Rounds:ForwardedHeaders:KnownNetworks";

    public static IServiceCollection AddPublicAddress(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(sp => PublicUrl.From(configuration, environment, sp.GetService<IServer>()));

        // Unset, the allowed hosts are the public address's host (and, in Development, this machine's loopback
        // names). An explicit AllowedHosts, even "*", is the operator's choice and is kept.
        services.AddOptions<HostFilteringOptions>().Configure<PublicUrl>((options, publicUrl) =>
        {
            if (!string.IsNullOrWhiteSpace(configuration["AllowedHosts"]) || publicUrl.Configured is not { } root)
            {
                return;
            }

            var hosts = new List<string> { PublicUrl.HostOf(root) };
            if (environment.IsDevelopment())
            {
                hosts.AddRange(["localhost", "127.0.0.1", "[::1]"]);
            }

            options.AllowedHosts = hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        });

        // Parsed now, so that a mistyped address stops the instance at start instead of at its first request.
        var proxies = List(configuration, KnownProxiesSetting).Select(proxy => IPAddress.TryParse(proxy, out var address)
            ? address
            : throw new InvalidOperationException($"{KnownProxiesSetting} has '{proxy}', which is not an IP address.")).ToList();
        var networks = List(configuration, KnownNetworksSetting).Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"{KnownNetworksSetting} has '{network}', which is not a network such as 10.0.0.0/8.")).ToList();
        if (proxies.Count > 0 || networks.Count > 0)
        {
            services.Configure<ForwardedHeadersOptions>(options =>
            {
                // The client's address and scheme only: links never come from a forwarded host.
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // Only the proxies named are believed; each hop through one of them is unwrapped, up to the first stranger.
                options.ForwardLimit = null;
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                proxies.ForEach(options.KnownProxies.Add);
                networks.ForEach(options.KnownIPNetworks.Add);
            });
        }

        return services;
    }

    /// <summary>Whether a reverse proxy is configured, so that its forwarded headers are read first of all.</summary>
    public static bool BehindProxy(IConfiguration configuration) =>
        List(configuration, KnownProxiesSetting).Count > 0 || List(configuration, KnownNetworksSetting).Count > 0;

    // Either a list (…:0, …:1) or one comma-separated value, which is easier to pass in one variable.
    private static List<string> List(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = string.IsNullOrWhiteSpace(section.Value) ? section.Get<string[]>() ?? [] : section.Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries);
        return values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }
}
