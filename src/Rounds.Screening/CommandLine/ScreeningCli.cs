using System.Diagnostics;
using System.Text;
using Rounds.Screening.Data;
using Rounds.Screening.Learning;
using Rounds.Screening.Rules;

namespace Rounds.Screening.CommandLine;

/// <summary>
/// The <c>rounds screen</c> and <c>rounds eval</c> commands. The host passes the arguments after the sub-command
/// word. Exit codes: 0 ok, 2 usage error (explained on stderr).
/// </summary>
public static class ScreeningCli
{
    public const string ScreenUsage =
        "usage: rounds screen [--profile social|strict] [--rules FILE] [--text [TEXT...]]\n" +
        "  Reads JSON lines {\"id\",\"text\",\"account\":{\"kind\"},\"bio\"} on stdin and writes one result line per input.\n" +
        "  --text screens TEXT (or all of stdin) as one plain-text post.";

    public const string EvalUsage =
        "usage: rounds eval FILE [--profile social|strict] [--rules FILE] [--details]\n" +
        "                  [--train-on POSTS]... [--strict-train PRESIDIO] [--hold-family F]... [--seed N] [--bags N]\n" +
        "                  [--recall-bias B] [--log]\n" +
        "  Scores the screener against labelled posts (dev-posts JSON lines or a presidio JSON array).\n" +
        "  With --train-on, --strict-train or --hold-family it first trains a fresh model on those files plus generated\n" +
        "  posts (without the held-out generator families) instead of using the shipped one: a held-out score.\n" +
        "  FILE may be generated:FAMILY to score 400 generated posts of one template family. --recall-bias B reports\n" +
        "  model spans up to B typical margins below 'outside' in both profiles, instead of the model's own bias\n" +
        "  (social: chosen by cross-validation on its training posts; strict: 0.2): higher finds more and flags more.\n" +
        "  --bags N averages N social labellers, each trained on its own draw of generated posts (default 3).\n" +
        "  --log prints the training log first, with the cross-validated recall and precision at every recall bias.";

    public const string TrainUsage =
        "usage: rounds screen-train --data DIR [--out FILE] [--seed N]\n" +
        "  Trains both profiles' models on DIR/dev-posts.jsonl and DIR/dev-posts-2.jsonl (social),\n" +
        "  DIR/presidio-generated-large.json (strict) and generated posts and notes; chooses the social recall bias\n" +
        "  by 5-fold cross-validation on the labelled posts; writes the model file.";

    private const int BatchSize = 512;

    /// <summary>
    /// <see cref="Screen"/> writing UTF-8 to <paramref name="output"/> through a buffer of its own: a console writer
    /// flushes every line, a system call or three per post on the one thread that writes while the others wait. An
    /// error that stops the run (input that cannot be read, or any other) ends it with the results of the posts already
    /// screened written out, then the error, and exit code 1: the buffer is flushed before the error is reported.
    /// </summary>
    public static int ScreenBuffered(string[] args, TextReader stdin, Stream output, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var stdout = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        try
        {
            return Screen(args, stdin, stdout, stderr);
        }
        catch (Exception error)
        {
            stdout.Flush();
            stderr.WriteLine($"screening stopped: {error.Message}");
            return 1;
        }
        finally
        {
            stdout.Dispose();
        }
    }

    public static int Screen(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var profile = Profile.Social;
        RuleSet? rules = null;
        List<string>? plainText = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (plainText is not null)
            {
                plainText.Add(args[i]);
                continue;
            }

            switch (args[i])
            {
                case "--profile":
                    if (!TryProfile(args, ref i, out profile, stderr))
                    {
                        return Usage(stderr, ScreenUsage);
                    }

                    break;
                case "--rules":
                    if (!TryRules(args, ref i, out rules, stderr))
                    {
                        return 2;
                    }

                    break;
                case "--text":
                    plainText = [];
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(ScreenUsage);
                    return 0;
                default:
                    stderr.WriteLine($"rounds screen: unknown argument '{args[i]}'.");
                    return Usage(stderr, ScreenUsage);
            }
        }

        // Start-up is mostly loading the name lists and the model: both start at once, while the input is read.
        var namesLoading = Task.Run(() => NameData.Shared);
        var modelLoading = Task.Run(() => ScreeningModel.Default?.For(profile));
        var screener = new Screener(rules);
        if (plainText is not null)
        {
            var text = plainText.Count > 0 ? string.Join(' ', plainText) : stdin.ReadToEnd();
            Task.WaitAll(namesLoading, modelLoading);
            stdout.WriteLine(PostJson.Write("text", screener.Screen(new Post(text, AccountKind.Enterprise), profile)));
            return 0;
        }

