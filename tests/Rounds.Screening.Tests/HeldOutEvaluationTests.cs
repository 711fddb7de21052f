using Rounds.Screening.CommandLine;
using Rounds.Screening.Learning;

namespace Rounds.Screening.Tests;

/// <summary>
/// Accuracy on data the model never saw: each test trains a fresh model without the scored set, exactly as
/// <c>rounds eval FILE --train-on …</c> does, and fails below the figures that run reaches today (see
/// docs/screening.md for where they stand against the product's floors).
/// </summary>
public class HeldOutEvaluationTests
{
    private static List<LabelledPost> Read(string file) => LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file)));

    private static EvalReport TrainAndScore(TrainingOptions options, List<LabelledPost> scored, Profile profile) =>
        Evaluator.Run(new Screener(null, ModelTraining.Train(options)), scored, profile);

    [Fact]
    public void DevPosts2ScoredByAModelTrainedWithoutIt()
    {
        var report = TrainAndScore(new TrainingOptions { SocialPosts = Read("dev-posts.jsonl") }, Read("dev-posts-2.jsonl"), Profile.Social);

        // Floors asked for: recall 0.97, precision 0.90, no PHI post passing, policy 0.90, verdicts 0.90. Not met yet.
        // The recall bias is chosen by cross-validation on dev-posts alone (it picks 0 there). A single social
        // labeller reached precision 0.738, two PHI posts passing and verdicts 0.784 here; the mean of three labellers
        // trained on different generated draws reaches 0.775, one and 0.814 (0.76–0.79, 1 and 0.81–0.83 over seeds),
        // which is what this test holds. Policy phrases matched as kinds (vaccine stems, "<disease> shot", outcome
        // verbs stated absolutely, a price with a booking deadline) raised policy micro-F1 0.852 → 0.881 and verdicts
        // 0.814 → 0.839 here, with no policy label added where none belongs. Leaving out of the union the rule spans
        // that only their post vouches for and that the labeller firmly rejects raised precision 0.776 → 0.808 at the
        // same recall (0.78–0.82 over seeds) and verdicts to 0.844.
        Assert.True(report.PhiSpans.Recall >= 0.79, $"PHI span recall {report.PhiSpans.Recall:0.000}");
        Assert.True(report.PhiSpans.Precision >= 0.80, $"PHI span precision {report.PhiSpans.Precision:0.000}");
        Assert.True(report.PhiPostsPassed <= 1, $"{report.PhiPostsPassed} PHI posts passed");
        Assert.True(report.PolicyMicro.F1 >= 0.88, $"policy micro-F1 {report.PolicyMicro.F1:0.000}");
        Assert.True(report.VerdictAccuracy >= 0.84, $"verdict accuracy {report.VerdictAccuracy:0.000}");
    }

    [Fact]
    public void DevPostsScoredByAModelTrainedWithoutIt()
    {
        var report = TrainAndScore(new TrainingOptions { SocialPosts = Read("dev-posts-2.jsonl") }, Read("dev-posts.jsonl"), Profile.Social);

        // The rule detectors were written against dev-posts, so this direction flatters the method; both are shown.
        // Cross-validation on dev-posts-2 picks a recall bias of 0.45–0.6 (0.6 with this seed: its F2 there is 0.001
        // above 0.45's), which costs precision here: 0.68–0.82 over seeds, against 0.97 at bias 0. Policy micro-F1
        // moves between 0.966 and 0.977 over seeds with it (the PATIENT_STORY label follows the PHI findings).
        Assert.True(report.PhiSpans.Recall >= 0.97, $"PHI span recall {report.PhiSpans.Recall:0.000}");
        Assert.True(report.PhiSpans.Precision >= 0.67, $"PHI span precision {report.PhiSpans.Precision:0.000}");
        Assert.Equal(0, report.PhiPostsPassed);
        Assert.True(report.PolicyMicro.F1 >= 0.96, $"policy micro-F1 {report.PolicyMicro.F1:0.000}");
        Assert.True(report.VerdictAccuracy >= 0.90, $"verdict accuracy {report.VerdictAccuracy:0.000}");
    }

    [Fact]
    public void PresidioSmallInStrictScoredByAModelTrainedWithoutIt()
    {
        var report = TrainAndScore(new TrainingOptions { StrictPosts = Read("presidio-generated-large.json") }, Read("presidio-generated-small.json"), Profile.Strict);

        Assert.True(report.PhiSpans.Recall >= 0.95, $"strict PHI recall {report.PhiSpans.Recall:0.000}");
        Assert.True(report.PhiSpans.Precision >= 0.90, $"strict PHI precision {report.PhiSpans.Precision:0.000}");
    }

    [Fact]
    public void AGeneratorFamilyHeldOutOfTraining()
    {
        var options = new TrainingOptions { StrictPosts = Read("presidio-generated-large.json"), HeldOutFamilies = new HashSet<string> { "note" } };
        var notes = ModelTraining.GeneratedForScoring(new HashSet<string> { "note" }, Profile.Strict, 400, 99);

        var report = TrainAndScore(options, notes, Profile.Strict);

        // Recall holds on clinical notes never seen. Precision is held a little under what this seed scores (0.933;
        // docs/screening.md has the figures and how they came), so that a check of shape or of a note's own words
        // that stops working fails here, while a retrained model's usual spread does not.
        Assert.True(report.PhiSpans.Recall >= 0.95, $"held-out family recall {report.PhiSpans.Recall:0.000}");
        Assert.True(report.PhiSpans.Precision >= 0.92, $"held-out family precision {report.PhiSpans.Precision:0.000}");
    }
}
