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
        "  Scores the screener against labelled posts (dev-posts JSON lines or a presidio JSON array).";

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

        var screener = new Screener(rules);
        if (plainText is not null)
        {
            var text = plainText.Count > 0 ? string.Join(' ', plainText) : stdin.ReadToEnd();
            stdout.WriteLine(PostJson.Write("text", screener.Screen(new Post(text, AccountKind.Enterprise), profile)));
            return 0;
        }

        var number = 0;
        while (stdin.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            stdout.WriteLine(PostJson.TryRead(line, out var id, out var post, out var error)
                ? PostJson.Write(id, screener.Screen(post!, profile))
                : PostJson.WriteError(number, error!));
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
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
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

        string content;
        try
        {
            content = file == "-" ? stdin.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"rounds eval: cannot read {file}: {e.Message}");
            return 2;
        }

        List<LabelledPost> posts;
        try
        {
            posts = LabelledData.Read(content);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"rounds eval: {file}: {e.Message}");
            return 2;
        }

        var report = Evaluator.Run(new Screener(rules), posts, profile, details ? stdout : null);
        report.Print(stdout, file, profile);
        return 0;
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
