using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>Answers checked against an event's questions, before this change asked nowhere: required, one of a list, yes or no.</summary>
public sealed class RegistrationAnswerRulesTests
{
    private static readonly IReadOnlyList<RegistrationQuestion> Questions = RegistrationQuestions.Parse(
    [
        new("Which track?", "choice", true, ["Strategy", "Measurement"]),
        new("Dietary needs", "text", false, null),
        new("Joining the dinner?", "yes_no", true, null),
    ]).Value!;

    [Fact]
    public void Valid_answers_are_stored_in_the_events_own_wording_and_empty_optional_ones_are_left_out()
    {
        var checkedAnswers = RegistrationQuestions.Check(Questions, new Dictionary<string, string?> { ["q1"] = " strategy ", ["q2"] = "", ["q3"] = "YES" });
        Assert.True(checkedAnswers.Succeeded);
        Assert.Equal(new Dictionary<string, string> { ["q1"] = "Strategy", ["q3"] = "yes" }, checkedAnswers.Value);
    }

    [Fact]
    public void Each_missing_or_wrong_answer_is_reported_under_its_question()
    {
        var refused = RegistrationQuestions.Check(Questions, new Dictionary<string, string?> { ["q1"] = "Cooking", ["q2"] = new string('x', 501), ["q9"] = "?" });
        Assert.False(refused.Succeeded);
        Assert.Equal(["Answers.q1", "Answers.q2", "Answers.q3", "Answers.q9"], refused.Status.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Strategy, Measurement", refused.Status.Errors["Answers.q1"][0], StringComparison.Ordinal);
        Assert.False(RegistrationQuestions.Check(Questions, new Dictionary<string, string?> { ["q1"] = "Strategy", ["q3"] = "maybe" }).Succeeded);
    }

    [Fact]
    public void A_choice_question_needs_two_distinct_options_and_a_kind_it_knows()
    {
        Assert.False(RegistrationQuestions.Parse([new("Track", "choice", true, ["Only one"])]).Succeeded);
        Assert.False(RegistrationQuestions.Parse([new("Track", "choice", true, ["A", "a"])]).Succeeded);
        Assert.False(RegistrationQuestions.Parse([new("Track", "essay", true, null)]).Succeeded);
        Assert.False(RegistrationQuestions.Parse([new("", "text", true, null)]).Succeeded);
    }
}

/// <summary>An event asks its questions at registration, keeps the answers with the registration and gives them to its admins, in the API and the CSV.</summary>
public abstract class RegistrationQuestionTests(MembershipRounds app)
{
    [Fact]
    public async Task A_registration_with_a_missing_or_wrong_answer_saves_nothing_and_a_valid_one_is_shown_to_the_events_admins_and_exported_defused()
    {
        var cast = await app.CastAsync();
        var slug = cast.Network.Slug;
        var badEvent = await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{slug}/membership/events", new
        {
            kind = "conference", title = "Bad questions", start = app.Clock.GetUtcNow().AddDays(40).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 480, capacity = 5, price = 0m, questions = new[] { new { label = "Track", kind = "choice", required = true, options = new[] { "Only" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badEvent.StatusCode);

        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{slug}/membership/events", new
        {
            kind = "conference", title = "Asking " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(40).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 480, capacity = 5, price = 0m,
            questions = new object[]
            {
                new { label = "Which track?", kind = "choice", required = true, options = new[] { "Strategy", "Measurement" } },
                new { label = "Dietary needs", kind = "text", required = false },
            },
        }));
        var eventId = created.GetProperty("id").GetGuid();
        var member = await app.CreateUserAsync($"asked-{Guid.NewGuid():N}@individual.example", "Ada Asked");
        var shown = (await app.EventAsync(member, cast, "Asking")).GetProperty("questions");
        Assert.Equal(["q1", "q2"], shown.EnumerateArray().Select(q => q.GetProperty("key").GetString()));

        var path = $"/api/v1/membership/{slug}/events/{eventId}/registrations";
        var missing = await app.PostJsonAsync(member, path, new { answers = new Dictionary<string, string> { ["q2"] = "Vegetarian" } });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Answers.q1", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(member, path, new { answers = new Dictionary<string, string> { ["q1"] = "Cooking" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(member, path, new { })).StatusCode);
        Assert.Equal((0, 0, 0), await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            return (await db.Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.SeatsTaken).SingleAsync(),
                await db.Set<Registration>().CountAsync(r => r.EventId == eventId),
                await db.Set<Order>().CountAsync(o => o.BuyerUserId == member.Id));
        }));

        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(member, path, new { answers = new Dictionary<string, string> { ["q1"] = "measurement", ["q2"] = "=HYPERLINK(\"http://evil.example\")" } })).StatusCode);
        var attendee = Assert.Single((await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{slug}/membership/events/{eventId}/registrations")).EnumerateArray());
        Assert.Equal("Measurement", attendee.GetProperty("answers").GetProperty("q1").GetString());

        var csv = await (await app.ApiClientAsync(cast.NetworkAdmin)).GetStringAsync($"/api/v1/orgs/{slug}/membership/events/{eventId}/registrations.csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("name,email,status,registered_at,checked_in_at,Which track?,Dietary needs", lines[0]);
        Assert.EndsWith(",Measurement,\"'=HYPERLINK(\"\"http://evil.example\"\")\"", lines[1], StringComparison.Ordinal);

        // The answers are the network's admins' to read, not another member's or another organization's.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiClientAsync(member)).GetAsync($"/api/v1/orgs/{slug}/membership/events/{eventId}/registrations")).StatusCode);
    }

    /// <summary>
    /// Protects the largest questions and answers the rules allow: ten questions of twenty long choices, and
    /// answers of the longest allowed text in letters JSON escapes, fit where they are stored. Before, both were
    /// kept in 8,000 characters, which PostgreSQL enforced with an error and SQLite did not.
    /// </summary>
    [Fact]
    public async Task The_largest_questions_and_answers_the_rules_allow_are_kept_whole()
    {
        var cast = await app.CastAsync();
        var slug = cast.Network.Slug;
        var questions = Enumerable.Range(1, 10).Select(i => i <= 7
            ? (object)new { label = $"Choice {i} – préférence", kind = "choice", required = false, options = Enumerable.Range(1, 20).Select(o => $"Option {o} ‘{new string('é', 80)}’").ToArray() }
            : new { label = $"Text {i} – remarque", kind = "text", required = false }).ToArray();
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{slug}/membership/events", new
        {
            kind = "conference", title = "Largest " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(40).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 480, capacity = 5, price = 0m, questions,
        }));
        var eventId = created.GetProperty("id").GetGuid();
        var member = await app.CreateUserAsync($"largest-{Guid.NewGuid():N}@individual.example", "Zoë Ó Súilleabháin");
        var longest = new string('é', 250) + new string('<', 250);
        var answers = Enumerable.Range(8, 3).ToDictionary(i => $"q{i}", _ => longest);
        answers["q1"] = $"Option 20 ‘{new string('é', 80)}’";
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(member, $"/api/v1/membership/{slug}/events/{eventId}/registrations", new { answers })).StatusCode);

        var attendee = Assert.Single((await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{slug}/membership/events/{eventId}/registrations")).EnumerateArray());
        Assert.Equal(longest, attendee.GetProperty("answers").GetProperty("q10").GetString());
        Assert.Equal(answers["q1"], attendee.GetProperty("answers").GetProperty("q1").GetString());
    }
}

public sealed class RegistrationQuestionTestsOnSqlite(SqliteMembershipRounds app) : RegistrationQuestionTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class RegistrationQuestionTestsOnPostgres(PostgresMembershipRounds app) : RegistrationQuestionTests(app), IClassFixture<PostgresMembershipRounds>;
