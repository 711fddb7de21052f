using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Data;
using Rounds.Web.Features.Learning;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Features.Learning;
using UglyToad.PdfPig;

namespace Rounds.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LearningFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_clinician_passes_two_modules_claims_credit_downloads_the_certificate_and_an_admin_revokes_it()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("learn-" + suffix, admin);
        var clinician = await app.CreateUserAsync($"clinician-{suffix}@example.org", "Elin Sorensen");
        await app.AddMemberAsync(org, clinician, Role.Contributor);

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, clinician.Email!);
        await page.GotoAsync($"/o/{org.Slug}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Learning", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Social Media Basics for Health Care" })).ToBeVisibleAsync();
        var answers = await AnswersAsync(org);

        // Introduction: read the lessons, fail the quiz once, pass on the retry.
        await page.GetByRole(AriaRole.Link, new() { Name = "Start Introduction: why health care is on social media" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Why we are here" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next: How your organization governs social media" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the assessment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#pass-mark")).ToContainTextAsync("Pass mark: 80%");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit answers" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No question is answered; answer every question. No attempt was used.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pass-mark")).ToContainTextAsync("0 used of 3");
        await AnswerAsync(page, answers["introduction"], wrong: 2);
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("You did not pass this time.");
        await Assertions.Expect(page.Locator("#wrong")).ToContainTextAsync("Questions answered wrongly: 1, 2.");
        await Assertions.Expect(page.Locator("#pass-mark")).ToContainTextAsync("1 used of 3");
        await AnswerAsync(page, answers["introduction"], wrong: 0);
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("You passed this module.");

        // Professionalism, passed at the first attempt with one answer wrong.
        await page.GotoAsync($"/o/{org.Slug}/learning");
        await page.GetByRole(AriaRole.Link, new() { Name = "Start Professionalism and privacy" }).ClickAsync();
        await page.GotoAsync(page.Url + "/assessment");
        await AnswerAsync(page, answers["professionalism"], wrong: 1);
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("You passed this module.");

        // While the shipped designation names no provider, the claim page says so instead of offering the form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Claim credit" }).ClickAsync();
        await Assertions.Expect(page.GetByText("the designation does not name its accredited provider")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim credit and get the certificate" })).ToHaveCountAsync(0);
        await Accreditation.AccreditAsync(app, org.Id);
        await page.ReloadAsync();

        // Evaluation, attestation and claim for the professionalism module; above the maximum is refused first.
        await page.GetByLabel("How well did the activity meet its objectives?").SelectOptionAsync("5");
        await page.GetByRole(AriaRole.Group, new() { Name = "Was the content free of commercial bias?" }).GetByLabel("Yes").CheckAsync();
        await page.GetByLabel("What will you do differently in your work?").FillAsync("Check every photo's background before posting.");
        await page.GetByLabel("Degree or credential").FillAsync("MD");
        await page.GetByLabel("Licence number or NPI (optional)").FillAsync("1234567893");
        await page.GetByLabel("Credits claimed").FillAsync("0.75");
        await page.GetByLabel(ClaimCredit.Attestation).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim credit and get the certificate" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You can claim at most 0.5");
        await page.GetByLabel("Credits claimed").FillAsync("0.5");
        await page.GetByLabel(ClaimCredit.Attestation).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim credit and get the certificate" }).ClickAsync();
        var code = (await page.Locator("#certificate-code").TextContentAsync())!.Trim();
        Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$", code);

        // The PDF, read back by a PDF text extractor.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the certificate (PDF)" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        using (var pdf = PdfDocument.Open(bytes))
        {
            var text = string.Join(' ', pdf.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("Elin Sorensen, MD", text, StringComparison.Ordinal);
            Assert.Contains("Professionalism and privacy, a module of Social Media Basics for Health Care", text, StringComparison.Ordinal);
            Assert.Contains($"Accredited provider: {Accreditation.Provider}", text, StringComparison.Ordinal);
            Assert.Contains("0.5 AMA PRA Category 1 Credit™", text, StringComparison.Ordinal);
            Assert.Contains(code, text, StringComparison.Ordinal);
        }

        // Anyone can check it, signed out.
        var visitor = await fixture.NewPageAsync();
        await visitor.GotoAsync("/verify");
        await visitor.GetByLabel("Verification code printed on the certificate").FillAsync(code.ToLowerInvariant());
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Assertions.Expect(visitor.Locator("#verdict")).ToContainTextAsync("Valid");
        await Assertions.Expect(visitor.GetByText("Elin Sorensen, MD")).ToBeVisibleAsync();
        await Assertions.Expect(visitor.Locator("#provider")).ToHaveTextAsync(Accreditation.Provider);

        // The transcript lists both modules and the credit.
        await page.GotoAsync($"/o/{org.Slug}/learning/transcript");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Introduction: why health care is on social media", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = code })).ToBeVisibleAsync();

        // An admin revokes it; the verification page then says it is invalid.
        var adminPage = await fixture.NewPageAsync();
        await fixture.LoginAsync(adminPage, admin.Email!);
        await adminPage.GotoAsync($"/o/{org.Slug}/learning/manage");
        await adminPage.GetByLabel("Reason for revoking").FillAsync("Issued in error.");
        await adminPage.GetByRole(AriaRole.Button, new() { Name = $"Revoke {code}" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Status)).ToContainTextAsync("Certificate revoked.");
        await visitor.GotoAsync($"/verify/{code}");
        await Assertions.Expect(visitor.Locator("#verdict")).ToContainTextAsync("Invalid");
        await Assertions.Expect(visitor.Locator("#verdict")).ToContainTextAsync("Issued in error.");
    }

    /// <summary>The right choices of each module's questions, in the order they are asked.</summary>
    private Task<Dictionary<string, List<(Guid Question, List<int> Right, int Choices)>>> AnswersAsync(Organization org) => fixture.App.WithScopeAsync(async services =>
    {
        var modules = await services.GetRequiredService<RoundsDbContext>().Set<Module>().Include(m => m.Questions).Where(m => m.OrganizationId == org.Id).ToListAsync();
        return modules.ToDictionary(m => m.Key, m => m.Questions.OrderBy(q => q.Position).Select(q => (q.Id, q.Correct, q.Choices.Count)).ToList());
    });

    private static async Task AnswerAsync(IPage page, List<(Guid Question, List<int> Right, int Choices)> questions, int wrong)
    {
        foreach (var (question, index) in questions.Select((q, i) => (q, i)))
        {
            var picks = index < wrong ? [Enumerable.Range(0, question.Choices).First(c => !question.Right.Contains(c))] : question.Right;
            foreach (var choice in picks)
            {
                await page.Locator($"input[value='{question.Question}:{choice}']").CheckAsync();
            }
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit answers" }).ClickAsync();
    }
}
