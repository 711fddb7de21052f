namespace Rounds.Web.Features.Engagement;

/// <summary>
/// The National Provider Identifier: ten digits, the last a Luhn check digit computed as if the number were
/// prefixed by 80840 (the health-industry card issuer prefix of ISO 7812). Checking it catches the
/// transposed and mistyped digits a roster export usually carries, before a row is matched on it.
/// </summary>
public static class Npi
{
    private const string IssuerPrefix = "80840";

    /// <summary>Why <paramref name="text"/> is not an NPI, or null when it is.</summary>
    public static string? Problem(string? text)
    {
        var npi = (text ?? "").Trim();
        if (npi.Length == 0)
        {
            return "The NPI is missing.";
        }

        if (npi.Length != 10 || !npi.All(char.IsAsciiDigit))
        {
            return $"An NPI has exactly 10 digits; '{Shorten(npi)}' does not.";
        }

        return CheckDigit(npi.AsSpan(0, 9)) == npi[9] - '0'
            ? null
            : $"The NPI {npi} has a wrong check digit; it was probably mistyped.";
    }

    public static bool IsValid(string? text) => Problem(text) is null;

    /// <summary>The Luhn digit of the prefix and the first nine digits: every second digit from the right is doubled.</summary>
    public static int CheckDigit(ReadOnlySpan<char> firstNine)
    {
        Span<char> payload = stackalloc char[IssuerPrefix.Length + 9];
        IssuerPrefix.AsSpan().CopyTo(payload);
        firstNine.CopyTo(payload[IssuerPrefix.Length..]);
        var sum = 0;
        var doubled = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var digit = payload[i] - '0';
            if (doubled)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubled = !doubled;
        }

        return (10 - sum % 10) % 10;
    }

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;
}
