using System.Globalization;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// The accreditor's rules for claiming credit: only while the designation is in force, only in quarter steps,
/// and never more than designated less what was already claimed for the same activity or its parts.
/// </summary>
public static class CreditRules
{
    public const decimal Step = 0.25m;

    /// <summary>
    /// The wording of the shipped course's statements where an accredited provider's own statement names itself.
    /// Until it is replaced, no provider has designated the credit, so no certificate may claim it.
    /// </summary>
    public const string PlaceholderWording = "by the accredited provider that offers it";

    /// <summary>Why no certificate can be issued under the designation, or null when it names its accredited provider.</summary>
    public static string? RefuseToCertify(CreditDesignation designation)
    {
        if (string.IsNullOrWhiteSpace(designation.Provider))
        {
            return "Credit cannot be claimed yet: the designation does not name its accredited provider. The organization's admins can add it in the course editor.";
        }

        return designation.Statement.Contains(PlaceholderWording, StringComparison.OrdinalIgnoreCase)
            ? "Credit cannot be claimed yet: the designation statement is still the placeholder shipped with the course. The organization's admins can replace it with the accredited provider's statement in the course editor."
            : null;
    }

    /// <summary>Names the accredited provider and puts its name where the statement has the placeholder wording.</summary>
    public static void NameProvider(CreditDesignation designation, string provider)
    {
        designation.Provider = provider;
        designation.Statement = designation.Statement.Replace(PlaceholderWording, "by " + provider, StringComparison.OrdinalIgnoreCase);
    }

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
