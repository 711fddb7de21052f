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

    public int Epochs { get; init; } = 3;

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
        var generator = new TrainingGenerator(options.Seed);
        var socialGenerated = generator.Generate(options.GeneratedSocial, families.Where(f => f != "note").ToHashSet());
        var strictGenerated = generator.Generate(options.GeneratedStrict, families);

        var social = Enumerable.Repeat(options.SocialPosts, options.LabelledRepeats).SelectMany(p => p).Select(FromLabelled).Concat(socialGenerated.Select(g => new TrainingExample(g.Post, g.Social))).ToList();
        var strict = Enumerable.Repeat(options.StrictPosts, options.LabelledRepeats).SelectMany(p => p).Select(FromLabelled).Concat(strictGenerated.Select(g => new TrainingExample(g.Post, g.Strict))).ToList();
        log?.WriteLine($"social: {options.SocialPosts.Count} labelled + {socialGenerated.Count} generated; strict: {options.StrictPosts.Count} labelled + {strictGenerated.Count} generated");
        var socialModel = Trainer.Train(social, Profile.Social, options.Epochs, options.Seed, log);
        var strictModel = Trainer.Train(strict, Profile.Strict, options.Epochs, options.Seed + 1, log);
        return new ScreeningModel(socialModel, strictModel);
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
