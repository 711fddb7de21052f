using Rounds.Screening.CommandLine;
using Rounds.Screening.Detection;
using Rounds.Screening.Learning;
using Rounds.Screening.Rules;

namespace Rounds.Screening.Tests;

/// <summary>The training-data generator, the feature extractor and the model file.</summary>
public class LearningTests
{
    [Fact]
    public void GeneratedLabelsAreKnownTypesWithExactUtf16Offsets()
    {
        var posts = new TrainingGenerator(7).Generate(3000);

        Assert.Equal(3000, posts.Count);
        foreach (var post in posts)
        {
            var text = post.Post.Text;
            foreach (var profile in new[] { Profile.Social, Profile.Strict })
            {
                var spans = post.For(profile);
                foreach (var (type, start, end) in spans)
                {
                    Assert.True(Tags.IsKnown(type), $"unknown type {type}");
                    Assert.InRange(start, 0, end - 1);
                    Assert.InRange(end, start + 1, text.Length);
                    var surface = text[start..end];
                    Assert.Equal(surface.Trim(), surface);
                    Assert.False(char.IsLowSurrogate(text[start]), "a span starts inside a surrogate pair");
                    Assert.False(end < text.Length && char.IsLowSurrogate(text[end]), "a span ends inside a surrogate pair");
                }

                for (var k = 1; k < spans.Count; k++)
                {
                    Assert.True(spans[k - 1].End <= spans[k].Start, $"overlapping spans in '{text}'");
                }
            }

            // What is PHI in a public post is PHI in a clinical note too.
            Assert.All(post.Social, s => Assert.Contains(s, post.Strict));
        }
    }

    [Fact]
    public void TheGeneratorIsDeterministicPerSeedAndCoversEveryFamilyAndType()
    {
        var first = new TrainingGenerator(42).Generate(2000);
        var again = new TrainingGenerator(42).Generate(2000);
        var other = new TrainingGenerator(43).Generate(2000);

        Assert.Equal(first.Select(p => p.Post.Text), again.Select(p => p.Post.Text));
        Assert.NotEqual(first.Select(p => p.Post.Text), other.Select(p => p.Post.Text));
        Assert.Equal(TrainingGenerator.Families.OrderBy(f => f), first.Select(p => p.Family).Distinct().OrderBy(f => f));
        var types = first.SelectMany(p => p.Strict).Select(s => s.Type).ToHashSet();
        Assert.Equal(Tags.Names.Skip(1).OrderBy(t => t), types.OrderBy(t => t));
    }

    [Fact]
    public void TopicHashtagsAreWrittenAndNeverLabelledWhileANamesHashtagIs()
    {
        var posts = new TrainingGenerator(5).Generate(2000);
        var topic = new System.Text.RegularExpressions.Regex("#(?:Patient|Nurse|Heart|Cancer|Rural|Health)[A-Z][a-z]+");

        var tagged = posts.Where(p => topic.IsMatch(p.Post.Text)).ToList();
        Assert.True(tagged.Count > 30, $"{tagged.Count} posts with a topic hashtag");
        foreach (var post in tagged)
        {
            foreach (System.Text.RegularExpressions.Match m in topic.Matches(post.Post.Text))
            {
                Assert.DoesNotContain(post.Strict, s => s.Start < m.Index + m.Length && m.Index < s.End);
            }
        }

        Assert.Contains(posts, p => p.Social.Any(s => s.Type == "NAME" && s.Start > 0 && p.Post.Text[s.Start - 1] == '#'));
    }

    [Fact]
    public void AHeldOutFamilyIsNeverGenerated()
    {
        var families = TrainingGenerator.Families.Where(f => f != "note").ToHashSet();

        Assert.DoesNotContain(new TrainingGenerator(1).Generate(500, families), p => p.Family == "note");
    }

