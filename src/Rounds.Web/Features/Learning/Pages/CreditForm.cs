namespace Rounds.Web.Features.Learning.Pages;

/// <summary>The credit designation fields shared by the course and module editors.</summary>
public sealed class CreditForm
{
    public string? CreditType { get; set; }

    public decimal Amount { get; set; }

    public string? Statement { get; set; }

    public string? Provider { get; set; }

    public DateOnly? ReleasedOn { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public static CreditForm From(CreditDesignation d) => new()
    {
        CreditType = d.CreditType, Amount = CreditRules.Normalize(d.MaximumCredits), Statement = d.Statement, Provider = d.Provider, ReleasedOn = d.ReleasedOn, ExpiresOn = d.ExpiresOn,
    };
}
