using System.Globalization;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// The accreditor's rules for claiming credit: only while the designation is in force, only in quarter steps,
/// and never more than designated less what was already claimed for the same activity or its parts.
/// </summary>
public static class CreditRules
{
    public const decimal Step = 0.25m;

    /// <summary>Why credit cannot be claimed on <paramref name="today"/>, or null while the designation is in force.</summary>
    public static string? RefuseOn(CreditDesignation designation, DateOnly today)
    {
        if (designation.MaximumCredits <= 0)
        {
            return "This activity does not carry credit.";
        }

        if (designation.ReleasedOn is { } released && today < released)
        {
            return $"Credit for this activity can be claimed from {released:yyyy-MM-dd}.";
        }

        return designation.ExpiresOn is { } expires && today > expires
            ? $"Credit for this activity expired on {expires:yyyy-MM-dd}; it can no longer be claimed."
            : null;
    }

    /// <summary>Why the amount cannot be claimed, or null when it can.</summary>
    public static string? RefuseAmount(CreditDesignation designation, decimal claimed, decimal alreadyClaimed)
    {
        if (claimed <= 0 || claimed % Step != 0)
        {
            return "Claim credit in steps of 0.25, more than zero.";
        }

        var available = Available(designation, alreadyClaimed);
        return claimed > available
            ? $"You can claim at most {Format(available)} {designation.CreditType} for this activity."
            : null;
    }

    public static decimal Available(CreditDesignation designation, decimal alreadyClaimed) => Math.Max(0, designation.MaximumCredits - alreadyClaimed);

    public static bool IsValidAmount(decimal amount) => amount >= 0 && amount % Step == 0;

    /// <summary>Credits as people write them: 0.5, 3.5, 1.25 (no trailing zeros).</summary>
    public static string Format(decimal credits) => Normalize(credits).ToString(CultureInfo.InvariantCulture);

    /// <summary>Drops trailing zeros, so that 0.50 read back from a database equals the 0.5 written.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