    [Fact]
    public void TheSocialDrawNeverMovesTheStrictModel()
    {
        static byte[] StrictOf(SocialDraw draw)
        {
            var options = new TrainingOptions { GeneratedSocial = 80, GeneratedStrict = 120, Epochs = 1, SocialBags = 1, SocialDraw = draw };
            var model = ModelTraining.Train(options);
            using var bytes = new MemoryStream();
            new ScreeningModel(model.Strict, model.Strict).Save(bytes);
            return bytes.ToArray();
        }

        var plain = new TrainingGenerator(20251204).Generate(80);
        var social = new TrainingGenerator(20251204, SocialDraw.Social).Generate(80);

        Assert.NotEqual(plain.Select(p => p.Post.Text), social.Select(p => p.Post.Text));
        Assert.Equal(StrictOf(SocialDraw.None), StrictOf(SocialDraw.Social));
    }

    [Theory]
    [InlineData("Consult for AKI today", 2, 2, "MRN", false)]
    [InlineData("Admitted with pneumonia overnight", 2, 2, "IP", false)]
    [InlineData("C spine cleared", 0, 2, "EMAIL", false)]
    [InlineData("Continue lisinopril 10 mg daily", 0, 4, "LOCATION", false)]
    [InlineData("SpO2 96 % RA", 1, 3, "LOCATION", false)]
    [InlineData("BP 142 over 88", 0, 1, "LOCATION", false)]
    [InlineData("HR: 104 on arrival", 2, 2, "DEVICE", false)]
    [InlineData("called 1 time", 1, 1, "PHONE", false)]
    [InlineData("a year-old scar", 1, 3, "AGE", false)]
    [InlineData("pain 3 / 10 today", 1, 1, "DATE", false)]
    [InlineData("Plan: continue diuresis", 0, 0, "NAME", false)]
    [InlineData("ROS: negative", 0, 0, "LOCATION", false)]
    [InlineData("call 478-555-0193 today", 1, 5, "PHONE", true)]
    [InlineData("a ninety-four year old", 1, 3, "AGE", true)]
    [InlineData("seen 3/4 in clinic", 1, 3, "DATE", true)]
    [InlineData("Dana: see you at 5", 0, 0, "NAME", true)]
    [InlineData("lives at 1234 CR 456 now", 2, 4, "LOCATION", true)]
    [InlineData("exit 5 Ft Myers", 1, 3, "LOCATION", true)]
    [InlineData("MARIA: I was diagnosed", 0, 0, "NAME", true)]
    [InlineData("Hope: I was diagnosed", 0, 0, "NAME", true)]
    [InlineData("DOB 03041985 on the band", 1, 1, "DATE", true)]
    [InlineData("a centenarian now", 1, 1, "AGE", true)]
    [InlineData("call 800 555 CARE", 1, 3, "PHONE", true)]
    [InlineData("MRN 7730184 on file", 1, 1, "MRN", true)]
    [InlineData("lives at 12 Oak St now", 2, 4, "LOCATION", true)]
    [InlineData("met Quinn Hollis today", 1, 2, "NAME", true)]
    [InlineData("chair 11 today", 1, 1, "ID", true)]
    [InlineData("Lungs clear. Abd soft, no edema.", 6, 7, "LOCATION", false)]
    [InlineData("Seen by dr at bedside. Stable.", 2, 2, "NAME", false)]
    [InlineData("Attending: Dr Patel", 0, 3, "NAME", false)]
    [InlineData("Spoke with noah at bedside. Stable.", 2, 2, "NAME", true)]
    [InlineData("pt says noah visited", 2, 2, "NAME", true)]
    [InlineData("omg we moved here from millbrook", 5, 5, "LOCATION", true)]
    [InlineData("Abd soft, NT/ND. Plan: diuresis", 0, 5, "LOCATION", false)]
    [InlineData("Pt ambulated 50 ft with walker today", 5, 5, "NAME", false)]
    [InlineData("Neck supple, no JVD", 0, 0, "NAME", false)]
    [InlineData("HPI: 20yo M presents with CP", 2, 3, "NAME", false)]
    [InlineData("Pain 3/10. N/V resolved", 5, 7, "LOCATION", false)]
    [InlineData("SW notified of transfer", 0, 0, "LOCATION", false)]
    [InlineData("Pt is Mr. Walker, seen today", 4, 4, "NAME", true)]
    [InlineData("Seen with Walker at bedside", 2, 2, "NAME", true)]
    [InlineData("Ed stopped by the unit", 0, 0, "NAME", true)]
    [InlineData("Lives at 30 N Main", 2, 3, "LOCATION", true)]
    [InlineData("Neck and Colon Roofing", 0, 3, "LOCATION", true)]
    [InlineData("Moved to Dallas TX 75201", 3, 3, "LOCATION", true)]
    [InlineData("Taken to OR for repair", 2, 2, "LOCATION", false)]
    [InlineData("Accepting: Dr Lee at Timberhill Regional Medical Center", 5, 8, "LOCATION", false)]
    [InlineData("Transferred to Mount Orab General today", 2, 4, "LOCATION", false)]
    [InlineData("Transferred to Timber Cove Children's today", 2, 4, "LOCATION", false)]
    [InlineData("Lives in Timber Cove near the lake", 2, 3, "LOCATION", true)]
    [InlineData("He works at Hendricks General Store", 3, 5, "LOCATION", true)]
    [InlineData("Graduated from Westerville North High", 2, 4, "LOCATION", true)]
    [InlineData("Plan: start Senna 8 mg PO qHS", 3, 3, "NAME", false)]
    [InlineData("Senna 8 mg PO qHS", 0, 0, "NAME", false)]
    [InlineData("Foley in place, draining clear", 0, 0, "NAME", false)]
    [InlineData("Foley removed this AM", 0, 0, "NAME", false)]
    [InlineData("Seen with Foley at bedside", 2, 2, "NAME", true)]
    [InlineData("Spoke with Mr. Foley in person", 4, 4, "NAME", true)]
    [InlineData("Vitals: BP 142/88, HR 90", 3, 5, "LOCATION", false)]
    [InlineData("Labs: Na 134, K 3.2", 3, 6, "LOCATION", false)]
    [InlineData("Lines: PICC RUE", 0, 0, "NAME", false)]
    [InlineData("Started Walker on PT today", 1, 1, "NAME", true)]
    [InlineData("Walker removed from the transplant list", 0, 0, "NAME", true)]
    [InlineData("Gave Walker his meds", 1, 1, "NAME", true)]
    [InlineData("Walker's daughter called", 0, 0, "NAME", true)]
    [InlineData("Started Ed on heparin", 1, 1, "NAME", true)]
    [InlineData("so proud of brady today", 3, 3, "NAME", true)]
    public void ASpanMustHaveTheShapeOfItsType(string text, int first, int last, string type, bool expected)
    {
        using var ctx = new ScreeningContext(new Post(text, AccountKind.Enterprise), Profile.Strict, CompiledRuleSet.Default);

        Assert.Equal(expected, Labeller.HasShape(ctx, new PhiCandidate(first, last, type, "", Tie.Patient)));
    }

