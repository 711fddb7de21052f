using System.Globalization;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// An amount in one currency. Amounts are decimals, never floating point, and are rounded to the currency's minor
/// unit (cents) half away from zero at every step of a price, so the steps on an invoice add up to its total.
/// </summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public static Money Zero(string currency) => new(0m, currency);

    public static Money Of(decimal amount, string currency) => new(Round(amount), currency);

    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public Money Minus(Money other)
    {
        if (!string.Equals(Currency, other.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot subtract {other.Currency} from {Currency}.");
        }

        return new Money(Amount - other.Amount, Currency);
    }

    public override string ToString() => Format(Amount, Currency);

    public static string Format(decimal amount, string currency) => currency switch
    {
        "USD" => (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture),
        _ => amount.ToString("#,##0.00", CultureInfo.InvariantCulture) + " " + currency,
    };
}

internal static class MembershipText
{
    /// <summary>Cuts text to a column's length; for names copied from elsewhere, which were checked where they were entered.</summary>
    public static string Clip(this string text, int limit) => text.Length <= limit ? text : text[..limit];
}
