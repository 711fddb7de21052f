using System.Net;
using System.Net.Sockets;

namespace Rounds.Networks.Outbound;

/// <summary>
/// Tells addresses on the public internet from those a server must not be talked into calling: its own
/// loopback, the private networks it sits in, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
/// multicast, unspecified, documentation and other reserved ranges, in IPv4 and IPv6 alike.
/// </summary>
public static class PublicAddresses
{
    private static readonly (byte[] Network, int Bits)[] ReservedV4 =
    [
        ([0, 0, 0, 0], 8), // "this network", including the unspecified address
        ([10, 0, 0, 0], 8),
        ([100, 64, 0, 0], 10), // carrier-grade NAT
        ([127, 0, 0, 0], 8),
        ([169, 254, 0, 0], 16),
        ([172, 16, 0, 0], 12),
        ([192, 0, 0, 0], 24), // protocol assignments
        ([192, 0, 2, 0], 24), // documentation
        ([192, 88, 99, 0], 24), // former 6to4 relays
        ([192, 168, 0, 0], 16),
        ([198, 18, 0, 0], 15), // benchmarking
        ([198, 51, 100, 0], 24),
        ([203, 0, 113, 0], 24),
        ([224, 0, 0, 0], 4), // multicast
        ([240, 0, 0, 0], 4), // reserved, and the broadcast address
    ];

    /// <summary>Ranges inside global unicast (2000::/3) that are not public hosts.</summary>
    private static readonly (byte[] Network, int Bits)[] ReservedV6 =
    [
        (Prefix(0x20, 0x01), 23), // protocol assignments, Teredo among them
        (Prefix(0x20, 0x01, 0x0d, 0xb8), 32), // documentation
        (Prefix(0x20, 0x02), 16), // 6to4, which would carry any IPv4 address
        (Prefix(0x3f, 0xff), 20), // documentation
    ];

    /// <summary>The well-known NAT64 prefix 64:ff9b::/96 reaches the IPv4 address in its last four bytes.</summary>
    private static readonly byte[] Nat64 = Prefix(0x00, 0x64, 0xff, 0x9b);

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !ReservedV4.Any(r => InRange(bytes, r.Network, r.Bits));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (InRange(bytes, Nat64, 96))
        {
            return IsPublic(new IPAddress(bytes.AsSpan(12)));
        }

        // Only 2000::/3 is global unicast; loopback, unspecified, IPv4-compatible, unique-local (fc00::/7),
        // link-local, site-local, multicast, discard-only and local-use NAT64 all lie outside it.
        return (bytes[0] & 0xe0) == 0x20 && !ReservedV6.Any(r => InRange(bytes, r.Network, r.Bits));
    }

    private static byte[] Prefix(params byte[] leading)
    {
        var bytes = new byte[16];
        leading.CopyTo(bytes, 0);
        return bytes;
    }

    private static bool InRange(byte[] address, byte[] network, int bits)
    {
        for (var i = 0; bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xff : (byte)(0xff << (8 - bits));
            if ((address[i] & mask) != (network[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
