using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Learning;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Learning;

/// <summary>Learning against a real database: attempts, credit claims, certificates, editing, import and export.</summary>
public abstract class LearningTests(RoundsFactory app)
{
    private static readonly Evaluation Evaluated = new(5, true, "Check photos for whiteboards before posting.");

    [Fact]
    public async Task The_pass_mark_exactly_met_passes()
    {
        var (org, admin) = await NewOrganizationAsync();
        var first = await AttemptAsync(org, admin, "introduction", wrong: 1);
        Assert.True(first.Succeeded, first.Status.Message);
        Assert.Equal((80, 80, true), (first.Value!.Score, first.Value.PassMark, first.Value.Passed));
        var state = await StateAsync(org, admin, "introduction");
        Assert.Equal(ModuleState.Passed, state);
    }

    [Fact]
    public async Task A_blank_or_partly_blank_submission_is_refused_without_using_an_attempt_and_a_failed_one_says_which_were_wrong()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await ModuleIdAsync(org, "x");
        Task<Outcome<AssessmentResult>> SubmitAsync(Func<Question, int, IReadOnlySet<int>?> pick) => app.WithScopeAsync(async services =>
        {
            var module = await services.GetRequiredService<RoundsDbContext>().Set<Module>().Include(m => m.Questions).SingleAsync(m => m.Id == moduleId);
            var picks = module.Questions.OrderBy(q => q.Position).Select((q, i) => (q.Id, Choices: pick(q, i)))
                .Where(p => p.Choices is not null).ToDictionary(p => p.Id, p => p.Choices!);
            return await services.GetRequiredService<SubmitAttempt>().RunAsync(await RoundsFactory.ContextAsync(services, org, admin), moduleId, picks);
        });
        Task<int> AttemptsAsync() => app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Attempt>().CountAsync(a => a.ModuleId == moduleId));

        var blank = await SubmitAsync((_, _) => null);
        Assert.Equal(OutcomeKind.Invalid, blank.Status.Kind);
        Assert.Contains("No question is answered", blank.Status.Message, StringComparison.Ordinal);
        var partly = await SubmitAsync((q, i) => i is 1 or 3 ? new HashSet<int>() : q.Correct.ToHashSet());
        Assert.Contains("Questions 2 and 4 are not answered", partly.Status.Message, StringComparison.Ordinal);
        Assert.Contains("No attempt was used", partly.Status.Message, StringComparison.Ordinal);
        Assert.Equal(0, await AttemptsAsync());

        var failed = await SubmitAsync((q, i) => i is 0 or 2 ? new HashSet<int> { Enumerable.Range(0, q.Choices.Count).First(c => !q.Correct.Contains(c)) } : q.Correct.ToHashSet());
        Assert.True(failed.Succeeded);
        Assert.False(failed.Value!.Passed);
        Assert.Equal([1, 3], failed.Value.Wrong);
        Assert.Equal(1, await AttemptsAsync());
    }

    [Fact]
    public async Task The_attempt_limit_is_enforced()
    {
        var (org, admin) = await NewOrganizationAsync();
        for (var i = 0; i < 3; i++)
        {
            var failed = await AttemptAsync(org, admin, "x", wrong: 2);
            Assert.True(failed.Succeeded);
            Assert.False(failed.Value!.Passed);
        }

        Assert.Equal(ModuleState.Failed, await StateAsync(org, admin, "x"));
        var fourth = await AttemptAsync(org, admin, "x", wrong: 0);
        Assert.Equal(OutcomeKind.Refused, fourth.Status.Kind);
        Assert.Contains("3 attempts", fourth.Status.Message, StringComparison.Ordinal);
        Assert.Equal(3, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Attempt>().CountAsync(a => a.OrganizationId == org.Id)));
    }

    [Fact]
    public async Task A_claim_above_the_maximum_is_refused_and_within_it_issues_a_certificate()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await PassAsync(org, admin, "linkedin");
        var tooMuch = await ClaimAsync(org, admin, moduleId, 0.75m);
        Assert.Equal(OutcomeKind.Invalid, tooMuch.Status.Kind);
        Assert.Contains("Credits", tooMuch.Status.Errors.Keys);
        var notAttested = await ClaimAsync(org, admin, moduleId, 0.5m, attested: false);
        Assert.Contains("Attested", notAttested.Status.Errors.Keys);
        var noEvaluation = await ClaimAsync(org, admin, moduleId, 0.5m, evaluation: new Evaluation(null, true, "x"));
        Assert.Contains("ObjectivesMet", noEvaluation.Status.Errors.Keys);
        Assert.Equal(0, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<CreditClaim>().CountAsync(c => c.OrganizationId == org.Id)));

        var claimed = await ClaimAsync(org, admin, moduleId, 0.5m);
        Assert.True(claimed.Succeeded, claimed.Status.Message);
        Assert.Equal(0.5m, claimed.Value!.Credits);
        Assert.Equal(OutcomeKind.Refused, (await ClaimAsync(org, admin, moduleId, 0.25m)).Status.Kind);
        var audited = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.AnyAsync(a => a.OrganizationId == org.Id && a.Action == "certificate.issued"));
        Assert.True(audited);
    }

    [Fact]
    public async Task Credit_is_refused_and_nothing_saved_while_the_designation_names_no_provider_or_keeps_the_placeholder_statement()
    {
        // The shipped course names no provider and its statements keep the placeholder wording: no certificate may claim them.
        var (org, admin) = await NewOrganizationAsync(accredited: false);
        var moduleId = await PassAsync(org, admin, "linkedin");
        var shipped = await ClaimAsync(org, admin, moduleId, 0.5m);
        Assert.Equal(OutcomeKind.Refused, shipped.Status.Kind);
        Assert.Contains("does not name its accredited provider", shipped.Status.Message, StringComparison.Ordinal);
        Assert.Contains("admins", shipped.Status.Message, StringComparison.Ordinal);

        Task SetAsync(string provider, Func<string, string> statement) => app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var module = await db.Set<Module>().SingleAsync(m => m.Id == moduleId);
            module.Credit.Provider = provider;
            module.Credit.Statement = statement(module.Credit.Statement);
            await db.SaveChangesAsync();
        });

        await SetAsync("Lakeside Institute", s => s);
        var placeholder = await ClaimAsync(org, admin, moduleId, 0.5m);
        Assert.Equal(OutcomeKind.Refused, placeholder.Status.Kind);
        Assert.Contains("still the placeholder", placeholder.Status.Message, StringComparison.Ordinal);

        await SetAsync("  ", s => s.Replace(CreditRules.PlaceholderWording, "by Lakeside Institute", StringComparison.Ordinal));
        var noProvider = await ClaimAsync(org, admin, moduleId, 0.5m);
        Assert.Equal(OutcomeKind.Refused, noProvider.Status.Kind);
        Assert.Contains("does not name its accredited provider", noProvider.Status.Message, StringComparison.Ordinal);

        var saved = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            return (await db.Set<CreditClaim>().CountAsync(c => c.OrganizationId == org.Id), await db.Set<Certificate>().CountAsync(c => c.OrganizationId == org.Id),
                await db.Set<LearnerProfile>().CountAsync(p => p.UserId == admin.Id));
        });
        Assert.Equal((0, 0, 0), saved);

        await SetAsync("Lakeside Institute", s => s);
        Assert.True((await ClaimAsync(org, admin, moduleId, 0.5m)).Succeeded);
    }

    [Fact]
    public async Task The_certificate_names_the_course_and_the_accredited_provider_on_the_pdf_and_when_verified()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await PassAsync(org, admin, "professionalism");
        var certificate = (await ClaimAsync(org, admin, moduleId, 0.5m)).Value!;
        Assert.Equal(("Social Media Basics for Health Care", Accreditation.Provider), (certificate.CourseTitle, certificate.ProviderName));
        Assert.DoesNotContain(CreditRules.PlaceholderWording, certificate.Statement, StringComparison.Ordinal);

        var api = await app.ApiClientAsync(admin);
        var bytes = await (await api.GetAsync($"/api/v1/orgs/{org.Slug}/certificates/{certificate.Id}/pdf")).Content.ReadAsByteArrayAsync();
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes))
        {
            var text = string.Join(' ', pdf.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("Professionalism and privacy, a module of Social Media Basics for Health Care", text, StringComparison.Ordinal);
            Assert.Contains($"Accredited provider: {Accreditation.Provider}", text, StringComparison.Ordinal);
        }

        var anonymous = app.CreateClient();
        var verified = await HttpAssert.ReadAsync<JsonElement>(await anonymous.GetAsync($"/api/v1/certificates/{certificate.Code}"));
        Assert.Equal("Social Media Basics for Health Care", verified.GetProperty("course").GetString());
        Assert.Equal(Accreditation.Provider, verified.GetProperty("provider").GetString());
        var page = await anonymous.GetStringAsync($"/verify/{certificate.Code}");
        Assert.Contains("Professionalism and privacy, a module of Social Media Basics for Health Care", page, StringComparison.Ordinal);
        Assert.Contains(Accreditation.Provider, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unpassed_module_and_an_expired_designation_are_refused()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await ModuleIdAsync(org, "youtube");
        Assert.Equal(OutcomeKind.Refused, (await ClaimAsync(org, admin, moduleId, 0.5m)).Status.Kind);

        await PassAsync(org, admin, "youtube");
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var module = await db.Set<Module>().SingleAsync(m => m.Id == moduleId);
            module.Credit.ExpiresOn = new DateOnly(2020, 12, 31);
            module.Credit.ReleasedOn = new DateOnly(2018, 1, 1);
            await db.SaveChangesAsync();
        });
        var expired = await ClaimAsync(org, admin, moduleId, 0.5m);
        Assert.Equal(OutcomeKind.Refused, expired.Status.Kind);
        Assert.Contains("expired", expired.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Course_credit_counts_what_was_claimed_module_by_module()
    {
        var (org, admin) = await NewOrganizationAsync();
        var courseId = await app.WithScopeAsync(async services => (await services.GetRequiredService<RoundsDbContext>().Set<Course>().SingleAsync(c => c.OrganizationId == org.Id)).Id);
        Assert.Equal(OutcomeKind.Refused, (await ClaimAsync(org, admin, courseId, 3.5m)).Status.Kind);
        string[] keys = ["introduction", "professionalism", "x", "linkedin", "facebook-instagram", "youtube", "measuring"];
        foreach (var key in keys)
        {
            await PassAsync(org, admin, key);
        }

        Assert.True((await ClaimAsync(org, admin, await ModuleIdAsync(org, "introduction"), 0.5m)).Succeeded);
        Assert.Contains("Credits", (await ClaimAsync(org, admin, courseId, 3.5m)).Status.Errors.Keys);
        var course = await ClaimAsync(org, admin, courseId, 3m);
        Assert.True(course.Succeeded, course.Status.Message);
        Assert.Equal("Social Media Basics for Health Care", course.Value!.ActivityTitle);
    }

    [Fact]
    public async Task Editing_a_course_does_not_change_certificates_already_issued()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await PassAsync(org, admin, "measuring");
        var certificate = (await ClaimAsync(org, admin, moduleId, 0.5m)).Value!;
        var edited = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            return await services.GetRequiredService<CourseEditor>().UpdateModuleAsync(context, moduleId, new ModuleFields("Renamed module", "", 90, 2, "Other credit", 1m, "New statement", null, null));
        });
        Assert.True(edited.Succeeded, edited.Message);

        var client = app.CreateClient();
        var verified = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync($"/api/v1/certificates/{certificate.Code}"));
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal("Measuring results", verified.GetProperty("activity").GetString());
        Assert.Equal(0.5m, verified.GetProperty("credits").GetDecimal());
        Assert.Equal("AMA PRA Category 1 Credit™", verified.GetProperty("creditType").GetString());
        Assert.StartsWith("This enduring material is designated for a maximum of 0.5", verified.GetProperty("statement").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_course_exports_and_imports_as_json_exactly()
    {
        var (org, admin) = await NewOrganizationAsync(accredited: false);
        var api = await app.ApiClientAsync(admin);
        var courses = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/courses"));
        var courseId = courses[0].GetProperty("id").GetString();
        var exported = await (await api.GetAsync($"/api/v1/orgs/{org.Slug}/courses/{courseId}/export")).Content.ReadAsStringAsync();
        Assert.Equal(CourseDocument.Parse(CourseCatalog.ShippedCourseJson).Document!.ToJson(), exported);

        // Into another organization, before it has any course, then out again.
        var other = await app.CreateOrganizationAsync("import-" + Guid.NewGuid().ToString("N")[..8], admin);
        var imported = await api.PostAsync($"/api/v1/orgs/{other.Slug}/courses/import", new StringContent(exported, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var importedId = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var again = await (await api.GetAsync($"/api/v1/orgs/{other.Slug}/courses/{importedId}/export")).Content.ReadAsStringAsync();
        Assert.Equal(exported, again);

        var duplicate = await api.PostAsync($"/api/v1/orgs/{other.Slug}/courses/import", new StringContent(exported, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var member = await app.CreateUserAsync($"member-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(other, member, Role.Contributor);
        var memberApi = await app.ApiClientAsync(member);
        Assert.Equal(HttpStatusCode.Forbidden, (await memberApi.GetAsync($"/api/v1/orgs/{other.Slug}/courses/{importedId}/export")).StatusCode);
        Assert.Single(await HttpAssert.ReadAsync<JsonElement[]>(await memberApi.GetAsync($"/api/v1/orgs/{other.Slug}/courses")));
    }

    [Fact]
    public async Task Lesson_markdown_with_script_and_onerror_is_sanitized_on_the_page()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await ModuleIdAsync(org, "introduction");
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        var editUrl = $"/o/{org.Slug}/learning/modules/{moduleId}/edit";
        var (_, saved) = await session.SubmitAsync(editUrl, "lesson", new Dictionary<string, string>
        {
            ["LessonInput.Title"] = "Unsafe lesson",
            ["LessonInput.Markdown"] = "Hello **there**\n\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert('y')\">\n\n[link](javascript:alert('z'))",
        });
        Assert.Contains("Lesson saved.", saved.Body!.TextContent, StringComparison.Ordinal);
        var lessonId = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Lesson>().Where(l => l.ModuleId == moduleId && l.Title == "Unsafe lesson").Select(l => l.Id).SingleAsync());

        var page = await session.GetAsync($"/o/{org.Slug}/learning/modules/{moduleId}?lesson={lessonId}");
        var lesson = page.QuerySelector("article.lesson")!;
        Assert.Equal("there", lesson.QuerySelector("strong")?.TextContent);
        // Raw HTML in a lesson is shown as text at most, never as elements or attributes.
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.TextContent.Contains("alert", StringComparison.Ordinal));
        Assert.Empty(lesson.QuerySelectorAll("script, img, iframe"));
        Assert.DoesNotContain(lesson.QuerySelectorAll("*").SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lesson.QuerySelectorAll("a"), a => a.GetAttribute("href")?.Contains("javascript", StringComparison.OrdinalIgnoreCase) == true);
        var audited = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.AnyAsync(a => a.OrganizationId == org.Id && a.Action == "lesson.added"));
        Assert.True(audited);
    }

    [Fact]
    public async Task Training_records_answer_per_organization_from_passed_modules()
    {
        var (org, admin) = await NewOrganizationAsync();
        var (otherOrg, _) = await NewOrganizationAsync();
        await app.AddMemberAsync(otherOrg, admin, Role.Member);
        await AttemptAsync(org, admin, "professionalism", wrong: 3);
        await PassAsync(org, admin, "introduction");
        await PassAsync(otherOrg, admin, "x");

        await app.WithScopeAsync(async services =>
        {
            var records = services.GetRequiredService<ITrainingRecords>();
            Assert.Equal(["professionalism", "x"], await records.MissingModulesAsync(org.Id, admin.Id, ["introduction", "professionalism", "x"]));
            Assert.Equal(["introduction", "professionalism"], await records.MissingModulesAsync(otherOrg.Id, admin.Id, ["introduction", "professionalism", "x"]));
            Assert.Empty(await records.MissingModulesAsync(org.Id, admin.Id, ["introduction"]));
            Assert.Equal(["introduction"], await records.MissingModulesAsync(org.Id, "nobody", ["introduction"]));
        });
    }

    [Fact]
    public async Task Required_modules_per_account_kind_default_and_can_be_set()
    {
        var (org, admin) = await NewOrganizationAsync();
        await app.WithScopeAsync(async services =>
        {
            var requirements = services.GetRequiredService<TrainingRequirements>();
            Assert.Equal(["introduction", "professionalism", "linkedin"], await requirements.RequiredModulesAsync(org.Id, "department", "LinkedIn"));
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            Assert.Equal(OutcomeKind.Invalid, (await requirements.SaveAsync(context, "department", ["no-such-module"], true)).Kind);
            Assert.Equal(OutcomeKind.Invalid, (await requirements.SaveAsync(context, "galaxy", ["introduction"], true)).Kind);
        });

        var api = await app.ApiClientAsync(admin);
        var put = await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/training-requirements", new { accountKind = "individual", moduleKeys = new[] { "professionalism" }, includePlatformModule = false });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        await app.WithScopeAsync(async services =>
        {
            var requirements = services.GetRequiredService<TrainingRequirements>();
            Assert.Equal(["professionalism"], await requirements.RequiredModulesAsync(org.Id, "individual", "x"));
            Assert.Equal(["introduction", "professionalism", "x"], await requirements.RequiredModulesAsync(org.Id, "branded", "Twitter"));
        });
        var listed = await HttpAssert.ReadAsync<JsonElement[]>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/training-requirements"));
        Assert.Equal(5, listed.Length);
    }

    [Fact]
    public async Task Transcript_csv_verification_and_revocation()
    {
        var (org, admin) = await NewOrganizationAsync();
        var moduleId = await PassAsync(org, admin, "facebook-instagram");
        var certificate = (await ClaimAsync(org, admin, moduleId, 0.5m)).Value!;
        var api = await app.ApiClientAsync(admin);

        var transcript = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync("/api/v1/me/transcript"));
        Assert.Equal("MD", transcript.GetProperty("degree").GetString());
        Assert.Equal("facebook-instagram", transcript.GetProperty("passed")[0].GetProperty("moduleKey").GetString());
        Assert.Equal(certificate.Code, transcript.GetProperty("credits")[0].GetProperty("code").GetString());

        var year = DateTime.UtcNow.Year;
        var csv = await (await api.GetAsync($"/api/v1/orgs/{org.Slug}/credits.csv?year={year}")).Content.ReadAsStringAsync();
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CreditReport.Columns), lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains("Admin,Casey,MD,1234567890,2,29,Facebook and Instagram,module,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",0.5,AMA PRA Category 1 Credit™,", lines[1], StringComparison.Ordinal);
        Assert.Single((await (await api.GetAsync($"/api/v1/orgs/{org.Slug}/credits.csv?year={year - 1}")).Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        var anonymous = app.CreateClient();
        Assert.True((await HttpAssert.ReadAsync<JsonElement>(await anonymous.GetAsync($"/api/v1/certificates/{IssueCertificate.DisplayCode(certificate.Code).ToLowerInvariant()}"))).GetProperty("valid").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/certificates/NOSUCHCODE")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/transcript")).StatusCode);

        var pdf = await api.GetAsync($"/api/v1/orgs/{org.Slug}/certificates/{certificate.Id}/pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/certificates/{certificate.Id}/revoke", new { reason = "Issued in error." })).StatusCode);
        var revoked = await HttpAssert.ReadAsync<JsonElement>(await anonymous.GetAsync($"/api/v1/certificates/{certificate.Code}"));
        Assert.False(revoked.GetProperty("valid").GetBoolean());
        Assert.Equal("Issued in error.", revoked.GetProperty("revocationReason").GetString());
        var page = await anonymous.GetStringAsync($"/verify/{certificate.Code}");
        Assert.Contains("Invalid: this certificate was revoked", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_writes_a_course_in_the_editor_and_a_sequential_course_opens_in_order()
    {
        var (org, admin) = await NewOrganizationAsync();
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        var manage = $"/o/{org.Slug}/learning/manage";
        var (created, _) = await session.SubmitAsync(manage, "new-course", new Dictionary<string, string> { ["NewCourse.Key"] = "patient-stories", ["NewCourse.Title"] = "Patient stories" });
        var courseUrl = created.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.EndsWith("/edit", courseUrl, StringComparison.Ordinal);

        var (_, savedCourse) = await session.SubmitAsync(courseUrl, "course", new Dictionary<string, string>
        {
            ["Input.Title"] = "Patient stories with consent",
            ["Input.Summary"] = "Consent, dignity, and telling a story well.",
            ["Input.Sequential"] = "true",
            ["Input.Credit.CreditType"] = "AMA PRA Category 1 Credit™",
            ["Input.Credit.Amount"] = "1",
            ["Input.Credit.Statement"] = "Designated by the provider.",
            ["Input.Credit.Provider"] = "Lakeside Institute",
            ["Input.Credit.ReleasedOn"] = "2026-01-01",
            ["Input.Credit.ExpiresOn"] = "2027-12-31",
        });
        Assert.Contains("Course saved.", savedCourse.Body!.TextContent, StringComparison.Ordinal);

        var moduleIds = new List<Guid>();
        foreach (var key in new[] { "consent", "telling" })
        {
            var (added, _) = await session.SubmitAsync(courseUrl, "new-module", new Dictionary<string, string> { ["NewModule.Key"] = key, ["NewModule.Title"] = "Module " + key });
            var moduleUrl = added.RequestMessage!.RequestUri!.AbsolutePath;
            moduleIds.Add(Guid.Parse(moduleUrl.Split('/')[^2]));
            var (_, savedModule) = await session.SubmitAsync(moduleUrl, "module", new Dictionary<string, string>
            {
                ["Input.Title"] = "Module " + key, ["Input.PassMark"] = "100", ["Input.AttemptLimit"] = "2",
                ["Input.Credit.CreditType"] = "AMA PRA Category 1 Credit™", ["Input.Credit.Amount"] = "0.5", ["Input.Credit.Statement"] = "Half a credit.",
                ["Input.Credit.Provider"] = "Lakeside Institute " + key,
            });
            Assert.Contains("Module saved.", savedModule.Body!.TextContent, StringComparison.Ordinal);
            await session.SubmitAsync(moduleUrl, "lesson", new Dictionary<string, string> { ["LessonInput.Title"] = "Why consent", ["LessonInput.Markdown"] = "Ask **first**." });
            var (_, savedQuestion) = await session.SubmitAsync(moduleUrl, "question", new Dictionary<string, string> { ["QuestionInput.Text"] = "Who consents?", ["QuestionInput.Choices"] = "* The patient\nThe photographer\n* A legal guardian, for a child" });
            Assert.Contains("Question saved.", savedQuestion.Body!.TextContent, StringComparison.Ordinal);
        }

        var document = await app.WithScopeAsync(async services =>
            (await services.GetRequiredService<CourseEditor>().ExportAsync(await RoundsFactory.ContextAsync(services, org, admin), Guid.Parse(courseUrl.Split('/')[^2])))!);
        Assert.Equal(("Patient stories with consent", true, 1m, new DateOnly(2027, 12, 31)), (document.Title, document.Sequential, document.Credit.Amount, document.Credit.ExpiresOn!.Value));
        var consent = document.Modules[0];
        Assert.Equal((100, (int?)2, 0.5m, "Why consent"), (consent.PassMark, consent.AttemptLimit, consent.Credit.Amount, consent.Lessons.Single().Title));
        Assert.Equal([true, false, true], consent.Questions.Single().Choices.Select(c => c.Correct));

        // The provider is edited on the course and on each module, and travels with the exported file.
        Assert.Equal(("Lakeside Institute", "Lakeside Institute consent"), (document.Credit.Provider, consent.Credit.Provider));
        var reimported = CourseDocument.Parse(document.ToJson()).Document!.ToCourse(Guid.NewGuid(), DateTimeOffset.UtcNow);
        Assert.Equal(("Lakeside Institute", "Lakeside Institute consent"), (reimported.Credit.Provider, reimported.Modules[0].Credit.Provider));

        // Sequential: the second module opens only once the first is passed.
        var early = await AttemptAsync(org, admin, "telling", wrong: 0);
        Assert.Equal(OutcomeKind.Refused, early.Status.Kind);
        await PassAsync(org, admin, "consent");
        Assert.True((await AttemptAsync(org, admin, "telling", wrong: 0)).Value!.Passed);

        var actions = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.Where(a => a.OrganizationId == org.Id).Select(a => a.Action).ToListAsync());
        Assert.Superset(new HashSet<string> { "course.created", "course.updated", "module.added", "module.updated", "lesson.added", "question.added" }, actions.ToHashSet());
    }

    private async Task<(Organization Org, User Admin)> NewOrganizationAsync(bool accredited = true)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"learner-{suffix}@example.org", "Casey Admin");
        var org = await app.CreateOrganizationAsync("learn-" + suffix, admin);
        await app.WithScopeAsync(services => services.GetRequiredService<CourseCatalog>().EnsureShippedCourseAsync(org.Id));
        if (accredited)
        {
            await Accreditation.AccreditAsync(app, org.Id);
        }

        return (org, admin);
    }

    private Task<Guid> ModuleIdAsync(Organization org, string key) => app.WithScopeAsync(services =>
        services.GetRequiredService<RoundsDbContext>().Set<Module>().Where(m => m.OrganizationId == org.Id && m.Key == key).Select(m => m.Id).SingleAsync());

    private async Task<Guid> PassAsync(Organization org, User user, string key)
    {
        var outcome = await AttemptAsync(org, user, key, wrong: 0);
        Assert.True(outcome.Succeeded && outcome.Value!.Passed, outcome.Status.Message);
        return await ModuleIdAsync(org, key);
    }

    /// <summary>Answers the module's questions, getting the first <paramref name="wrong"/> of them wrong.</summary>
    private Task<Outcome<AssessmentResult>> AttemptAsync(Organization org, User user, string key, int wrong) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var module = await db.Set<Module>().Include(m => m.Questions).SingleAsync(m => m.OrganizationId == org.Id && m.Key == key);
        var picks = module.Questions.OrderBy(q => q.Position).Select((q, i) => (q.Id, Choices: (IReadOnlySet<int>)(i < wrong
                ? new HashSet<int> { Enumerable.Range(0, q.Choices.Count).First(c => !q.Correct.Contains(c)) }
                : q.Correct.ToHashSet())))
            .ToDictionary(p => p.Id, p => p.Choices);
        var context = await RoundsFactory.ContextAsync(services, org, user);
        return await services.GetRequiredService<SubmitAttempt>().RunAsync(context, module.Id, picks);
    });

    private async Task<ModuleState> StateAsync(Organization org, User user, string key)
    {
        var rows = await app.WithScopeAsync(async services =>
            (await services.GetRequiredService<CourseCatalog>().ListAsync(await RoundsFactory.ContextAsync(services, org, user))).SelectMany(c => c.Modules).ToList());
        return rows.Single(r => r.Module.Key == key).State;
    }

    private Task<Outcome<Certificate>> ClaimAsync(Organization org, User user, Guid activityId, decimal credits, bool attested = true, Evaluation? evaluation = null) => app.WithScopeAsync(async services =>
    {
        var context = await RoundsFactory.ContextAsync(services, org, user);
        return await services.GetRequiredService<ClaimCredit>().RunAsync(context, activityId, new ClaimRequest(credits, evaluation ?? Evaluated, attested, "MD", "1234567890", 2, 29));
    });
}

public sealed class LearningTestsOnSqlite(SqliteRounds app) : LearningTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class LearningTestsOnPostgres(PostgresRounds app) : LearningTests(app), IClassFixture<PostgresRounds>;
