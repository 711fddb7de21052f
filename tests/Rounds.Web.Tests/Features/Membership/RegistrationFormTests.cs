using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The catalogue's registration form on the demo: the conference asks which track, refuses a registration without
/// it and saves nothing, and the confirmation and the account page say what cancelling returns.
/// </summary>
public sealed class RegistrationFormTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    [Fact]
    public async Task The_conference_form_asks_its_questions_refuses_a_missing_answer_and_confirms_with_the_refund_rule()
    {
        var password = await app.WithScopeAsync(async services =>
        {
            var demo = services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>();
            await demo.SeedAsync();
            return demo.Password;
        });
        const string Network = "/membership/harbor-network";
        var physician = FormSession.Create(app);
        await physician.LoginAsync("dr.sorensen@northfield.example", password);
        var catalogue = await physician.GetAsync(Network);
        var conference = catalogue.QuerySelectorAll("article").Single(a => a.QuerySelector("h3")!.TextContent == "Harbor annual conference");
        Assert.Contains("a full refund if you cancel 30 days or more before the start", conference.QuerySelector(".refund-rule")!.TextContent, StringComparison.Ordinal);
        var track = conference.QuerySelector("select[name=answer-q1]")!;
        Assert.Equal("Which track will you follow? (required)", catalogue.QuerySelector($"label[for='{track.Id}']")!.TextContent);
        var formName = conference.QuerySelector("input[name=_handler]")!.GetAttribute("value")!;

        var (_, refused) = await physician.SubmitAsync(Network, formName, new Dictionary<string, string> { ["answer-q1"] = "", ["answer-q2"] = "No nuts" });
        Assert.Contains("Registration not saved", refused.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", refused.QuerySelector("select[name=answer-q1]")!.GetAttribute("aria-invalid"));
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Registration>().CountAsync()));

        var (_, registered) = await physician.SubmitAsync(Network, formName, new Dictionary<string, string> { ["answer-q1"] = "Measurement", ["answer-q2"] = "No nuts" });
        var status = registered.QuerySelector("[role=status]")!.TextContent;
        Assert.Contains("A seat is held for you", status, StringComparison.Ordinal);
        Assert.Contains("no refund after that", status, StringComparison.Ordinal);
        var answers = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Registration>().Select(r => r.Answers).SingleAsync());
        Assert.Equal(new Dictionary<string, string> { ["q1"] = "Measurement", ["q2"] = "No nuts" }, RegistrationQuestions.ReadAnswers(answers));

        var account = await physician.GetAsync(Network + "/account");
        Assert.Contains("Refunds: a full refund if you cancel 30 days or more", account.QuerySelector("#tickets-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
    }
}
