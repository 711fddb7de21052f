using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The hub's "New event" form sets what the API sets: a refund rule, questions asked at registration and a
/// private host, checked by the same editor; a form with a wrong part says which and schedules nothing.
/// </summary>
public sealed class NewEventFormTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    [Fact]
    public async Task The_form_schedules_a_private_residency_with_a_refund_rule_and_questions_and_a_wrong_part_saves_nothing()
    {
        var cast = await app.CastAsync();
        // The demo's organization membership is held by the bystander, which may therefore host a private residency.
        var bystander = "bystander-" + cast.Network.Slug["harbor-".Length..];
        var session = FormSession.Create(app);
        await session.LoginAsync(cast.NetworkAdmin.Email!);
        var hub = $"/o/{cast.Network.Slug}/membership";
        List<KeyValuePair<string, string>> Fields(string title, string host, params (string Days, string Percent)[] steps)
        {
            var fields = new List<KeyValuePair<string, string>>
            {
                new("kind", "residency"), new("title", title), new("start", app.Clock.GetUtcNow().AddDays(60).ToString("yyyy-MM-dd'T'09:00")), new("timeZone", "America/Chicago"),
                new("durationMinutes", "480"), new("capacity", "12"), new("price", "795.00"), new("hostOrganization", host),
                new("questionLabel", "Dietary needs"), new("questionKind", "text"), new("questionOptions", ""), new("questionRequired", "0"),
                new("questionLabel", ""), new("questionKind", "text"), new("questionOptions", ""),
                new("questionLabel", "Track"), new("questionKind", "choice"), new("questionOptions", "Clinical\r\nLeadership"),
            };
            fields.AddRange(steps.SelectMany(s => new KeyValuePair<string, string>[] { new("refundDays", s.Days), new("refundPercent", s.Percent) }));
            return fields;
        }

        var (_, scheduled) = await PostNewEventAsync(session, hub, Fields("Private residency", bystander, ("14", "100"), ("", ""), ("7", "50%")));
        Assert.Contains("Private residency is scheduled.", scheduled.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        var saved = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().SingleAsync(e => e.OrganizationId == cast.Network.Id && e.Title == "Private residency"));
        Assert.Equal([new RefundTier(14, 100m), new RefundTier(7, 50m)], RefundRule.Read(saved.RefundRule).Tiers);
        var questions = RegistrationQuestions.Read(saved.Questions);
        Assert.Equal(["Dietary needs", "Track"], questions.Select(q => q.Label));
        Assert.True(questions[0].Required);
        Assert.False(questions[1].Required);
        Assert.Equal(["Clinical", "Leadership"], questions[1].Options);
        Assert.NotNull(saved.HostOrganizationId);

        // A refund that grows as the event nears, a choice with one option, a host that is no member: each named, nothing saved.
        Task<int> CountAsync() => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().CountAsync(e => e.OrganizationId == cast.Network.Id));
        var before = await CountAsync();
        var (_, growing) = await PostNewEventAsync(session, hub, Fields("Growing refund", "", ("7", "100"), ("14", "50")));
        Assert.Contains("A refund never grows as the event nears", growing.QuerySelector("#new-event-RefundRule-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("14", growing.QuerySelector<IHtmlInputElement>("#new-event-refund-days-1")?.Value);
        Assert.Equal("Growing refund", growing.QuerySelector<IHtmlInputElement>("#new-event-title")?.Value);

        var oneChoice = Fields("One choice", "", ("14", "100"));
        oneChoice[oneChoice.FindLastIndex(f => f.Key == "questionOptions")] = new("questionOptions", "Clinical");
        var (_, refusedChoice) = await PostNewEventAsync(session, hub, oneChoice);
        // The error names the slot the reader filled in, not the question's place among the filled ones.
        Assert.Contains("Question 3 offers from 2 to 20 different choices", refusedChoice.QuerySelector("#new-event-Questions-error")?.TextContent, StringComparison.Ordinal);

        var (_, notMember) = await PostNewEventAsync(session, hub, Fields("Hosted by a stranger", cast.Hospital.Slug, ("14", "100")));
        Assert.Contains("hosted by an organization holding an organization membership", notMember.QuerySelector("#new-event-HostOrganization-error")?.TextContent, StringComparison.Ordinal);

        var (_, unreadable) = await PostNewEventAsync(session, hub, Fields("Unreadable step", "", ("a fortnight", "100")));
        Assert.Contains("names the days before the start", unreadable.QuerySelector("#new-event-RefundRule-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    /// <summary>Posts the new-event form with fields that repeat (steps and questions), as a browser sends them.</summary>
    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> PostNewEventAsync(FormSession session, string hub, List<KeyValuePair<string, string>> fields)
    {
        var page = await session.GetAsync(hub);
        var form = page.QuerySelectorAll<IHtmlFormElement>("form").Single(f => f.QuerySelector<IHtmlInputElement>("input[name=_handler]")?.Value == "new-event");
        var hidden = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").Where(i => !string.IsNullOrEmpty(i.Name)).Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));
        var response = await session.Client.PostAsync(hub, new FormUrlEncodedContent(hidden.Concat(fields)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }
}
