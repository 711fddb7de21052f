using Rounds.Screening.CommandLine;

namespace Rounds.Screening.Learning;

/// <summary>What a training run learns from. Everything has a default, so <c>rounds screen-train</c> needs no arguments.</summary>
internal sealed record TrainingOptions
{
    /// <summary>Labelled posts (dev-posts JSON lines) for the social model.</summary>
    public IReadOnlyList<LabelledPost> SocialPosts { get; init; } = [];

    /// <summary>Labelled sentences for the strict model (presidio format), scored as every identifier counts.</summary>
    public IReadOnlyList<LabelledPost> StrictPosts { get; init; } = [];

    public int Seed { get; init; } = 20251204;

    public int GeneratedSocial { get; init; } = 1000;

    public int GeneratedStrict { get; init; } = 3000;

    /// <summary>What the social labeller's generated posts draw beyond the plain lists; the strict labeller's never do.</summary>
    public SocialDraw SocialDraw { get; init; } = SocialDraw.Social;

    public int Epochs { get; init; } = 3;

    /// <summary>
    /// How many social labellers are averaged into the shipped one, each trained on its own draw of generated posts
    /// (see <see cref="ModelTraining.TrainSocial"/>).
    /// </summary>
    public int SocialBags { get; init; } = 3;

    /// <summary>Each labelled post counts this many times, so that a few hundred are not drowned out by the generated ones.</summary>
    public int LabelledRepeats { get; init; } = 8;

    /// <summary>Whether cross-validation may give each group of tags its own recall bias (<see cref="ModelTraining.BiasGroups"/>).</summary>
    public bool BiasPerType { get; init; } = true;

    /// <summary>Generator families left out, to measure how the model does on a kind of text it never saw.</summary>
    public IReadOnlySet<string> HeldOutFamilies { get; init; } = new HashSet<string>();
}

/// <summary>The social recall bias cross-validation chose: the common one, and the one per tag (indexed by tag).</summary>
internal sealed record RecallBiasChoice(float Common, float[] ByTag);

/// <summary>Builds both profiles' models from labelled files plus generated posts and notes.</summary>
internal static class ModelTraining
{
    public static ScreeningModel Train(TrainingOptions options, TextWriter? log = null)
    {
        var families = TrainingGenerator.Families.Where(f => !options.HeldOutFamilies.Contains(f)).ToHashSet();
        var socialFamilies = families.Where(f => f != "note").ToHashSet();
        var socialGenerated = new TrainingGenerator(options.Seed, options.SocialDraw).Generate(options.GeneratedSocial, socialFamilies);

        // The strict labeller draws from a generator of its own with the plain lists, so that what the social draw adds
        // (names that are words, towns used as adjectives) does not move the strict model. Its stream starts where
        // it did when one generator served both profiles, after the social count: the strict model stays the one whose
        // held-out figures are recorded.
        var strictGenerator = new TrainingGenerator(options.Seed);
        _ = strictGenerator.Generate(options.GeneratedSocial, socialFamilies);
        var strictGenerated = strictGenerator.Generate(options.GeneratedStrict, families);

        var strict = Enumerable.Repeat(options.StrictPosts, options.LabelledRepeats).SelectMany(p => p).Select(FromLabelled).Concat(strictGenerated.Select(g => new TrainingExample(g.Post, g.Strict))).ToList();
        log?.WriteLine($"social: {options.SocialPosts.Count} labelled + {socialGenerated.Count} generated; strict: {options.StrictPosts.Count} labelled + {strictGenerated.Count} generated");
        var socialModel = TrainSocial(
            options.SocialPosts, options, socialGenerated.Select(g => new TrainingExample(g.Post, g.Social)).ToList(), options.Seed, options.Seed,
            socialFamilies, log);
        var strictModel = Trainer.Train(strict, Profile.Strict, options.Epochs, options.Seed + 1, log);
        var model = new ScreeningModel(socialModel, strictModel);
        if (options.SocialPosts.Count >= CrossValidationFolds)
        {
            var choice = ChooseRecallBiases(options, log);
            model = model.WithSocialRecallBiases(choice.ByTag, choice.Common);
        }

        return model;
    }

