using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The Fellows program end to end: a residency graduate submits a screened strategic plan with an attachment,
/// reviewers without a conflict are assigned and review blind against a weighted rubric, the network asks for a
/// revision, the same reviewers read the new version, and the accepted fellow is listed in the directory.
/// </summary>
public abstract class FellowsTests(MembershipRounds app)
{
    private static readonly Dictionary<string, string> Sections = new()
    {
        ["goals"] = "Grow the cardiology service's reach with two physician voices a month.",
        ["audience"] = "Referring physicians in the region and patients choosing a heart program.",
        ["channels"] = "The hospital's LinkedIn page and two branded role accounts on Bluesky.",
        ["governance"] = "Every post approved by communications; the social media policy signed by each voice.",
        ["measurement"] = "Followers, referral inquiries and the share of physicians with a profile, each quarter.",
    };

    private async Task<User> GraduateAsync(MembershipCast cast, string email, string name)
    {
        var user = await app.CreateUserAsync(email, name);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var residency = await db.Set<NetworkEvent>().FirstAsync(e => e.OrganizationId == cast.Network.Id && e.Kind == ProductKind.Residency);
            db.Add(new Registration
            {
                OrganizationId = cast.Network.Id, EventId = residency.Id, UserId = user.Id, AttendeeName = name, Status = RegistrationStatus.Confirmed,
                TicketCode = Guid.NewGuid().ToString("N"), CreatedAt = app.Clock.GetUtcNow(), CheckedInAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        return user;
    }

    private async Task<HttpResponseMessage> PutJsonAsync(User user, string path, object body) => await (await app.ApiClientAsync(user)).PutAsJsonAsync(path, body);

    private async Task<List<JsonElement>> ReviewsOfAsync(User reviewer, MembershipCast cast) =>
        (await app.GetJsonAsync(reviewer, $"/api/v1/membership/{cast.Network.Slug}/fellows/reviews")).EnumerateArray().ToList();

    private async Task ReviewAsync(User reviewer, MembershipCast cast, Guid reviewId, object scores, string recommendation) =>
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(reviewer, $"/api/v1/membership/{cast.Network.Slug}/fellows/reviews/{reviewId}",
            new { scores, recommendation, comments = "Clear goals." }));

    [Fact]
    public async Task A_graduates_plan_is_screened_reviewed_blind_without_conflicts_revised_and_accepted_into_the_directory()
    {
        var cast = await app.CastAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var applicant = await GraduateAsync(cast, $"jane.doe.{suffix}@{cast.Domain}", "Jane Doe");
        var stranger = await app.CreateUserAsync($"not-a-graduate-{suffix}@elsewhere.example", "Nat Graduate");
        var colleague = await app.CreateUserAsync($"colleague-{suffix}@{cast.Domain}", "Cole League");
        var staffElsewhere = await app.CreateUserAsync($"staff-{suffix}@gmail.example", "Stef Staff");
        await app.AddMemberAsync(cast.Hospital, staffElsewhere, Role.Reviewer);
        var first = await app.CreateUserAsync($"first-{suffix}@reviewers.example", "Fay First");
        var second = await app.CreateUserAsync($"second-{suffix}@other.example", "Sid Second");
        var admin = $"/api/v1/orgs/{cast.Network.Slug}/membership/fellows";
        var people = $"/api/v1/membership/{cast.Network.Slug}/fellows";

        var round = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"{admin}/rounds", new
        {
            name = "Fellows 2027", closesAt = app.Clock.GetUtcNow().AddDays(30), reviewsPerPlan = 2,
            rubric = new[] { new { key = "clarity", label = "Clarity", weight = 2 }, new { key = "feasibility", label = "Feasibility", weight = 3 }, new { key = "measurement", label = "Measurement", weight = 1 } },
        }));
        var roundId = round.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, $"{admin}/rounds", new { name = "No rubric", closesAt = app.Clock.GetUtcNow().AddDays(30) })).StatusCode);

        // Only graduates apply; a plan must be whole to be submitted, and must not name a patient.
        Assert.Equal(HttpStatusCode.Forbidden, (await PutJsonAsync(stranger, $"{people}/rounds/{roundId}/plan", new { sections = Sections, submit = true })).StatusCode);
        var draft = await HttpAssert.ReadAsync<JsonElement>(await PutJsonAsync(applicant, $"{people}/rounds/{roundId}/plan", new { sections = new { goals = Sections["goals"] }, submit = false }));
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        var incomplete = await PutJsonAsync(applicant, $"{people}/rounds/{roundId}/plan", new { sections = new { goals = Sections["goals"] }, submit = true });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("Sections.audience", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var withPatient = new Dictionary<string, string>(Sections) { ["goals"] = "Tell the story of our patient Maria Lopez, DOB 04/12/1961, MRN 88213347, after her bypass." };
        var screened = await PutJsonAsync(applicant, $"{people}/rounds/{roundId}/plan", new { sections = withPatient, submit = true });
        Assert.Equal(HttpStatusCode.BadRequest, screened.StatusCode);
        Assert.Contains("patient", await screened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("draft", Assert.Single((await app.GetJsonAsync(applicant, $"{people}/plans")).EnumerateArray()).GetProperty("status").GetString());

        var planId = draft.GetProperty("id").GetGuid();
        using (var client = await app.ApiClientAsync(applicant))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"{people}/plans/{planId}/attachment?fileName=plan.exe", new ByteArrayContent([1, 2, 3]))).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"{people}/plans/{planId}/attachment?fileName=Jane-Doe-plan.pdf", new ByteArrayContent("%PDF-1.4 plan"u8.ToArray()))).StatusCode);
        }

        var submitted = await HttpAssert.ReadAsync<JsonElement>(await PutJsonAsync(applicant, $"{people}/rounds/{roundId}/plan", new { sections = Sections, submit = true }));
        Assert.Equal(("submitted", 1), (submitted.GetProperty("status").GetString(), submitted.GetProperty("version").GetInt32()));

        // Reviewers who share the applicant's organization (by its proven domain, or as its member) are never assigned.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, $"{admin}/rounds/{roundId}/reviewers", new { email = "nobody@nowhere.example" })).StatusCode);
        foreach (var reviewer in new[] { colleague, staffElsewhere, first, second })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await app.PostJsonAsync(cast.NetworkAdmin, $"{admin}/rounds/{roundId}/reviewers", new { email = reviewer.Email })).StatusCode);
        }

        var assigned = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"{admin}/rounds/{roundId}/assignments", new { }));
        Assert.Equal(2, assigned.GetProperty("assigned").GetInt32());
        Assert.Empty(await ReviewsOfAsync(colleague, cast));
        Assert.Empty(await ReviewsOfAsync(staffElsewhere, cast));

        // Blind: the reviewer sees the plan but neither who wrote it nor the file's own name.
        var task = Assert.Single(await ReviewsOfAsync(first, cast));
        Assert.DoesNotContain("Jane", task.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(cast.Domain, task.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(Sections["channels"], task.GetProperty("sections").GetProperty("channels").GetString());
        using (var client = await app.ApiClientAsync(first))
        {
            var file = await client.GetAsync($"{people}/reviews/{task.GetProperty("id").GetGuid()}/attachment");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("strategic-plan.pdf", file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        }

        var decisionPath = $"{admin}/plans/{planId}/decision";
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(cast.NetworkAdmin, decisionPath, new { decision = "accept", reason = "Too early" })).StatusCode);
        var missing = await app.PostJsonAsync(first, $"{people}/reviews/{task.GetProperty("id").GetGuid()}", new { scores = new { clarity = 4 }, recommendation = "revise" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        await ReviewAsync(first, cast, task.GetProperty("id").GetGuid(), new { clarity = 4, feasibility = 3, measurement = 5 }, "revise");
        await ReviewAsync(second, cast, Assert.Single(await ReviewsOfAsync(second, cast)).GetProperty("id").GetGuid(), new { clarity = 5, feasibility = 4, measurement = 4 }, "accept");

        // (2×4 + 3×3 + 1×5) / 6 = 3.67 and (2×5 + 3×4 + 1×4) / 6 = 4.33.
        var listed = Assert.Single((await app.GetJsonAsync(cast.NetworkAdmin, $"{admin}/rounds/{roundId}/plans")).EnumerateArray());
        Assert.Equal([3.67m, 4.33m], listed.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("weightedScore").GetDecimal()).Order());
        Assert.Equal(4.00m, listed.GetProperty("averageScore").GetDecimal());

        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, decisionPath, new { decision = "revise", reason = "" })).StatusCode);
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, decisionPath, new { decision = "revise", reason = "Say how each voice is trained." }));
        Assert.Contains("needs a revision", Assert.Single(app.MailTo(applicant.Email!)), StringComparison.Ordinal);

        // A draft written after the revision request has not been screened: no reviewer sees it, nor a new file.
        var draftAfterRevision = new Dictionary<string, string>(Sections) { ["goals"] = "Unscreened draft wording." };
        await HttpAssert.ReadAsync<JsonElement>(await PutJsonAsync(applicant, $"{people}/rounds/{roundId}/plan", new { sections = draftAfterRevision, submit = false }));
        var hidden = Assert.Single(await ReviewsOfAsync(first, cast));
        Assert.DoesNotContain("Unscreened", hidden.GetRawText(), StringComparison.Ordinal);
        Assert.False(hidden.GetProperty("hasAttachment").GetBoolean());
        using (var client = await app.ApiClientAsync(first))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{people}/reviews/{hidden.GetProperty("id").GetGuid()}/attachment")).StatusCode);
        }

        // The new version goes back to the same two reviewers; the old review can no longer change.
        var revised = new Dictionary<string, string>(Sections) { ["governance"] = Sections["governance"] + " Each voice completes the certificate course first." };
        var secondVersion = await HttpAssert.ReadAsync<JsonElement>(await PutJsonAsync(applicant, $"{people}/rounds/{roundId}/plan", new { sections = revised, submit = true }));
        Assert.Equal(2, secondVersion.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(first, $"{people}/reviews/{task.GetProperty("id").GetGuid()}",
            new { scores = new { clarity = 1, feasibility = 1, measurement = 1 }, recommendation = "decline" })).StatusCode);
        foreach (var reviewer in new[] { first, second })
        {
            var open = Assert.Single(await ReviewsOfAsync(reviewer, cast), r => r.GetProperty("open").GetBoolean());
            Assert.Equal(2, open.GetProperty("version").GetInt32());
            await ReviewAsync(reviewer, cast, open.GetProperty("id").GetGuid(), new { clarity = 5, feasibility = 5, measurement = 4 }, "accept");
        }

        Assert.Empty((await app.CreateClient().GetFromJsonAsync<JsonElement>(people)).EnumerateArray());
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, decisionPath, new { decision = "accept", reason = "A plan the network can learn from." }));
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(cast.NetworkAdmin, decisionPath, new { decision = "decline", reason = "Second thoughts" })).StatusCode);
        var fellow = Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement>(people)).EnumerateArray());
        Assert.Equal(("Jane Doe", "Fellows 2027"), (fellow.GetProperty("name").GetString(), fellow.GetProperty("round").GetString()));
    }
}

