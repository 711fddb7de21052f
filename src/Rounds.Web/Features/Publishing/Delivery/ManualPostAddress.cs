using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Checks the address a person gives for a post they published by hand: it must be a secure link on the
/// account's network, so the record (and the account's activity) points at the post and not at a draft, a
/// preview or another site.
/// </summary>
public static class ManualPostAddress
{
    public const int MaxLength = 1000;

    /// <summary>The hosts a network's posts live on; a subdomain (www., m., vm.) counts as the network.</summary>
    public static IReadOnlyList<string> HostsOf(Platform platform, string handle) => platform switch
    {
        Platform.Instagram => ["instagram.com"],
        Platform.TikTok => ["tiktok.com"],
        Platform.YouTube => ["youtube.com", "youtu.be"],
        Platform.Threads => ["threads.net", "threads.com"],
        Platform.Doximity => ["doximity.com"],
        Platform.X => ["x.com", "twitter.com"],
        Platform.Facebook => ["facebook.com", "fb.com"],
        Platform.LinkedIn => ["linkedin.com"],
        Platform.Bluesky => ["bsky.app"],
        // A Mastodon post lives on the account's own server, which its full handle names (@name@server).
        Platform.Mastodon => handle.TrimStart('@').Split('@') is [_, var server] && server.Length > 0 ? [server.ToLowerInvariant()] : [],
        Platform.Other => [],
    };

    /// <summary>The address as it will be stored, or the reason it is refused.</summary>
    public static (Uri? Url, string? Refusal) Check(Platform platform, string handle, string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return (null, "Paste the address of the published post.");
        }

        if (trimmed.Length > MaxLength || !Uri.TryCreate(trimmed, UriKind.Absolute, out var url) || url.HostNameType != UriHostNameType.Dns)
        {
            return (null, "That is not a web address; copy it from the browser's address bar or the network's Share, Copy link.");
        }

        if (url.Scheme != Uri.UriSchemeHttps || url.UserInfo.Length > 0)
        {
            return (null, "The address must start with https://.");
        }

        var hosts = HostsOf(platform, handle);
        if (platform == Platform.Mastodon && hosts.Count == 0)
        {
            return (null, "The account's handle names no server (@name@server), so Rounds cannot tell its posts from anyone's; add the server to the account first.");
        }

        var host = url.IdnHost.ToLowerInvariant();
        if (hosts.Count > 0 && !hosts.Any(h => host == h || host.EndsWith("." + h, StringComparison.Ordinal)))
        {
            return (null, $"A post on {AccountNames.Label(platform)} has an address on {string.Join(" or ", hosts)}; {host} is not one of them.");
        }

        return (url, null);
    }
}