    public const int CrossValidationFolds = 5;

    /// <summary>The recall biases cross-validation chooses from (margins below "outside" still reported).</summary>
    public static readonly float[] BiasGrid = [0f, 0.1f, 0.2f, 0.3f, 0.45f, 0.6f, 0.8f];

    /// <summary>
    /// The groups of tags that may each have their own recall bias: names, places, dates and ages, and every other
    /// identifier. Their near misses differ in kind (an ordinary capitalised word, a building, a weekday, a number),
    /// so one distance below "outside" for all of them lets the kind with the worst near misses set the price.
    /// </summary>
    public static readonly string[][] BiasGroups =
    [
        ["NAME"],
        ["LOCATION"],
        ["DATE", "AGE"],
        [.. Tags.Names.Skip(1).Where(n => n is not ("NAME" or "LOCATION" or "DATE" or "AGE"))],
    ];

    /// <summary>The common recall bias cross-validation chooses; see <see cref="ChooseRecallBiases"/>.</summary>
    public static float ChooseRecallBias(TrainingOptions options, TextWriter? log = null) => ChooseRecallBiases(options, log).Common;

    /// <summary>
    /// Chooses the recall bias on the training side only: each fold of the labelled social posts is scored by a
    /// social model trained on the other folds plus the same generated posts. The bias kept is the one under which
    /// the fewest of the folds' PHI posts pass; among those, the best F2 of PHI spans (recall weighted twice
    /// precision, because a missed identifier costs a patient more than a question costs an editor); the smaller
    /// bias on a tie. Then, from that common bias, each group of tags (<see cref="BiasGroups"/>) in turn takes the
    /// grid value that does best by the same measure, twice round, a change kept only when it does strictly better.
    /// </summary>
    public static RecallBiasChoice ChooseRecallBiases(TrainingOptions options, TextWriter? log = null)
    {
        var families = TrainingGenerator.Families.Where(f => f != "note" && !options.HeldOutFamilies.Contains(f)).ToHashSet();
        var generated = new TrainingGenerator(options.Seed ^ 0xC0DE, options.SocialDraw).Generate(options.GeneratedSocial, families)
            .Select(g => new TrainingExample(g.Post, g.Social)).ToList();
        var posts = options.SocialPosts;
        var folds = new List<(List<LabelledPost> Scored, ScreeningModel Model)>();
        for (var fold = 0; fold < CrossValidationFolds; fold++)
        {
            var scored = posts.Where((_, i) => i % CrossValidationFolds == fold).ToList();
            var trained = posts.Where((_, i) => i % CrossValidationFolds != fold).ToList();
            var social = TrainSocial(trained, options, generated, options.Seed ^ 0xC0DE, options.Seed + fold, families);
            folds.Add((scored, new ScreeningModel(social, social)));
        }

        BiasScore Score(float[] byTag)
        {
            int passed = 0, found = 0, relevant = 0, correct = 0, predicted = 0;
            foreach (var (scored, model) in folds)
            {
                var report = Evaluator.Run(new Screener(null, model.WithSocialRecallBiases(byTag, byTag[1])), scored, Profile.Social);
                passed += report.PhiPostsPassed;
                relevant += report.PhiSpans.Relevant;
                found += report.PhiSpans.Found;
                predicted += report.PhiSpans.Predicted;
                correct += report.PhiSpans.Correct;
            }

            return new BiasScore(passed, relevant == 0 ? 1 : (double)found / relevant, predicted == 0 ? 1 : (double)correct / predicted);
        }

        var best = 0;
        BiasScore? bestScore = null;
        for (var b = 0; b < BiasGrid.Length; b++)
        {
            var score = Score(Labeller.BiasByTag(BiasGrid[b]));
            log?.WriteLine($"  recall bias {BiasGrid[b]:0.00}: recall {score.Recall:0.000} precision {score.Precision:0.000} F2 {score.F2:0.000}, PHI posts passing {score.Passed}");
            if (bestScore is null || score.Beats(bestScore))
            {
                best = b;
                bestScore = score;
            }
        }

        var common = BiasGrid[best];
        log?.WriteLine($"recall bias {common:0.00}, chosen by {CrossValidationFolds}-fold cross-validation on the {posts.Count} labelled training posts");
        var byTag = Labeller.BiasByTag(common);
        if (!options.BiasPerType)
        {
            return new RecallBiasChoice(common, byTag);
        }

        for (var round = 0; round < 2; round++)
        {
            foreach (var group in BiasGroups)
            {
                foreach (var value in BiasGrid)
                {
                    var trial = (float[])byTag.Clone();
                    foreach (var name in group)
                    {
                        trial[Tags.Of(name)] = value;
                    }

                    var score = Score(trial);
                    if (score.Beats(bestScore!))
                    {
                        byTag = trial;
                        bestScore = score;
                    }
                }
            }
        }

        log?.WriteLine($"recall bias per type: {string.Join(", ", BiasGroups.Select(g => $"{string.Join("/", g.Take(2))}{(g.Length > 2 ? "/…" : "")} {byTag[Tags.Of(g[0])]:0.00}"))}; recall {bestScore!.Recall:0.000} precision {bestScore.Precision:0.000} F2 {bestScore.F2:0.000}, PHI posts passing {bestScore.Passed}");
        return new RecallBiasChoice(common, byTag);
    }