    /// <summary>
    /// The clinical vocabulary refuses a name or place only where a note speaks its own language: no name or place
    /// in any labelled file, posts or presidio sentences, is made only of its words.
    /// </summary>
    [Theory]
    [InlineData("dev-posts.jsonl")]
    [InlineData("dev-posts-2.jsonl")]
    [InlineData("presidio-generated-small.json")]
    [InlineData("presidio-generated-large.json")]
    public void NoLabelledNameOrPlaceIsMadeOfClinicalWords(string file)
    {
        var refused = new List<string>();
        var checkedSpans = 0;
        foreach (var post in LabelledData.Read(File.ReadAllText(TestData.SharedScreening(file))))
        {
            using var ctx = new ScreeningContext(post.Post, Profile.Strict, CompiledRuleSet.Default);
            // Presidio's sentences label a lone title as a person ("dr."); the labeller never reads a title alone as a name.
            foreach (var span in post.Phi.Where(s => s.Type is "NAME" or "LOCATION" && !IsTitle(post.Post.Text[s.Start..s.End])))
            {
                var first = -1;
                var last = -1;
                for (var k = 0; k < ctx.Text.Count; k++)
                {
                    if (ctx.Text[k].End > span.Start && ctx.Text[k].Start < span.End)
                    {
                        first = first < 0 ? k : first;
                        last = k;
                    }
                }

                checkedSpans++;
                if (first >= 0 && ClinicalVocabulary.Covers(ctx, new PhiCandidate(first, last, span.Type, "", Tie.Patient)))
                {
                    refused.Add($"{post.Id}: {post.Post.Text[span.Start..span.End]}");
                }
            }
        }

        Assert.True(checkedSpans > 10);
        Assert.Empty(refused);

        static bool IsTitle(string text) => text.TrimEnd('.').ToLowerInvariant() is "dr" or "mr" or "mrs" or "ms" or "prof";
    }

