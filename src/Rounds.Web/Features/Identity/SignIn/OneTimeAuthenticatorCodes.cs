using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Identity.SignIn;

/// <summary>
/// Checks authenticator-app codes (RFC 6238: HMAC-SHA1, 30-second steps, six digits, two steps of clock drift
/// either way, as ASP.NET Identity's own provider does) and accepts each step at most once per person: a code seen
/// over a shoulder, in a proxy log or on a phishing page cannot be used again while it is still current.
/// </summary>
internal sealed class OneTimeAuthenticatorCodes(RoundsDbContext db, TimeProvider clock) : IUserTwoFactorTokenProvider<User>
{
    private const int StepSeconds = 30;
    private const int DriftSteps = 2;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<User> manager, User user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    // The person's app makes the codes; the server never sends one.
    public Task<string> GenerateAsync(string purpose, UserManager<User> manager, User user) => Task.FromResult("");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<User> manager, User user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length is 0 or > 6 || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || Base32(key) is not { Length: > 0 } secret)
        {
            return false;
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        var last = await db.Users.Where(u => u.Id == user.Id).Select(u => u.LastAuthenticatorStep).SingleAsync();
        for (var step = now - DriftSteps; step <= now + DriftSteps; step++)
        {
            if (step <= last || Code(secret, step) != code)
            {
                continue;
            }

            // Conditional, so that two sign-ins racing with the same code cannot both win.
            var claimed = await db.Users
                .Where(u => u.Id == user.Id && (u.LastAuthenticatorStep == null || u.LastAuthenticatorStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastAuthenticatorStep, step));
            return claimed == 1;
        }

        return false;
    }

    private static int Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0f;
        var truncated = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff;
        return truncated % 1_000_000;
    }

    /// <summary>The shared key as Identity stores it: RFC 4648 base32, upper case, no padding. Empty when malformed.</summary>
    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return [];
            }

            buffer = ((buffer << 5) | value) & 0xffff;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
            }
        }

        return [.. bytes];
    }
}