    /// <summary>A recall-bias setting's cross-validated result: fewer PHI posts passing first, then F2.</summary>
    private sealed record BiasScore(int Passed, double Recall, double Precision)
    {
        public double F2 => Recall + Precision == 0 ? 0 : 5 * Precision * Recall / ((4 * Precision) + Recall);

        public bool Beats(BiasScore other) => Passed < other.Passed || (Passed == other.Passed && F2 > other.F2);
    }

    private const int BagStride = 7919;

    /// <summary>
    /// The social labeller: the mean of <see cref="TrainingOptions.SocialBags"/> averaged perceptrons, each trained on
    /// the same labelled posts with its own draw of generated posts and its own example order. Generated posts are
    /// most of what the labeller sees, so one draw's accidents (a template word that happened to sit next to a name)
    /// become weights; averaging draws keeps what every draw teaches. Held out, this raised PHI precision at the same
    /// recall by 0.02–0.07 (docs/screening.md); scoring costs nothing more, since the mean is one model.
    /// <paramref name="firstDraw"/> is the first bag's generated posts, already drawn by the caller.
    /// </summary>
    private static SequenceModel TrainSocial(
        IReadOnlyList<LabelledPost> posts, TrainingOptions options, IReadOnlyList<TrainingExample> firstDraw, int generatorSeed, int seed,
        ISet<string> families, TextWriter? log = null)
    {
        var labelled = Enumerable.Repeat(posts, options.LabelledRepeats).SelectMany(p => p).Select(FromLabelled).ToList();
        var bags = new List<SequenceModel>();
        for (var b = 0; b < Math.Max(1, options.SocialBags); b++)
        {
            var generated = b == 0
                ? firstDraw
                : new TrainingGenerator(generatorSeed + BagStride * b, options.SocialDraw).Generate(options.GeneratedSocial, families).Select(g => new TrainingExample(g.Post, g.Social)).ToList();
            bags.Add(Trainer.Train([.. labelled, .. generated], Profile.Social, options.Epochs, seed + BagStride * b, log));
        }

        return SequenceModel.Average(bags);
    }

    /// <summary>Generated posts of the given families (a different seed from training) scored like labelled posts.</summary>
    public static List<LabelledPost> GeneratedForScoring(IReadOnlySet<string> families, Profile profile, int count, int seed)
    {
        var posts = new TrainingGenerator(seed).Generate(count, families.ToHashSet());
        return posts.Select((g, i) => new LabelledPost(
            $"{g.Family}-{i}", g.Post, g.For(profile).Select(s => new GoldSpan(s.Type, s.Start, s.End)).ToList(), [], null, null)).ToList();
    }

    private static TrainingExample FromLabelled(LabelledPost post) =>
        new(post.Post, post.Phi.Select(s => (s.Type, s.Start, s.End)).ToList());
}
