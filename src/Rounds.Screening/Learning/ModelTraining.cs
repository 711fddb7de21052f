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

    /// <summary>Generator families left out, to measure how the model does on a kind of text it never saw.</summary>
    public IReadOnlySet<string> HeldOutFamilies { get; init; } = new HashSet<string>();
}

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
            var bias = ChooseRecallBias(options, log);
            model = model.WithSocialRecallBias(bias);
        }

        return model;
    }

    public const int CrossValidationFolds = 5;

    /// <summary>The recall biases cross-validation chooses from (margins below "outside" still reported).</summary>
    public static readonly float[] BiasGrid = [0f, 0.1f, 0.2f, 0.3f, 0.45f, 0.6f, 0.8f];

    /// <summary>
    /// Chooses the recall bias on the training side only: each fold of the labelled social posts is scored by a
    /// social model trained on the other folds plus the same generated posts. The bias kept is the one under which
    /// the fewest of the folds' PHI posts pass; among those, the best F2 of PHI spans (recall weighted twice
    /// precision, because a missed identifier costs a patient more than a question costs an editor); the smaller
    /// bias on a tie.
    /// </summary>
    public static float ChooseRecallBias(TrainingOptions options, TextWriter? log = null)
    {
        var families = TrainingGenerator.Families.Where(f => f != "note" && !options.HeldOutFamilies.Contains(f)).ToHashSet();
        var generated = new TrainingGenerator(options.Seed ^ 0xC0DE, options.SocialDraw).Generate(options.GeneratedSocial, families)
            .Select(g => new TrainingExample(g.Post, g.Social)).ToList();
        var posts = options.SocialPosts;
        var passed = new int[BiasGrid.Length];
        var found = new int[BiasGrid.Length];
        var relevant = new int[BiasGrid.Length];
        var correct = new int[BiasGrid.Length];
        var predicted = new int[BiasGrid.Length];
        for (var fold = 0; fold < CrossValidationFolds; fold++)
        {
            var scored = posts.Where((_, i) => i % CrossValidationFolds == fold).ToList();
            var trained = posts.Where((_, i) => i % CrossValidationFolds != fold).ToList();
            var social = TrainSocial(trained, options, generated, options.Seed ^ 0xC0DE, options.Seed + fold, families);
            var model = new ScreeningModel(social, social);
            for (var b = 0; b < BiasGrid.Length; b++)
            {
                var report = Evaluator.Run(new Screener(null, model.WithSocialRecallBias(BiasGrid[b])), scored, Profile.Social);
                passed[b] += report.PhiPostsPassed;
                relevant[b] += report.PhiSpans.Relevant;
                found[b] += report.PhiSpans.Found;
                predicted[b] += report.PhiSpans.Predicted;
                correct[b] += report.PhiSpans.Correct;
            }
        }

        var best = 0;
        double bestF2 = -1;
        for (var b = 0; b < BiasGrid.Length; b++)
        {
            var recall = relevant[b] == 0 ? 1 : (double)found[b] / relevant[b];
            var precision = predicted[b] == 0 ? 1 : (double)correct[b] / predicted[b];
            var f2 = recall + precision == 0 ? 0 : 5 * precision * recall / (4 * precision + recall);
            log?.WriteLine($"  recall bias {BiasGrid[b]:0.00}: recall {recall:0.000} precision {precision:0.000} F2 {f2:0.000}, PHI posts passing {passed[b]}");
            if (passed[b] < passed[best] || (passed[b] == passed[best] && f2 > bestF2))
            {
                best = b;
                bestF2 = f2;
            }
        }

        log?.WriteLine($"recall bias {BiasGrid[best]:0.00}, chosen by {CrossValidationFolds}-fold cross-validation on the {posts.Count} labelled training posts");
        return BiasGrid[best];
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
