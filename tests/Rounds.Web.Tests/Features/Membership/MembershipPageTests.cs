using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The pages on the demo: a Northfield physician, covered by Northfield's organization membership of the Harbor
/// network through the proven northfield.example domain, sees the residency at $596.25, registers for the
/// included webinar, gets a ticket, and the network's admin checks it in once.
/// </summary>
public sealed class MembershipPageTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    [Fact]
    public async Task A_northfield_physician_sees_member_prices_registers_and_is_checked_in_once_at_the_door()
    {
        var password = await app.WithScopeAsync(async services =>
        {
            var demo = services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>();
            await demo.SeedAsync();
            return demo.Password;
        });
        const string Network = "/membership/harbor-network";

        var anonymous = await FormSession.Create(app).GetAsync(Network);
        var listed = anonymous.QuerySelectorAll("article").Single(a => a.QuerySelector("h3")!.TextContent == "Social Media Residency");
        Assert.Equal("$795.00", listed.QuerySelector(".event-price")!.TextContent);

        var physician = FormSession.Create(app);
        await physician.LoginAsync("dr.sorensen@northfield.example", password);
        var catalogue = await physician.GetAsync(Network);
        string PriceOf(AngleSharp.Html.Dom.IHtmlDocument page, string title) =>
            page.QuerySelectorAll("article").Single(a => a.QuerySelector("h3")!.TextContent.StartsWith(title, StringComparison.Ordinal)).QuerySelector(".event-price")!.TextContent;
        Assert.Equal("$596.25", PriceOf(catalogue, "Social Media Residency"));
        Assert.Equal("$0.00", PriceOf(catalogue, "Monthly webinar"));

        var webinar = catalogue.QuerySelectorAll("article").Single(a => a.QuerySelector("h3")!.TextContent.StartsWith("Monthly webinar", StringComparison.Ordinal));
        var formName = webinar.QuerySelector("input[name=_handler]")!.GetAttribute("value")!;
        var (_, registered) = await physician.SubmitAsync(Network, formName, new Dictionary<string, string>());
        Assert.Contains("You are registered", registered.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        var account = await physician.GetAsync(Network + "/account");
        Assert.Contains("through Northfield Health", account.QuerySelector("#membership-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(account.QuerySelector("figure.ticket svg"));
        var code = account.QuerySelector("figure.ticket code")!.TextContent;

        var admin = FormSession.Create(app);
        await admin.LoginAsync("admin@northfield.example", password);

        // The membership pages are in the menu of the network that sells, not of the hospital that sells nothing.
        static bool HasMembershipLink(AngleSharp.Html.Dom.IHtmlDocument page, string slug) => page.QuerySelectorAll("nav a").Any(a => a.GetAttribute("href") == $"/o/{slug}/membership");
        Assert.True(HasMembershipLink(await admin.GetAsync("/o/harbor-network"), "harbor-network"));
        Assert.False(HasMembershipLink(await admin.GetAsync("/o/northfield"), "northfield"));

        var (_, first) = await admin.SubmitAsync("/o/harbor-network/membership", "check-in", new Dictionary<string, string> { ["CheckIn.Code"] = code });
        Assert.Contains("Checked in: Dr. Elin Sorensen", first.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var (_, second) = await admin.SubmitAsync("/o/harbor-network/membership", "check-in", new Dictionary<string, string> { ["CheckIn.Code"] = code });
        Assert.Contains("checked in already", second.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
    }
}
