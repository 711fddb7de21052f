using System.Security.Cryptography;

namespace Rounds.Networks.Bluesky;

/// <summary>
/// AT Protocol timestamp identifiers: 53 bits of microseconds since 1970 and 10 bits of clock id, written in
/// sortable base32. Bluesky posts use one as their record key; Rounds picks it before publishing.
/// </summary>
public static class Tid
{
    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    public static string Next(TimeProvider clock)
    {
        var micros = (ulong)(clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000) + (ulong)RandomNumberGenerator.GetInt32(1000);
        var clockId = (ulong)RandomNumberGenerator.GetInt32(1024);
        return Encode(((micros & ((1UL << 53) - 1)) << 10) | clockId);
    }

    public static string Encode(ulong value)
    {
        Span<char> chars = stackalloc char[13];
        for (var i = 12; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }

    /// <summary>Record keys may use letters, digits and <c>. _ : ~ -</c>, 1 to 512 of them, but not "." or "..".</summary>
    public static bool IsValidRecordKey(string key) =>
        key.Length is >= 1 and <= 512 && key is not "." and not ".."
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '~' or '-');
}