    [Theory]
    [InlineData("Attending: Dr Patel", 0, 3, "NAME", 2)]
    [InlineData("Contact: Rollin Miller (son)", 0, 3, "NAME", 2)]
    [InlineData("Lives in Sparta: near the lake", 2, 2, "LOCATION", 2)]
    [InlineData("Attending: Dr Patel", 0, 3, "MRN", 0)]
    public void ANameStartsAfterAFieldsLabel(string text, int first, int last, string type, int expected)
    {
        using var ctx = new ScreeningContext(new Post(text, AccountKind.Enterprise), Profile.Strict, CompiledRuleSet.Default);

        Assert.Equal(expected, Labeller.AfterLabel(ctx, new PhiCandidate(first, last, type, "", Tie.Patient)).First);
    }

    [Fact]
    public void FeaturesCarryTheRuleEvidenceAndTheNeighbours()
    {
        static ulong[] KeysOf(string text, int token, AccountKind kind = AccountKind.Department)
        {
            using var ctx = new ScreeningContext(new Post(text, kind), Profile.Social, CompiledRuleSet.Default);
            Screener.RunDetectors(ctx);
            var features = new FeatureExtractor(ctx, ProfileFilter.Apply(ctx));
            var keys = new ulong[FeatureExtractor.MaxFeatures];
            var n = features.Extract(token, keys);
            Assert.InRange(n, 10, FeatureExtractor.MaxFeatures);
            Assert.Equal(n, keys.Take(n).Distinct().Count());
            return keys[..n];
        }

        // Same token, different left neighbour ("Mr." against "Dr."): some features differ, most stay.
        var patient = KeysOf("Mr. Dabrowski in chair 11", 2);
        var staff = KeysOf("Dr. Dabrowski in chair 11", 2);
        Assert.NotEqual(patient.ToHashSet(), staff.ToHashSet());
        Assert.True(patient.Intersect(staff).Count() > patient.Length / 2);

        // Case is ignored in the word features but not in the shape ones.
        Assert.NotEqual(KeysOf("met Quinn today", 1).ToHashSet(), KeysOf("met quinn today", 1).ToHashSet());

        // The account kind is evidence.
        Assert.NotEqual(KeysOf("met Quinn today", 1, AccountKind.Personal).ToHashSet(), KeysOf("met Quinn today", 1, AccountKind.Enterprise).ToHashSet());
    }

