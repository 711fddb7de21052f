using Rounds.Web.Features.Learning;
using UglyToad.PdfPig;

namespace Rounds.Web.Tests.Features.Learning;

public sealed class AssessmentTests
{
    private static readonly Question[] Questions =
    [
        .. Enumerable.Range(0, 4).Select(i => new Question { Text = $"Q{i}", Choices = ["a", "b", "c"], Correct = [1] }),
        new Question { Text = "All that apply", Choices = ["a", "b", "c", "d"], Correct = [0, 2] },
    ];

    private static Dictionary<Guid, IReadOnlySet<int>> Picks(params (int Question, int[] Choices)[] picks) =>
        picks.ToDictionary(p => Questions[p.Question].Id, p => (IReadOnlySet<int>)p.Choices.ToHashSet());

    [Fact]
    public void The_pass_mark_exactly_met_passes_and_one_below_fails()
    {
        var fourRight = Assessment.Score(Questions, Picks((0, [1]), (1, [1]), (2, [1]), (3, [1]), (4, [0])), 80);
        Assert.Equal((4, 5, 80, true), (fourRight.Right, fourRight.Total, fourRight.Score, fourRight.Passed));
        var threeRight = Assessment.Score(Questions, Picks((0, [1]), (1, [1]), (2, [1]), (3, [0]), (4, [0])), 80);
        Assert.Equal((60, false), (threeRight.Score, threeRight.Passed));
        Assert.False(Assessment.Score(Questions, Picks((0, [1]), (1, [1]), (2, [1]), (3, [1])), 81).Passed);
    }

    [Fact]
    public void A_select_all_question_counts_only_with_exactly_its_right_choices()
    {
        Assert.Equal(1, Assessment.Score(Questions, Picks((4, [0, 2])), 80).Right);
        Assert.Equal(0, Assessment.Score(Questions, Picks((4, [0, 1, 2, 3])), 80).Right);
        Assert.Equal(0, Assessment.Score(Questions, Picks((4, [0])), 80).Right);
    }

    [Fact]
    public void Attempts_stop_at_the_limit_and_after_a_pass()
    {
        Assert.Null(Assessment.RefuseAttempt(false, 2, 3));
        Assert.NotNull(Assessment.RefuseAttempt(false, 3, 3));
        Assert.Null(Assessment.RefuseAttempt(false, 50, null));
        Assert.NotNull(Assessment.RefuseAttempt(true, 1, null));
    }

    [Fact]
    public void Module_state_follows_progress_and_attempts()
    {
        Assert.Equal(ModuleState.NotStarted, Assessment.State(false, []));
        Assert.Equal(ModuleState.InProgress, Assessment.State(true, []));
        Assert.Equal(ModuleState.Failed, Assessment.State(true, [false]));
        Assert.Equal(ModuleState.Passed, Assessment.State(true, [false, true]));
    }

    [Fact]
    public void Time_spent_counts_gaps_up_to_half_an_hour()
    {
        var start = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        var progress = new ModuleProgress { StartedAt = start, LastActivityAt = start };
        progress.Touch(start.AddMinutes(5));
        progress.Touch(start.AddHours(5));
        Assert.Equal((5 * 60) + (30 * 60), progress.SecondsSpent);
    }

    [Fact]
    public void Picks_are_read_from_form_values()
    {
        var question = Guid.NewGuid();
        var picks = SubmitAttempt.ParsePicks([$"{question}:0", $"{question}:2", "junk", "x:1"]);
        Assert.Equal([0, 2], picks[question].Order());
        Assert.Single(picks);
    }
}

public sealed class CreditRulesTests
{
    private static readonly CreditDesignation Designation = new() { CreditType = "AMA PRA Category 1 Credit™", MaximumCredits = 3.5m, ReleasedOn = new(2026, 1, 1), ExpiresOn = new(2028, 12, 31) };

    [Fact]
    public void Claims_are_in_quarter_steps_and_never_above_what_is_left()
    {
        Assert.Null(CreditRules.RefuseAmount(Designation, 3.5m, 0));
        Assert.Null(CreditRules.RefuseAmount(Designation, 0.25m, 0));
        Assert.NotNull(CreditRules.RefuseAmount(Designation, 3.75m, 0));
        Assert.NotNull(CreditRules.RefuseAmount(Designation, 0.3m, 0));
        Assert.NotNull(CreditRules.RefuseAmount(Designation, 0, 0));
        Assert.Null(CreditRules.RefuseAmount(Designation, 2.5m, 1m));
        Assert.NotNull(CreditRules.RefuseAmount(Designation, 2.75m, 1m));
    }

    [Fact]
    public void Credit_is_claimable_only_between_release_and_expiry()
    {
        Assert.NotNull(CreditRules.RefuseOn(Designation, new(2025, 12, 31)));
        Assert.Null(CreditRules.RefuseOn(Designation, new(2026, 1, 1)));
        Assert.Null(CreditRules.RefuseOn(Designation, new(2028, 12, 31)));
        Assert.Contains("expired", CreditRules.RefuseOn(Designation, new(2029, 1, 1)), StringComparison.Ordinal);
        Assert.NotNull(CreditRules.RefuseOn(new CreditDesignation(), new(2026, 6, 1)));
    }

    [Fact]
    public void Credits_are_written_without_trailing_zeros()
    {
        Assert.Equal("0.5", CreditRules.Format(0.50m));
        Assert.Equal("3.5", CreditRules.Format(3.500m));
        Assert.Equal("1.25", CreditRules.Format(1.25m));
    }
}

