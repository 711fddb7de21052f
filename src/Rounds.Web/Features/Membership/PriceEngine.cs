namespace Rounds.Web.Features.Membership;

/// <summary>Which of the four price steps a line went through; the order of the values is the order they apply in.</summary>
public enum PriceStepKind
{
    ListPrice = 0,
    PlanRule = 1,
    Voucher = 2,
    Discount = 3,

    /// <summary>On an upgrade, what the buyer paid for the unused part of the plan it replaces; always last.</summary>
    UnusedTermCredit = 4,
}

/// <summary>One step of a price: what applied, by how much it lowered the price, and the price after it.</summary>
public sealed record PriceStep(PriceStepKind Kind, string Label, decimal Reduction, decimal After);

/// <summary>A price worked out for one product, step by step; <see cref="Total"/> is the last step's price.</summary>
public sealed record PriceQuote(Money ListPrice, IReadOnlyList<PriceStep> Steps)
{
    public Money Total => new(Steps[^1].After, ListPrice.Currency);
}

/// <summary>A member's plan lowering a product kind's price: 100 percent means the product is included.</summary>
public sealed record PlanReduction(string PlanName, decimal PercentOff);

/// <summary>A code the buyer entered: a percentage or a fixed amount off, in the product's currency.</summary>
public sealed record VoucherReduction(string Code, decimal PercentOff, decimal AmountOff);

/// <summary>A reduction the seller runs for everyone (an early-bird rate), as a percentage.</summary>
public sealed record DiscountReduction(string Name, decimal PercentOff);

/// <summary>An amount the buyer has already paid for time they will not use: the rest of a plan an upgrade replaces.</summary>
public sealed record TermCredit(string Label, decimal Amount);

/// <summary>
/// The one place a price is made. The steps always apply in the same order (list price, the best of the buyer's
/// plan rules, a voucher, a discount, and on an upgrade the credit for the unused term last), each on the price
/// the step before it left, each rounded to the cent and never below zero. The same inputs always give the same steps, so an order can freeze them.
/// </summary>
public static class PriceEngine
{
    public static PriceQuote Price(Money listPrice, IEnumerable<PlanReduction> planRules, VoucherReduction? voucher = null, DiscountReduction? discount = null, TermCredit? credit = null)
    {
        if (listPrice.Amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(listPrice), "A list price is never negative.");
        }

        var price = Money.Round(listPrice.Amount);
        var steps = new List<PriceStep> { new(PriceStepKind.ListPrice, "List price", 0m, price) };

        // Of several plans, the buyer gets the one that helps most; plan rules do not stack.
        var best = planRules.Where(r => r.PercentOff > 0).OrderByDescending(r => r.PercentOff).ThenBy(r => r.PlanName, StringComparer.Ordinal).FirstOrDefault();
        if (best is not null)
        {
            price = Apply(steps, PriceStepKind.PlanRule, best.PercentOff >= 100 ? $"Included in {best.PlanName}" : $"{best.PlanName}: {Percent(best.PercentOff)} off", price, PercentOf(price, best.PercentOff));
        }

        if (voucher is not null && price > 0)
        {
            var off = voucher.PercentOff > 0 ? PercentOf(price, voucher.PercentOff) : Money.Round(voucher.AmountOff);
            price = Apply(steps, PriceStepKind.Voucher, $"Voucher {voucher.Code}", price, off);
        }

        if (discount is not null && discount.PercentOff > 0 && price > 0)
        {
            price = Apply(steps, PriceStepKind.Discount, $"{discount.Name}: {Percent(discount.PercentOff)} off", price, PercentOf(price, discount.PercentOff));
        }

        // The credit comes last so that percentages above apply to the plan's own price, not to what is left of it.
        if (credit is not null && credit.Amount > 0 && price > 0)
        {
            price = Apply(steps, PriceStepKind.UnusedTermCredit, credit.Label, price, Money.Round(credit.Amount));
        }

        return new PriceQuote(new Money(Money.Round(listPrice.Amount), listPrice.Currency), steps);
    }

    private static decimal PercentOf(decimal price, decimal percent) => Money.Round(price * Math.Clamp(percent, 0m, 100m) / 100m);

    private static decimal Apply(List<PriceStep> steps, PriceStepKind kind, string label, decimal price, decimal reduction)
    {
        var taken = Math.Min(price, Math.Max(0m, reduction));
        var after = price - taken;
        steps.Add(new PriceStep(kind, label, taken, after));
        return after;
    }

    private static string Percent(decimal percent) => percent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