    [Fact]
    public void TheEmbeddedModelLoadsAndRoundTrips()
    {
        var model = ScreeningModel.Default;

        Assert.NotNull(model);
        Assert.True(model.Social.FeatureCount > 1000);
        Assert.True(model.Strict.FeatureCount > 1000);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = ScreeningModel.Load(stream);
        Assert.Equal(model.Social.FeatureCount, loaded.Social.FeatureCount);
        Assert.Equal(model.Strict.Scale, loaded.Strict.Scale);
        Assert.Equal(model.RecallBias, loaded.RecallBias);
        foreach (var (before, after) in new[] { (model.Social, loaded.Social), (model.Strict, loaded.Strict) })
        {
            var weights = after.Features().ToDictionary(f => f.Key, f => f.Weights);
            Assert.All(before.Features(), f => Assert.Equal(f.Weights, weights[f.Key]));
        }

        // A file cut short inside its weights is refused, not read as zeros.
        using var cut = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(cut, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Decompressed(stream.ToArray()).AsSpan(0, 5_000));
        }

        cut.Position = 0;
        Assert.Throws<InvalidDataException>(() => ScreeningModel.Load(cut));

        // A model written by another version of the tag set is refused with a clear message, not misread.
        Assert.Throws<InvalidDataException>(() => ScreeningModel.Load(new MemoryStream([1, 2, 3, 4])));
    }

    private static byte[] Decompressed(byte[] gzipped)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(gzipped), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        var options = new TrainingOptions { GeneratedSocial = 200, GeneratedStrict = 200, LabelledRepeats = 1, Epochs = 2, Seed = 5 };

        var first = Save(ModelTraining.Train(options));
        var second = Save(ModelTraining.Train(options));

        Assert.Equal(first, second);

        static byte[] Save(ScreeningModel model)
        {
            using var stream = new MemoryStream();
            model.Save(stream);
            return stream.ToArray();
        }
    }

    /// <summary>
    /// The shipped social labeller is the mean of labellers trained on different generated draws; one model file must
    /// score every token exactly as the mean of their scores, including keys only one of them knows.
    /// </summary>
    [Fact]
    public void TheSocialLabellerIsTheMeanOfItsBags()
    {
        var padding = new float[Tags.Count - 2];
        var a = new SequenceModel([(11UL, [1f, 2f, .. padding]), (22UL, [4f, 0f, .. padding])], 1f);
        var b = new SequenceModel([(11UL, [3f, 0f, .. padding]), (33UL, [0f, 6f, .. padding])], 3f);

        var mean = SequenceModel.Average([a, b]);

        Assert.Equal(3, mean.FeatureCount);
        Assert.Equal(2f, mean.Scale);
        ulong[] keys = [11, 22, 33, 44];
        var scores = new float[mean.Stride];
        var sa = new float[a.Stride];
        var sb = new float[b.Stride];
        mean.Score(keys, scores);
        a.Score(keys, sa);
        b.Score(keys, sb);
        for (var t = 0; t < Tags.Count; t++)
        {
            Assert.Equal((sa[t] + sb[t]) / 2, scores[t], 5);
        }
    }

    /// <summary>
    /// Scoring skips keys that the model's small filter says it never learned; the filter must never skip a key the
    /// model knows, and a score must be the sum of exactly the known keys' rows, in the keys' order.
    /// </summary>
    [Fact]
    public void ScoringSumsTheRowsOfExactlyTheKnownKeys()
    {
        var random = new Random(3);
        var features = new List<(ulong Key, float[] Weights)>();
        for (var f = 0; f < 5000; f++)
        {
            // Rows with more or fewer zeros, as trained ones have: the model lays the fuller ones out first.
            var weights = new float[Tags.Count];
            for (var t = 0; t < weights.Length; t++)
            {
                weights[t] = t <= f % Tags.Count ? (float)random.NextDouble() - 0.5f : 0f;
            }

            features.Add((FeatureExtractor.Key(f % 40, (ulong)f), weights));
        }

        var model = new SequenceModel(features, 1f);
        var byKey = features.ToDictionary(f => f.Key, f => f.Weights);
        var scores = new float[model.Stride];
        for (var trial = 0; trial < 2000; trial++)
        {
            // Half the keys known, half not, in a random order.
            var keys = new ulong[30];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = k % 2 == 0 ? features[random.Next(features.Count)].Key : FeatureExtractor.Key(50, (ulong)random.Next());
            }

            model.Score(keys, scores);
            var expected = new float[Tags.Count];
            foreach (var key in keys)
            {
                if (byKey.TryGetValue(key, out var row))
                {
                    for (var t = 0; t < Tags.Count; t++)
                    {
                        expected[t] += row[t];
                    }
                }
            }

            for (var t = 0; t < Tags.Count; t++)
            {
                Assert.Equal(expected[t], scores[t]);
            }
        }
    }

    /// <summary>
    /// A key's weights are the row of the slot it took, so keys whose slot was taken, moved along (past the table's
    /// end too), must still be found with their own row, and a key never learned must add nothing.
    /// </summary>
    [Fact]
    public void ScoringFindsKeysMovedAlongByOthers()
    {
        // Twelve keys point to the same slot, the last of the table (32 slots for 12 keys), and take the slots after it.
        var features = new List<(ulong Key, float[] Weights)>();
        for (var f = 0; f < 12; f++)
        {
            var weights = new float[Tags.Count];
            weights[f % Tags.Count] = f + 1;
            weights[(f + 5) % Tags.Count] = -0.5f * f;
            features.Add((((ulong)(f + 1) << 40) | 31, weights));
        }

        var model = new SequenceModel(features, 1f);
        var scores = new float[model.Stride];
        foreach (var (key, weights) in features)
        {
            model.Score([key], scores);
            Assert.Equal(weights, scores[..Tags.Count]);
        }

        // Keys the model never learned: one pointing to the same slot, one to a slot inside the run of taken ones.
        model.Score([(13UL << 40) | 31, (14UL << 40) | 7], scores);
        Assert.All(scores[..Tags.Count], score => Assert.Equal(0f, score));
        Assert.Equal(features.Select(f => f.Key).Order(), model.Features().Select(f => f.Key).Order());
    }

    /// <summary>
    /// The best PHI tag is found with vector comparisons instead of a loop; it must be the loop's answer, the first of
    /// the greatest PHI scores, whatever "outside" and the padding after the tags hold, and for ties and signed zeros.
    /// </summary>
    [Fact]
    public void TheBestTagIsTheFirstOfTheGreatest()
    {
        var random = new Random(11);
        float[] values = [0f, -0f, 1f, -1f, 0.5f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 3.25f];
        var scores = new float[24];
        for (var trial = 0; trial < 200_000; trial++)
        {
            for (var t = 0; t < scores.Length; t++)
            {
                // Few distinct values in some trials, so that ties are common; any value in the others.
                scores[t] = trial % 3 == 0 ? values[random.Next(values.Length)] : (float)((random.NextDouble() - 0.5) * 100);
            }

            var plain = 1;
            for (var t = 2; t < Tags.Count; t++)
            {
                if (scores[t] > scores[plain])
                {
                    plain = t;
                }
            }

            Assert.Equal(plain, Labeller.BestPhiTag(scores));
        }

        // "Outside" and the padding are never chosen, however high.
        Array.Fill(scores, -1f);
        scores[Tags.Outside] = 100f;
        scores[Tags.Count] = 100f;
        scores[^1] = 100f;
        scores[7] = 0f;
        Assert.Equal(7, Labeller.BestPhiTag(scores));
    }

    /// <summary>The name-count buckets are the order of magnitude the features were trained with: 1 + ⌊log10⌋, at most 8.</summary>
    [Fact]
    public void CountBucketsAreTheOrderOfMagnitude()
    {
        var counts = new List<int> { int.MinValue, -1, 0, int.MaxValue };
        for (var count = 1; count <= 200_000; count++)
        {
            counts.Add(count);
        }

        for (var power = 10; power <= 1_000_000_000; power *= 10)
        {
            counts.AddRange([power - 1, power, power + 1]);
        }

        foreach (var count in counts)
        {
            var logarithm = count <= 0 ? 0UL : (ulong)Math.Min(8, 1 + (int)Math.Log10(count));
            Assert.Equal(logarithm, FeatureExtractor.Bucket(count));
        }
    }

    [Fact]
    public void TrainingAveragesTheConfiguredNumberOfBags()
    {
        var posts = LabelledData.Read(File.ReadAllText(TestData.SharedScreening("dev-posts.jsonl")));
        var one = new TrainingOptions { SocialPosts = posts, GeneratedSocial = 100, GeneratedStrict = 20, LabelledRepeats = 1, Epochs = 1, Seed = 5, SocialBags = 1 };
        var log = new StringWriter();

        var single = ModelTraining.Train(one);
        var bagged = ModelTraining.Train(one with { SocialBags = 3 }, log);

        // Each bag learns some keys the others never see, so the mean knows more keys than any one of them.
        Assert.True(bagged.Social.FeatureCount > single.Social.FeatureCount, $"{bagged.Social.FeatureCount} vs {single.Social.FeatureCount}");
        Assert.Equal(3, log.ToString().Split('\n').Count(l => l.Contains("social epoch 1:", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheRecallBiasIsChosenByCrossValidationOnTheTrainingPosts()
    {
        var posts = LabelledData.Read(File.ReadAllText(TestData.SharedScreening("dev-posts.jsonl")));
        var options = new TrainingOptions { SocialPosts = posts, GeneratedSocial = 200, GeneratedStrict = 50, LabelledRepeats = 2, Epochs = 2, Seed = 5 };
        var log = new StringWriter();

        var bias = ModelTraining.ChooseRecallBias(options, log);

        Assert.Contains(bias, ModelTraining.BiasGrid);
        Assert.Contains($"{ModelTraining.CrossValidationFolds}-fold cross-validation on the {posts.Count} labelled training posts", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(bias, ModelTraining.Train(options).RecallBias);
    }

    [Fact]
    public void AnUncertainSpanGoesToReviewWithItsConfidence()
    {
        var findings = new Screener().Screen(new Post("Our hospital is a 100-year-old building with new beds.", AccountKind.Personal)).Findings;

        Assert.All(findings.Where(f => f.Category == Category.Phi && f.Message.Contains("confidence", StringComparison.Ordinal)),
            f => Assert.Equal(Severity.Medium, f.Severity));
    }

    [Fact]
    public void ARuleSpanOnlyItsOwnPostVouchesForIsLeftOutWhenTheModelFirmlyDisagrees()
    {
        // A numbered room makes its own post "about a patient" to the rule filter; in an announcement of a class the
        // labeller rejects it firmly, and before the union respected that the post was blocked for "Room 318".
        const string text = "The diabetes education class meets Thursdays at 5pm starting Oct 2 in the Birch Room (3rd floor, Room 318). "
            + "Led by our dietitian Carla Nunes, RD. Free and open to all.";

        var result = new Screener().Screen(new Post(text, AccountKind.Program));

        Assert.DoesNotContain(result.Findings, f => f.Category == Category.Phi);
        Assert.Equal(Verdict.Pass, result.Verdict);
    }

    [Fact]
    public void ARuleSpanWithAPatientCueOfItsOwnStaysAFinding()
    {
        const string text = "Medics brought in Winifred (97) after a fall on the ice outside 14 Quarry Hill Rd, and she is already asking for her slippers.";

        var findings = new Screener().Screen(new Post(text, AccountKind.Department)).Findings;

        Assert.Contains(findings, f => f.Type == "LOCATION" && text[f.Start!.Value..f.End!.Value] == "14 Quarry Hill Rd" && f.Severity == Severity.High);
        Assert.Contains(findings, f => f.Type == "AGE");
    }

    [Fact]
    public void ANamedPatientsFindingSaysWhyItIsAPatients()
    {
        var finding = new Screener().Screen(new Post("Mr. Dabrowski in dialysis chair 11 brought pierogi again.", AccountKind.Department))
            .Findings.First(f => f.Type == "NAME");

        Assert.Contains("reads as a patient's", finding.Message, StringComparison.Ordinal);
    }
}
