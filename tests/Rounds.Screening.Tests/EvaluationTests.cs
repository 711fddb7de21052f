using Rounds.Screening.CommandLine;

namespace Rounds.Screening.Tests;

/// <summary>The accuracy floors, measured the same way as <c>rounds eval</c>.</summary>
public class EvaluationTests
{
    private static readonly Screener Screener = new();

    [Fact]
    public void DevPostsMeetTheFloors()
    {
        var posts = LabelledData.Read(File.ReadAllText(TestData.SharedScreening("dev-posts.jsonl")));
        var report = Evaluator.Run(Screener, posts, Profile.Social);

        Assert.Equal(50, posts.Count);
        Assert.True(report.PhiSpans.Recall >= 0.95, $"PHI span recall {report.PhiSpans.Recall:0.000}");
        // The shipped recall bias (0.45, cross-validated) trades a little precision here for recall.
        Assert.True(report.PhiSpans.Precision >= 0.87, $"PHI span precision {report.PhiSpans.Precision:0.000}");
        Assert.Equal(0, report.PhiPostsPassed);
        Assert.True(report.PolicyMicro.F1 >= 0.85, $"policy micro-F1 {report.PolicyMicro.F1:0.000}");
        Assert.True(report.VerdictAccuracy >= 0.90, $"verdict accuracy {report.VerdictAccuracy:0.000}");
    }

    [Fact]
    public void PresidioSentencesMeetTheStrictRecallFloor()
    {
        var posts = LabelledData.Read(File.ReadAllText(TestData.SharedScreening("presidio-generated-small.json")));
        var report = Evaluator.Run(Screener, posts, Profile.Strict);

        Assert.Equal(100, posts.Count);
        Assert.True(report.PhiSpans.Recall >= 0.85, $"strict PHI recall {report.PhiSpans.Recall:0.000}");
    }

    /// <summary>Posts written for these tests, never tuned against one by one, to check the rules generalise.</summary>
    [Fact]
    public void OwnLabelledPostsGeneralise()
    {
        var posts = TestData.ReadMarkup("generalization.src.jsonl");
        var report = Evaluator.Run(Screener, posts, Profile.Social);

        Assert.True(posts.Count >= 40);
        Assert.True(report.PhiSpans.Recall >= 0.90, $"PHI span recall {report.PhiSpans.Recall:0.000}");
        // The shipped recall bias (0.45, cross-validated) trades a little precision here for recall.
        Assert.True(report.PhiSpans.Precision >= 0.87, $"PHI span precision {report.PhiSpans.Precision:0.000}");
        Assert.Equal(0, report.PhiPostsPassed);
        Assert.True(report.PolicyMicro.F1 >= 0.85, $"policy micro-F1 {report.PolicyMicro.F1:0.000}");
        Assert.True(report.VerdictAccuracy >= 0.85, $"verdict accuracy {report.VerdictAccuracy:0.000}");
    }

    [Fact]
    public void DetailsListAnIdentifierFoundWithOtherBoundariesAndNotOneFoundExactly()
    {
        const string text = "Chart check: MRN 7730184 before meds.";
        static string Line(int start, int end) =>
            $"{{\"id\":\"b\",\"account\":\"personal\",\"text\":\"{text}\",\"phi\":[{{\"type\":\"MRN\",\"start\":{start},\"end\":{end}}}],\"policy\":[\"PATIENT_STORY\"],\"verdict\":\"block\"}}\n";
        var digits = text.IndexOf("7730184", StringComparison.Ordinal);
        var wider = new StringWriter();
        var exact = new StringWriter();

        // The label word is outside the span by convention; a gold span that takes it in is found, but not exactly.
        var report = Evaluator.Run(Screener, LabelledData.Read(Line(digits - 4, digits + 7)), Profile.Social, wider);
        Evaluator.Run(Screener, LabelledData.Read(Line(digits, digits + 7)), Profile.Social, exact);

        Assert.Equal(1, report.PhiSpans.Found);
        Assert.Contains("boundary MRN 'MRN 7730184' as '7730184'", wider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("boundary", exact.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelledDataDetectsBothFormatsByContent()
    {
        var lines = LabelledData.Read("{\"id\":\"a\",\"account\":\"personal\",\"text\":\"MRN 1234567\",\"phi\":[{\"type\":\"MRN\",\"start\":4,\"end\":11}],\"policy\":[\"PATIENT_STORY\"],\"verdict\":\"block\"}\n");
        var array = LabelledData.Read("[{\"full_text\":\"I work for Geoscape\",\"spans\":[{\"entity_type\":\"ORGANIZATION\",\"entity_value\":\"Geoscape\",\"start_position\":11,\"end_position\":19}]}]");

        Assert.Equal(AccountKind.Personal, Assert.Single(lines).Post.Kind);
        Assert.Equal(Verdict.Block, lines[0].Verdict);
        Assert.Empty(Assert.Single(array).Phi);
        Assert.Single(array[0].Unscored);
        Assert.Null(array[0].Policy);
    }
}
