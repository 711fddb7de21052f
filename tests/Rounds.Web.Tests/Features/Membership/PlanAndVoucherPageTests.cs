using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The plan and voucher pages as the network's admin uses them without scripts: bad fields are named beside
/// themselves and nothing is saved, a good edit is listed, and a code already taken in another case is refused.
/// </summary>
public sealed class PlanAndVoucherPageTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    private static Dictionary<string, string> PlanFields(string name, string price) => new()
    {
        ["Input.Name"] = name, ["Input.Description"] = "For one person, for a year.", ["Input.Scope"] = "individual", ["Input.Price"] = price, ["Input.Currency"] = "USD",
        ["Input.TermMonths"] = "12", ["Input.GraceDays"] = "14", ["Input.SeatCap"] = "", ["Input.Benefits"] = "Members' board categories",
        ["Input.Course"] = "100", ["Input.Residency"] = "", ["Input.Webinar"] = "100", ["Input.Conference"] = "",
    };

    private Task<decimal> PremiumPriceAsync(MembershipCast cast) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var plan = await db.Set<MembershipPlan>().IgnoreQueryFilters().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == "premium");
        return await db.Set<Product>().IgnoreQueryFilters().Where(p => p.Id == plan.ProductId).Select(p => p.ListPrice).SingleAsync();
    });

    [Fact]
    public async Task An_admin_edits_a_plan_and_a_voucher_on_the_pages_and_bad_fields_are_named_beside_them_with_nothing_saved()
    {
        var cast = await app.CastAsync();
        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        var plansPath = $"/o/{cast.Network.Slug}/membership/plans";
        var list = await admin.GetAsync(plansPath);
        var premiumLink = list.QuerySelectorAll("td a").Single(a => a.TextContent == "Premium").GetAttribute("href")!;
        Assert.Contains("renewals included", list.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var (_, refused) = await admin.SubmitAsync(premiumLink, "plan", PlanFields("", "two hundred"));
        Assert.NotNull(refused.QuerySelector("#plan-name-error"));
        Assert.NotNull(refused.QuerySelector("#plan-price-error"));
        Assert.Equal("plan-price-error", refused.QuerySelector("#plan-price")!.GetAttribute("aria-describedby"));
        Assert.Contains("Nothing was saved", refused.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(295m, await PremiumPriceAsync(cast));

        var (_, saved) = await admin.SubmitAsync(premiumLink, "plan", PlanFields("Premium", "345.00"));
        Assert.Contains("$345.00", saved.QuerySelectorAll("tr").Single(r => r.TextContent.Contains("Premium", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
        Assert.Equal(345m, await PremiumPriceAsync(cast));

        var voucherFields = new Dictionary<string, string>
        {
            ["Input.Code"] = "spring-25", ["Input.PercentOff"] = "25", ["Input.AmountOff"] = "", ["Input.Currency"] = "USD", ["Input.ValidFrom"] = "", ["Input.ValidThrough"] = "2030-05-01",
            ["Input.MaxUses"] = "50", ["Input.Residency"] = "true",
        };
        var (_, vouchers) = await admin.SubmitAsync($"/o/{cast.Network.Slug}/membership/vouchers/new", "voucher", voucherFields);
        var row = vouchers.QuerySelectorAll("tr").Single(r => r.TextContent.Contains("SPRING-25", StringComparison.Ordinal));
        Assert.Contains("0 of 50", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("through 2030-05-01", row.TextContent, StringComparison.Ordinal);

        voucherFields["Input.Code"] = "Spring-25";
        var (_, duplicate) = await admin.SubmitAsync($"/o/{cast.Network.Slug}/membership/vouchers/new", "voucher", voucherFields);
        Assert.Contains("Another voucher has the code SPRING-25", duplicate.QuerySelector("#voucher-code-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Voucher>().IgnoreQueryFilters().CountAsync(v => v.OrganizationId == cast.Network.Id)));

        // A reviewer of the network may not open the editors.
        var reviewer = await app.CreateUserAsync($"rev-{Guid.NewGuid():N}@harbor.example", "Rae Reviewer");
        await app.AddMemberAsync(cast.Network, reviewer, Role.Reviewer);
        var session = FormSession.Create(app);
        await session.LoginAsync(reviewer.Email!);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync(plansPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync($"/o/{cast.Network.Slug}/membership/vouchers/new")).StatusCode);
    }
}