public sealed class LessonMarkdownTests
{
    [Fact]
    public void Script_event_handlers_and_javascript_links_are_removed()
    {
        var html = SafeMarkdown.ToSafeHtml("# Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[click](javascript:alert(3)) and **bold** and [ok](https://example.org)");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org\"", html, StringComparison.Ordinal);
    }
}

public sealed class ShippedCourseTests
{
    [Fact]
    public void The_shipped_course_has_seven_modules_with_lessons_quizzes_and_credit()
    {
        var (document, error) = CourseDocument.Parse(CourseCatalog.ShippedCourseJson);
        Assert.Null(error);
        Assert.Equal(["introduction", "professionalism", "x", "linkedin", "facebook-instagram", "youtube", "measuring"], document!.Modules.Select(m => m.Key));
        Assert.Equal(3.5m, document.Credit.Amount);
        Assert.All(document.Modules, m =>
        {
            Assert.Equal(0.5m, m.Credit.Amount);
            Assert.True(m.Questions.Count >= 5, m.Key);
            Assert.NotEmpty(m.Lessons);
            Assert.All(m.Questions, q => Assert.Contains(q.Choices, c => c.Correct));
        });
        Assert.Equal(document.Credit.Amount, document.Modules.Sum(m => m.Credit.Amount));
    }

    [Fact]
    public void A_document_survives_conversion_to_a_course_and_back()
    {
        var (document, _) = CourseDocument.Parse(CourseCatalog.ShippedCourseJson);
        var again = CourseDocument.From(document!.ToCourse(Guid.NewGuid(), DateTimeOffset.UnixEpoch));
        Assert.Equal(document.ToJson(), again.ToJson());
    }

    [Fact]
    public void A_broken_file_is_refused_with_a_reason()
    {
        Assert.NotNull(CourseDocument.Parse("{ not json").Error);
        Assert.Contains("format", CourseDocument.Parse("{\"format\":\"other\",\"key\":\"k\",\"title\":\"t\",\"summary\":\"\",\"sequential\":false,\"credit\":{\"type\":\"\",\"amount\":0,\"statement\":\"\"},\"modules\":[]}").Error!, StringComparison.Ordinal);
    }
}

public sealed class CertificatePdfTests
{
    [Fact]
    public void The_pdf_reads_back_with_name_title_credits_and_code()
    {
        var certificate = new Certificate
        {
            Code = "ABCDE23456", LearnerName = "Elin Sorensen (Björk)", Degree = "MD", ActivityTitle = "Social Media Basics for Health Care", IssuerName = "Northfield Health",
            CompletedOn = new DateOnly(2026, 11, 23), Credits = 3.5m, CreditType = "AMA PRA Category 1 Credit™", Statement = string.Join(' ', Enumerable.Repeat("A long designation statement (with parentheses) \\ backslash.", 6)),
        };
        var bytes = CertificatePdf.Render(certificate, "https://rounds.example/verify/ABCDE-23456");
        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal(1, pdf.NumberOfPages);
        var text = string.Join(' ', pdf.GetPage(1).GetWords().Select(w => w.Text));
        Assert.Contains("Elin Sorensen (Björk), MD", text, StringComparison.Ordinal);
        Assert.Contains("Social Media Basics for Health Care", text, StringComparison.Ordinal);
        Assert.Contains("3.5 AMA PRA Category 1 Credit™", text, StringComparison.Ordinal);
        Assert.Contains("ABCDE-23456", text, StringComparison.Ordinal);
        Assert.Contains("(with parentheses) \\ backslash.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Nguyễn Thị Minh")]
    [InlineData("Zoë Ó Súilleabháin")]
    [InlineData("Αλεξάνδρα Παπαδοπούλου")]
    [InlineData("Łukasz Żółć-Øverland")]
    public void Names_outside_latin_1_print_exactly(string learner)
    {
        var certificate = new Certificate
        {
            Code = "ABCDE23456", LearnerName = learner, Degree = "RN", ActivityTitle = "Giao tiếp an toàn trên mạng xã hội", IssuerName = "Northfield Health",
            CompletedOn = new DateOnly(2026, 11, 23), Credits = 1m, CreditType = "contact hours", Statement = "Statement.",
        };
        using var pdf = PdfDocument.Open(CertificatePdf.Render(certificate, "https://rounds.example/verify/ABCDE-23456"));
        var text = string.Join(' ', pdf.GetPage(1).GetWords().Select(w => w.Text));
        Assert.Contains($"{learner}, RN", text, StringComparison.Ordinal);
        Assert.Contains("Giao tiếp an toàn trên mạng xã hội", text, StringComparison.Ordinal);
        Assert.DoesNotContain("?", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_names_and_titles_stay_inside_the_frame()
    {
        var certificate = new Certificate
        {
            Code = "ABCDE23456", LearnerName = "Maximiliana Alexandrovna Featherstonehaugh-Worthington", Degree = "MD, PhD, MPH",
            ActivityTitle = "An exceptionally long activity title about social media, privacy, professionalism and measurement in health care",
            CompletedOn = new DateOnly(2026, 11, 23), Credits = 0.5m, CreditType = "AMA PRA Category 1 Credit™", IssuerName = "Northfield Health", Statement = "Statement.",
        };
        using var pdf = PdfDocument.Open(CertificatePdf.Render(certificate, "https://rounds.example/verify/ABCDE-23456"));
        var page = pdf.GetPage(1);
        Assert.All(page.Letters, letter => Assert.InRange(letter.BoundingBox.Left, 40, page.Width - 40));
        Assert.All(page.Letters, letter => Assert.InRange(letter.BoundingBox.Right, 40, page.Width - 40));
        Assert.Contains("Featherstonehaugh-Worthington, MD, PhD, MPH", string.Join(' ', page.GetWords().Select(w => w.Text)), StringComparison.Ordinal);
    }
}
