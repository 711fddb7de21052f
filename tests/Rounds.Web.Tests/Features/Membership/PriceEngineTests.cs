using Rounds.Web.Features.Membership;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>The one price engine, in the seeds' numbers, and the fixed order of its steps.</summary>
public sealed class PriceEngineTests
{
    private static Money Usd(decimal amount) => new(amount, "USD");

    [Fact]
    public void The_residency_is_596_25_for_an_organization_member_who_saves_25_percent()
    {
        var quote = PriceEngine.Price(Usd(795m), [new PlanReduction("Organization", 25m)]);
        Assert.Equal(596.25m, quote.Total.Amount);
        Assert.Equal([PriceStepKind.ListPrice, PriceStepKind.PlanRule], quote.Steps.Select(s => s.Kind));
        Assert.Equal(198.75m, quote.Steps[1].Reduction);
    }

    [Fact]
    public void A_webinar_is_free_and_the_certificate_course_included_for_a_premium_member()
    {
        Assert.Equal(0m, PriceEngine.Price(Usd(95m), [new PlanReduction("Premium", 100m)]).Total.Amount);
        var course = PriceEngine.Price(Usd(250m), [new PlanReduction("Premium", 100m)]);
        Assert.Equal(0m, course.Total.Amount);
        Assert.Equal("Included in Premium", course.Steps[1].Label);
        Assert.Equal(250m, course.ListPrice.Amount);
    }

    [Fact]
    public void An_upgrades_credit_for_unused_days_comes_after_every_percentage_and_never_takes_the_price_below_zero()
    {
        var quote = PriceEngine.Price(Usd(595m), [], discount: new DiscountReduction("Early bird", 10m), credit: new TermCredit("Credit for 292 unused days of Premium", 236m));
        Assert.Equal([PriceStepKind.ListPrice, PriceStepKind.Discount, PriceStepKind.UnusedTermCredit], quote.Steps.Select(s => s.Kind));
        Assert.Equal((59.50m, 236m, 299.50m), (quote.Steps[1].Reduction, quote.Steps[2].Reduction, quote.Total.Amount));

        var larger = PriceEngine.Price(Usd(100m), [], credit: new TermCredit("Credit", 250m));
        Assert.Equal((100m, 0m), (larger.Steps[^1].Reduction, larger.Total.Amount));
    }

    [Fact]
    public void Without_a_plan_the_list_price_stands()
    {
        var quote = PriceEngine.Price(Usd(795m), []);
        Assert.Equal(795m, quote.Total.Amount);
        Assert.Single(quote.Steps);
    }

    [Fact]
    public void Steps_apply_in_the_fixed_order_each_on_the_price_the_one_before_left()
    {
        // 795 less 25% is 596.25; less a $50 voucher 546.25; less 10% (54.625, rounded half away from zero to 54.63) 491.62.
        var quote = PriceEngine.Price(Usd(795m), [new PlanReduction("Organization", 25m)], new VoucherReduction("SPRING", 0m, 50m), new DiscountReduction("Early bird", 10m));
        Assert.Equal([PriceStepKind.ListPrice, PriceStepKind.PlanRule, PriceStepKind.Voucher, PriceStepKind.Discount], quote.Steps.Select(s => s.Kind));
        Assert.Equal([795m, 596.25m, 546.25m, 491.62m], quote.Steps.Select(s => s.After));
        Assert.Equal(quote.ListPrice.Amount - quote.Steps.Sum(s => s.Reduction), quote.Total.Amount);
    }

    [Fact]
    public void Of_several_plans_the_best_applies_once_and_a_voucher_never_takes_the_price_below_zero()
    {
        var quote = PriceEngine.Price(Usd(95m), [new PlanReduction("Organization", 25m), new PlanReduction("Premium", 50m)], new VoucherReduction("BIG", 0m, 500m));
        Assert.Equal(["List price", "Premium: 50% off", "Voucher BIG"], quote.Steps.Select(s => s.Label));
        Assert.Equal(0m, quote.Total.Amount);
        Assert.Equal(47.50m, quote.Steps[2].Reduction);
    }

    [Fact]
    public void Rounding_is_to_the_cent_half_away_from_zero_at_every_step()
    {
        // 33% of 10.05 is 3.3165, taken as 3.32.
        Assert.Equal(6.73m, PriceEngine.Price(Usd(10.05m), [new PlanReduction("P", 33m)]).Total.Amount);
        // 50% of 0.05 is 0.025, taken as 0.03 (to even would take 0.02).
        Assert.Equal(0.02m, PriceEngine.Price(Usd(0.05m), [new PlanReduction("P", 50m)]).Total.Amount);
    }
}
