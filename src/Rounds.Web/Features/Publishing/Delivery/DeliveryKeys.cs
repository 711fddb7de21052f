using System.Security.Cryptography;
using Rounds.Networks.Bluesky;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// The idempotency key of an account's copy, chosen when the copy is created and sent unchanged on every
/// attempt. Each network has its own rules for what a key may look like.
/// </summary>
public static class DeliveryKeys
{
    private static long lastMicros;

    /// <summary>A fresh key for a copy going to an account on <paramref name="platform"/>.</summary>
    public static string NewFor(Platform platform) => NetworkOf(platform) switch
    {
        // Bluesky stores the post under the key, which must then be a timestamp identifier.
        "bluesky" => NextTid(),
        _ => Guid.NewGuid().ToString("N"),
    };

    /// <summary>The connector name of a platform, or null when Rounds cannot publish there.</summary>
    public static string? NetworkOf(Platform platform) => platform switch
    {
        Platform.Bluesky => "bluesky",
        Platform.Mastodon => "mastodon",
        Platform.X => "x",
        Platform.LinkedIn => "linkedin",
        Platform.Facebook => "facebook",
        Platform.Threads => "threads",
        Platform.Instagram => "instagram",
        Platform.YouTube => "youtube",
        Platform.TikTok or Platform.Doximity or Platform.Other => null,
    };

    /// <summary>
    /// Microseconds never repeat within the process, so copies created together get distinct keys; the random
    /// clock id keeps two instances apart.
    /// </summary>
    private static string NextTid()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        long last, micros;
        do
        {
            last = Volatile.Read(ref lastMicros);
            micros = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref lastMicros, micros, last) != last);

        return Tid.Encode(((ulong)micros << 10) | (uint)RandomNumberGenerator.GetInt32(1024));
    }
}
