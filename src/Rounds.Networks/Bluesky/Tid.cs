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

    /// <summary>The microseconds since 1970 a TID carries, or null when the key is not a TID.</summary>
    public static long? MicrosecondsOf(string key)
    {
        if (key.Length != 13)
        {
            return null;
        }

        ulong value = 0;
        foreach (var c in key)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return null;
            }

            value = (value << 5) | (uint)digit;
        }

        return (long)(value >> 10);
    }

    /// <summary>The smallest TID of a moment, to compare record keys against: TIDs sort as their times do.</summary>
    public static string AtMicroseconds(long micros) => Encode((ulong)Math.Max(0, micros) << 10);

    /// <summary>Record keys may use letters, digits and <c>. _ : ~ -</c>, 1 to 512 of them, but not "." or "..".</summary>
    public static bool IsValidRecordKey(string key) =>
        key.Length is >= 1 and <= 512 && key is not "." and not ".."
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '~' or '-');
}
