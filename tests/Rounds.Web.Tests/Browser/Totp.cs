using System.Security.Cryptography;

namespace Rounds.Web.Tests.Browser;

/// <summary>RFC 6238 codes, computed the way a phone's authenticator app does from the shared key.</summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32Decode(base32Key);
        var counter = at.ToUnixTimeSeconds() / 30;
        Span<byte> message = stackalloc byte[8];
        for (var i = 7; i >= 0; i--)
        {
            message[i] = (byte)(counter & 0xff);
            counter >>= 8;
        }

        var hash = HMACSHA1.HashData(key, message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How long until the code that was current at <paramref name="at"/> is replaced by the next one.</summary>
    public static TimeSpan UntilNextStep(DateTimeOffset at)
    {
        var next = DateTimeOffset.FromUnixTimeSeconds((at.ToUnixTimeSeconds() / 30 + 1) * 30);
        var wait = next - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)((buffer >> bits) & 0xff));
            }
        }

        return [.. bytes];
    }
}
