using System.Text.Json;
using Rounds.Screening.CommandLine;

namespace Rounds.Screening.Tests;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(Func<string[], TextReader, TextWriter, TextWriter, int> command, string input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = command(args, new StringReader(input), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void ScreenWritesOneLinePerInputInOrder()
    {
        const string input = """
            {"id":"a","text":"Mr. Dabrowski in dialysis chair 11 again","account":{"kind":"personal"}}
            {"id":"b","text":"Clean hands stop germs.","account":{"kind":"department"},"bio":"Infection Prevention"}
            {"id":"c","text":"First snow!","account":"personal","bio":"Flight nurse | Kestrel Point Health"}
            """;

        var (code, output, _) = Run(ScreeningCli.Screen, input);

        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal(["a", "b", "c"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(["block", "pass", "review"], lines.Select(l => l.GetProperty("verdict").GetString()));
        var name = lines[0].GetProperty("findings")[0];
        Assert.Equal("phi", name.GetProperty("category").GetString());
        Assert.Equal("NAME", name.GetProperty("type").GetString());
        Assert.Equal(4, name.GetProperty("start").GetInt32());
        Assert.Equal(13, name.GetProperty("end").GetInt32());
        Assert.Equal("high", name.GetProperty("severity").GetString());
        Assert.Equal("phi.name", name.GetProperty("rule").GetString());
        Assert.False(string.IsNullOrEmpty(name.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(name.GetProperty("suggestion").GetString()));
        var disclaimer = lines[2].GetProperty("findings")[0];
        Assert.Equal("DISCLAIMER_MISSING", disclaimer.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, disclaimer.GetProperty("start").ValueKind);
    }

    /// <summary>Gives <paramref name="lines"/> lines, then fails as a broken pipe or a vanished file would.</summary>
    private sealed class FailingReader(int lines) : TextReader
    {
        private int given;

        public override string? ReadLine() =>
            given < lines ? $"{{\"id\":\"p{given++}\",\"text\":\"Mr. Okafor in bed 4 says hi\"}}" : throw new IOException("the input went away");
    }

    [Fact]
    public void AnInputThatFailsMidwayKeepsTheResultsAlreadyScreened()
    {
        // 600 lines: the first batch of 512 is screened and buffered before the read of line 601 fails.
        using var output = new MemoryStream();
        var stderr = new StringWriter();

        var code = ScreeningCli.ScreenBuffered([], new FailingReader(600), output, stderr);

        Assert.Equal(1, code);
        Assert.Contains("screening stopped: the input went away", stderr.ToString(), StringComparison.Ordinal);
        var lines = Lines(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(Enumerable.Range(0, 512).Select(i => $"p{i}"), lines.Select(l => l.GetProperty("id").GetString()));
        Assert.All(lines, l => Assert.Equal("block", l.GetProperty("verdict").GetString()));
    }

    [Fact]
    public void BufferedResultsAreTheSameBytesAsTheWritersOwn()
    {
        var input = string.Join('\n', Enumerable.Range(0, 700).Select(i => $"{{\"id\":\"p{i}\",\"text\":\"Ms. Ng, rm {i % 40}: día {i} ✓\"}}"));
        using var output = new MemoryStream();

        var code = ScreeningCli.ScreenBuffered([], new StringReader(input), output, new StringWriter());

        Assert.Equal(0, code);
        var (_, expected, _) = Run(ScreeningCli.Screen, input);
        Assert.Equal(expected.ReplaceLineEndings("\n"), System.Text.Encoding.UTF8.GetString(output.ToArray()).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void PostsScreenedAcrossCoresComeOutInInputOrder()
    {
        // More lines than one batch, with blank and malformed lines between, so that order and line numbers cross batches.
        var input = string.Join('\n', Enumerable.Range(0, 1200).Select(i => i % 97 == 5 ? "" : i % 101 == 7 ? "{broken" : $"{{\"id\":\"p{i}\",\"text\":\"Mr. Okafor in bed {i % 30} says hi\"}}"));

        var (code, output, _) = Run(ScreeningCli.Screen, input);

        Assert.Equal(0, code);
        var expected = Enumerable.Range(0, 1200).Where(i => i % 97 != 5).Select(i => i % 101 == 7 ? $"line {i + 1}" : $"p{i}");
        var actual = Lines(output).Select(l => l.TryGetProperty("line", out var line) ? $"line {line.GetInt32()}" : l.GetProperty("id").GetString());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MalformedLinesReportTheirNumberAndTheRestGoesOn()
    {
        const string input = "{\"id\":\"a\",\"text\":\"hi\"}\n{not json\n{\"id\":\"c\"}\n{\"id\":\"d\",\"text\":\"ok\",\"account\":{\"kind\":\"robot\"}}\n{\"id\":\"e\",\"text\":\"bye\"}\n";

        var (code, output, _) = Run(ScreeningCli.Screen, input);

        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal(5, lines.Count);
        Assert.Equal("a", lines[0].GetProperty("id").GetString());
        Assert.Equal(2, lines[1].GetProperty("line").GetInt32());
        Assert.Equal(3, lines[2].GetProperty("line").GetInt32());
        Assert.Equal(4, lines[3].GetProperty("line").GetInt32());
        Assert.Contains("kind", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("e", lines[4].GetProperty("id").GetString());
    }

    [Fact]
    public void TextModeScreensArgumentsOrStdinAsOnePost()
    {
        var fromArgs = Lines(Run(ScreeningCli.Screen, "", "--text", "Her", "SSN", "is", "219-09-9999").Out);
        var fromStdin = Lines(Run(ScreeningCli.Screen, "Her SSN is\n219-09-9999", "--text").Out);

        Assert.Equal("block", Assert.Single(fromArgs).GetProperty("verdict").GetString());
        Assert.Equal("block", Assert.Single(fromStdin).GetProperty("verdict").GetString());
    }

    [Fact]
    public void TheStrictProfileIsSelectable()
    {
        const string input = "{\"id\":\"s\",\"text\":\"Shoutout to supervisor Dominic Ferraro!\",\"account\":{\"kind\":\"department\"}}";

        Assert.Equal("pass", Lines(Run(ScreeningCli.Screen, input).Out)[0].GetProperty("verdict").GetString());
        Assert.Equal("block", Lines(Run(ScreeningCli.Screen, input, "--profile", "strict").Out)[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public void RulesFileIsApplied()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"rules\":{\"policy.promotion\":{\"enabled\":false}}}");
            const string input = "{\"id\":\"p\",\"text\":\"Botox 30% off, book now!\",\"account\":{\"kind\":\"department\"}}";

            Assert.Equal("review", Lines(Run(ScreeningCli.Screen, input).Out)[0].GetProperty("verdict").GetString());
            Assert.Equal("pass", Lines(Run(ScreeningCli.Screen, input, "--rules", path).Out)[0].GetProperty("verdict").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--profile", "lenient")]
    [InlineData("--profile")]
    [InlineData("--bogus")]
    [InlineData("--rules", "/no/such/file.json")]
    public void UsageErrorsExitWithTwo(params string[] args)
    {
        var (code, output, error) = Run(ScreeningCli.Screen, "", args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void AnInvalidRulesFileNamesTheProblem()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"rules\":{\"policy.x\":{}}}");
            var (code, _, error) = Run(ScreeningCli.Screen, "", "--rules", path);

            Assert.Equal(2, code);
            Assert.Contains("$.rules['policy.x']", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EvalScoresDevFormatFromStdin()
    {
        const string input = """
            {"id":"1","account":"personal","text":"MRN 7730184 again","phi":[{"type":"MRN","start":4,"end":11,"text":"7730184"}],"policy":["PATIENT_STORY"],"verdict":"block"}
            {"id":"2","account":"enterprise","text":"Wash your hands.","phi":[],"policy":[],"verdict":"pass"}
            """;

        var (code, output, _) = Run(ScreeningCli.Eval, input, "-");

        Assert.Equal(0, code);
        Assert.Contains("PHI spans (overlap, any type): recall 1.000 (1/1)  precision 1.000 (1/1)", output, StringComparison.Ordinal);
        Assert.Contains("PHI posts that got pass: 0 of 1", output, StringComparison.Ordinal);
        Assert.Contains("Policy micro-F1: 1.000", output, StringComparison.Ordinal);
        Assert.Contains("Verdict accuracy: 1.000 (2/2)", output, StringComparison.Ordinal);
        Assert.Contains("MRN", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalScoresThePresidioFormatAndIgnoresUnscoredTypes()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                [{"full_text":"His social security number is 531-21-7351","spans":[{"entity_type":"US_SSN","entity_value":"531-21-7351","start_position":30,"end_position":41}]},
                 {"full_text":"I work for Geoscape","spans":[{"entity_type":"ORGANIZATION","entity_value":"Geoscape","start_position":11,"end_position":19}]}]
                """);
            var (code, output, _) = Run(ScreeningCli.Eval, "", path, "--profile", "strict");

            Assert.Equal(0, code);
            Assert.Contains("recall 1.000 (1/1)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Policy micro-F1", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData]
    [InlineData("a.json", "b.json")]
    [InlineData("/no/such/file.jsonl")]
    public void EvalUsageErrorsExitWithTwo(params string[] args)
    {
        var (code, _, error) = Run(ScreeningCli.Eval, "", args);

        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void EvalTrainsAHeldOutModelOnAGeneratedFamily()
    {
        var (code, output, _) = Run(ScreeningCli.Eval, "", "generated:nurse", "--hold-family", "nurse", "--seed", "3");

        Assert.Equal(0, code);
        Assert.Contains("trained a fresh model", output, StringComparison.Ordinal);
        Assert.Contains("without nurse", output, StringComparison.Ordinal);
        Assert.Contains("PHI spans (overlap, any type): recall", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generated:nope")]
    [InlineData("x.jsonl", "--hold-family", "nope")]
    [InlineData("x.jsonl", "--recall-bias", "lots")]
    [InlineData("x.jsonl", "--seed", "soon")]
    public void EvalRejectsUnknownFamiliesAndBadNumbers(params string[] args)
    {
        var (code, _, error) = Run(ScreeningCli.Eval, "", args);

        Assert.Equal(2, code);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void TrainingNeedsTheDataFolder()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(2, ScreeningCli.Train([], output, error));
        Assert.Contains("--data DIR", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, ScreeningCli.Train(["--data", Path.Combine(Path.GetTempPath(), "no-such-screening-data")], output, error));
    }
}