        // Posts are screened in batches across the cores; each batch is written in input order.
        var number = 0;
        var batch = new List<(int Number, string Line)>(BatchSize);
        var results = new string?[BatchSize];
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && stdin.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    batch.Add((number, line));
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            Task.WaitAll(namesLoading, modelLoading);
            Parallel.For(0, batch.Count, k =>
            {
                var (lineNumber, line) = batch[k];
                results[k] = PostJson.TryRead(line, out var id, out var post, out var error)
                    ? PostJson.Write(id, screener.Screen(post!, profile))
                    : PostJson.WriteError(lineNumber, error!);
            });
            for (var k = 0; k < batch.Count; k++)
            {
                stdout.WriteLine(results[k]);
            }
        }

        return 0;
    }

    public static int Eval(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var profile = Profile.Social;
        RuleSet? rules = null;
        string? file = null;
        var details = false;
        var log = false;
        var bags = new TrainingOptions().SocialBags;
        var trainOn = new List<string>();
        string? strictTrain = null;
        var heldOut = new HashSet<string>(StringComparer.Ordinal);
        var seed = new TrainingOptions().Seed;
        float? recallBias = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--recall-bias" when i + 1 < args.Length:
                    if (!float.TryParse(args[++i], System.Globalization.CultureInfo.InvariantCulture, out var bias))
                    {
                        stderr.WriteLine("rounds eval: --recall-bias needs a number.");
                        return 2;
                    }

                    recallBias = bias;
                    break;
                case "--bags" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], out bags) || bags < 1)
                    {
                        stderr.WriteLine("rounds eval: --bags needs a whole number of at least 1.");
                        return 2;
                    }

                    break;
                case "--train-on" or "--strict-train" or "--hold-family" or "--seed" when i + 1 < args.Length:
                    var value = args[++i];
                    switch (args[i - 1])
                    {
                        case "--train-on":
                            trainOn.Add(value);
                            break;
                        case "--strict-train":
                            strictTrain = value;
                            break;
                        case "--hold-family":
                            if (!TrainingGenerator.Families.Contains(value))
                            {
                                stderr.WriteLine($"rounds eval: unknown family '{value}'; families: {string.Join(", ", TrainingGenerator.Families)}.");
                                return 2;
                            }

                            heldOut.Add(value);
                            break;
                        default:
                            if (!int.TryParse(value, out seed))
                            {
                                stderr.WriteLine("rounds eval: --seed needs a whole number.");
                                return 2;
                            }

                            break;
                    }

                    break;
                case "--profile":
                    if (!TryProfile(args, ref i, out profile, stderr))
                    {
                        return Usage(stderr, EvalUsage);
                    }

                    break;
                case "--rules":
                    if (!TryRules(args, ref i, out rules, stderr))
                    {
                        return 2;
                    }

                    break;
                case "--log":
                    log = true;
                    break;
                case "--details":
                    details = true;
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(EvalUsage);
                    return 0;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || file is not null)
                    {
                        stderr.WriteLine($"rounds eval: unexpected argument '{args[i]}'.");
                        return Usage(stderr, EvalUsage);
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null)
        {
            stderr.WriteLine("rounds eval: no FILE given.");
            return Usage(stderr, EvalUsage);
        }

        List<LabelledPost>? posts;
        if (file.StartsWith("generated:", StringComparison.Ordinal))
        {
            var family = file["generated:".Length..];
            if (!TrainingGenerator.Families.Contains(family))
            {
                stderr.WriteLine($"rounds eval: unknown family '{family}'; families: {string.Join(", ", TrainingGenerator.Families)}.");
                return 2;
            }

            // A seed far from any training seed, so that the scored posts are not the trained ones.
            posts = ModelTraining.GeneratedForScoring(new HashSet<string> { family }, profile, 400, seed ^ 0x5EED);
        }
        else if ((posts = ReadLabelled(file, file == "-" ? stdin : null, stderr, "rounds eval")) is null)
        {
            return 2;
        }

        var screener = new Screener(rules);
        ScreeningModel? trained = null;
        if (trainOn.Count > 0 || strictTrain is not null || heldOut.Count > 0)
        {
            var social = new List<LabelledPost>();
            foreach (var path in trainOn)
            {
                var read = ReadLabelled(path, null, stderr, "rounds eval");
                if (read is null)
                {
                    return 2;
                }

                social.AddRange(read);
            }

            var strict = strictTrain is null ? [] : ReadLabelled(strictTrain, null, stderr, "rounds eval");
            if (strict is null)
            {
                return 2;
            }

            var clock = Stopwatch.StartNew();
            var model = trained = ModelTraining.Train(new TrainingOptions { SocialPosts = social, StrictPosts = strict, HeldOutFamilies = heldOut, Seed = seed, SocialBags = bags }, log ? stdout : null);
            stdout.WriteLine($"trained a fresh model in {clock.Elapsed.TotalSeconds:0.0} s on {string.Join(", ", trainOn.Append(strictTrain ?? "").Where(p => p.Length > 0).Select(Path.GetFileName))} + generated{(heldOut.Count > 0 ? $" without {string.Join(", ", heldOut)}" : "")}{(social.Count >= ModelTraining.CrossValidationFolds ? $"; social recall bias {model.RecallBias:0.00}, cross-validated on the training posts" : "")}");
            screener = new Screener(rules, model);
        }

        if (recallBias is { } b)
        {
            var model = trained ?? ScreeningModel.Default;
            if (model is null)
            {
                stderr.WriteLine("rounds eval: --recall-bias needs a model; run ./rounds screen-train first.");
                return 2;
            }

            screener = new Screener(rules, model.WithRecallBias(b));
        }

        var report = Evaluator.Run(screener, posts, profile, details ? stdout : null);
        report.Print(stdout, file, profile);
        return 0;
    }

    /// <summary>The <c>rounds screen-train</c> command: trains on the shared data and writes the model file.</summary>
    public static int Train(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? data = null;
        var output = Path.Combine("src", "Rounds.Screening", "Model", "screening-model.bin.gz");
        var seed = new TrainingOptions().Seed;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out seed):
                    i++;
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(TrainUsage);
                    return 0;
                default:
                    stderr.WriteLine($"rounds screen-train: unexpected argument '{args[i]}'.");
                    return Usage(stderr, TrainUsage);
            }
        }

        if (data is null)
        {
            return Usage(stderr, TrainUsage);
        }

        var social = new List<LabelledPost>();
        foreach (var name in new[] { "dev-posts.jsonl", "dev-posts-2.jsonl" })
        {
            var read = ReadLabelled(Path.Combine(data, name), null, stderr, "rounds screen-train");
            if (read is null)
            {
                return 2;
            }

            social.AddRange(read);
        }

        var strict = ReadLabelled(Path.Combine(data, "presidio-generated-large.json"), null, stderr, "rounds screen-train");
        if (strict is null)
        {
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var model = ModelTraining.Train(new TrainingOptions { SocialPosts = social, StrictPosts = strict, Seed = seed }, stdout);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        using (var file = File.Create(output))
        {
            model.Save(file);
        }

        stdout.WriteLine($"trained in {clock.Elapsed.TotalSeconds:0.0} s: social {model.Social.FeatureCount} features, strict {model.Strict.FeatureCount}; wrote {output} ({new FileInfo(output).Length / 1024} KiB)");
        return 0;
    }

    private static List<LabelledPost>? ReadLabelled(string path, TextReader? stdin, TextWriter stderr, string command)
    {
        string content;
        try
        {
            content = stdin is not null ? stdin.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{command}: cannot read {path}: {e.Message}");
            return null;
        }

        try
        {
            return LabelledData.Read(content);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"{command}: {path}: {e.Message}");
            return null;
        }
    }

    private static bool TryProfile(string[] args, ref int i, out Profile profile, TextWriter stderr)
    {
        profile = Profile.Social;
        if (i + 1 >= args.Length)
        {
            stderr.WriteLine("--profile needs a value: social or strict.");
            return false;
        }

        switch (args[++i])
        {
            case "social":
                profile = Profile.Social;
                return true;
            case "strict":
                profile = Profile.Strict;
                return true;
            default:
                stderr.WriteLine($"Unknown profile '{args[i]}'; use social or strict.");
                return false;
        }
    }

    private static bool TryRules(string[] args, ref int i, out RuleSet? rules, TextWriter stderr)
    {
        rules = null;
        if (i + 1 >= args.Length)
        {
            stderr.WriteLine("--rules needs a FILE.");
            return false;
        }

        var path = args[++i];
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Cannot read rule set {path}: {e.Message}");
            return false;
        }

        var result = RuleSet.Parse(json);
        if (!result.IsValid)
        {
            stderr.WriteLine($"Invalid rule set {path}:");
            foreach (var error in result.Errors)
            {
                stderr.WriteLine($"  {error}");
            }

            return false;
        }

        rules = result.RuleSet;
        return true;
    }

    private static int Usage(TextWriter stderr, string usage)
    {
        stderr.WriteLine(usage);
        return 2;
    }
}