public sealed class FellowsTestsOnSqlite(SqliteMembershipRounds app) : FellowsTests(app), IClassFixture<SqliteMembershipRounds>;

public sealed class FellowsTestsOnPostgres(PostgresMembershipRounds app) : FellowsTests(app), IClassFixture<PostgresMembershipRounds>;

/// <summary>
/// The same program through its pages, as the network's admin, a graduate and a reviewer use them (forms over HTTP,
/// as the server renders them without scripts).
/// </summary>
public sealed class FellowsPageTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    [Fact]
    public async Task The_admin_opens_a_round_a_graduate_submits_a_reviewer_scores_and_the_admin_accepts_through_the_pages()
    {
        var cast = await app.CastAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var graduate = await app.CreateUserAsync($"grace-{suffix}@{cast.Domain}", "Grace Graduate");
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var residency = await db.Set<NetworkEvent>().FirstAsync(e => e.OrganizationId == cast.Network.Id && e.Kind == ProductKind.Residency);
            db.Add(new Registration { OrganizationId = cast.Network.Id, EventId = residency.Id, UserId = graduate.Id, AttendeeName = "Grace", Status = RegistrationStatus.Confirmed, TicketCode = Guid.NewGuid().ToString("N"), CreatedAt = app.Clock.GetUtcNow(), CheckedInAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        var reviewer = await app.CreateUserAsync($"rita-{suffix}@reviewers.example", "Rita Reviewer");
        var adminPath = $"/o/{cast.Network.Slug}/membership/fellows";
        var memberPath = $"/membership/{cast.Network.Slug}/fellows";

        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        var closes = app.Clock.GetUtcNow().AddDays(20).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var (_, noName) = await admin.SubmitAsync(adminPath, "new-round", new Dictionary<string, string> { ["name"] = "", ["closes"] = closes, ["reviews"] = "1", ["rubric"] = "Clarity | 1" });
        Assert.NotNull(noName.QuerySelector("[role=alert]"));
        var (_, opened) = await admin.SubmitAsync(adminPath, "new-round", new Dictionary<string, string> { ["name"] = "Spring fellows", ["closes"] = closes, ["reviews"] = "1", ["rubric"] = "Clarity | 2\nFeasibility | 1" });
        Assert.Contains("Spring fellows is open", opened.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var roundId = await app.WithScopeAsync(async services => (await services.GetRequiredService<RoundsDbContext>().Set<FellowshipRound>().SingleAsync(r => r.OrganizationId == cast.Network.Id && r.Name == "Spring fellows")).Id);
        await admin.SubmitAsync(adminPath, $"reviewer-{roundId}", new Dictionary<string, string> { ["email"] = reviewer.Email! });

        var applicant = FormSession.Create(app);
        await applicant.LoginAsync(graduate.Email!);
        var fields = Fellowship.SectionKeys.ToDictionary(s => s.Key, s => $"Our {s.Label.ToLowerInvariant()} for the coming year.");
        fields["submit"] = "false";
        await applicant.SubmitAsync(memberPath, $"plan-{roundId}", fields);

        // The draft takes its file on the page; a file of another kind is refused beside the field and nothing is kept.
        var (_, refusedFile) = await AttachOnPageAsync(applicant, memberPath, "plan.exe", [0x4D, 0x5A, 0x90]);
        Assert.Contains("Nothing was attached", refusedFile.QuerySelector(".alert-danger[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(refusedFile.QuerySelector("[id^=file-error-]"));
        Assert.Equal("", await app.WithScopeAsync(async services => (await services.GetRequiredService<RoundsDbContext>().Set<StrategicPlan>().SingleAsync(p => p.RoundId == roundId)).AttachmentName));
        var (_, attached) = await AttachOnPageAsync(applicant, memberPath, "strategy.pdf", "%PDF-1.7 our plan"u8.ToArray());
        Assert.Contains("strategy.pdf is attached", attached.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        fields["submit"] = "true";
        var (_, submitted) = await applicant.SubmitAsync(memberPath, $"plan-{roundId}", fields);
        Assert.Contains("Submitted", submitted.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        var (_, assigned) = await admin.SubmitAsync(adminPath, $"assign-{roundId}", new Dictionary<string, string>());
        Assert.Contains("1 reviews assigned", assigned.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        var reviewing = FormSession.Create(app);
        await reviewing.LoginAsync(reviewer.Email!);
        var reviewPage = await reviewing.GetAsync(memberPath);
        Assert.DoesNotContain("Grace", reviewPage.QuerySelector("#reviews-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
        var reviewForm = reviewPage.QuerySelectorAll("input[name=_handler]").Select(i => i.GetAttribute("value")!).Single(v => v.StartsWith("review-", StringComparison.Ordinal));
        var (_, reviewed) = await reviewing.SubmitAsync(memberPath, reviewForm, new Dictionary<string, string> { ["score-clarity"] = "5", ["score-feasibility"] = "2", ["recommendation"] = "accept", ["comments"] = "Ready." });
        Assert.Contains("Review submitted: 4.00 out of 5", reviewed.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        var planId = await app.WithScopeAsync(async services => (await services.GetRequiredService<RoundsDbContext>().Set<StrategicPlan>().SingleAsync(p => p.RoundId == roundId)).Id);
        var (_, decided) = await admin.SubmitAsync(adminPath, $"decide-{planId}", new Dictionary<string, string> { ["decision"] = "accept", ["reason"] = "A clear plan." });
        Assert.Contains("Decided", decided.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var directory = await applicant.GetAsync(memberPath);
        Assert.Contains("Grace Graduate, Spring fellows", directory.QuerySelector("#directory-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(reviewPage.QuerySelector("a[href$='/attachment']"));

        // The directory is public: someone not signed in reads the fellow's name, round and year, and nothing of the plan.
        var visitor = FormSession.Create(app);
        var publicPage = await visitor.GetAsync($"{memberPath}/directory");
        var main = publicPage.QuerySelector("main")!.TextContent;
        Assert.Contains("Grace Graduate, Spring fellows", main, StringComparison.Ordinal);
        Assert.DoesNotContain("strategy.pdf", main, StringComparison.Ordinal);
        Assert.DoesNotContain(fields["goals"], main, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync("/membership/no-such-network/fellows/directory")).StatusCode);
    }

    /// <summary>Posts the page's file form as a browser does: multipart, with the form's hidden fields and the file.</summary>
    private static async Task<(HttpResponseMessage Response, AngleSharp.Html.Dom.IHtmlDocument Page)> AttachOnPageAsync(FormSession session, string path, string fileName, byte[] bytes)
    {
        var page = await session.GetAsync(path);
        var form = page.QuerySelectorAll("form").Single(f => f.QuerySelector("input[name=_handler]")?.GetAttribute("value") == "plan-file");
        var content = new MultipartFormDataContent();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]"))
        {
            content.Add(new StringContent(hidden.GetAttribute("value") ?? ""), hidden.GetAttribute("name")!);
        }

        content.Add(new ByteArrayContent(bytes), "file", fileName);
        var response = await session.Client.PostAsync(path, content);
        return (response, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }
}
