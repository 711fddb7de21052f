using System.Net;
using System.Net.Sockets;

namespace Rounds.Networks.Outbound;

/// <summary>
/// The HTTP handler connectors call networks through. A service address is typed in by people, so it is
/// resolved and checked when each connection is opened (not once when it is typed), which also defeats a name
/// that resolves to a public address at first and to a private one later. Redirects are not followed: an API
/// that moved answers with its new address, which a person then enters.
/// </summary>
public static class OutboundHttp
{
    public static SocketsHttpHandler CreateHandler(bool allowPrivateAddresses) => new()
    {
        AllowAutoRedirect = false,
        // A proxy would make the connection instead of us, out of reach of the address check.
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        // Connections are reused for a while only, so that a changed DNS answer is checked again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowPrivateAddresses, ct),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateAddresses, CancellationToken ct)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        // One private answer is enough to refuse: the name is not one a public network service would use.
        if (addresses.Length == 0 || (!allowPrivateAddresses && !addresses.All(PublicAddresses.IsPublic)))
        {
            throw new PrivateAddressException(endPoint.Host);
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}

/// <summary>The service's address is on a private or local network, which connectors do not call.</summary>
public sealed class PrivateAddressException(string host)
    : IOException($"{host} is on a private or local network, which Rounds does not call.")
{
    public string Host { get; } = host;
}
