using System.Security.Cryptography;
using System.Text;

namespace Rounds.Web.Features.Shared;

public static class SecretHash
{
    /// <summary>
    /// How a secret handed out once (a token, an invitation link, a feed address) is stored: its SHA-256, so a
    /// copy of the database does not give the secrets away. The secrets are long and random, so no salt is needed.
    /// </summary>
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
