using System.Text;
using System.Text.Json;
using Rounds.Screening.CommandLine;

namespace Rounds.Screening.Tests;

/// <summary>Locates the shared screening data and reads the tests' own labelled posts.</summary>
internal static class TestData
{
    /// <summary>The shared data folder sits beside the repository clone (<c>../shared/data/screening</c>).</summary>
    public static string SharedScreening(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rounds.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, "Cannot find the repository root (Rounds.slnx) above the test binaries.");
        var path = Path.Combine(dir!.Parent!.FullName, "shared", "data", "screening", file);
        Assert.True(File.Exists(path), $"Shared screening data is missing: {path}");
        return path;
    }

    /// <summary>
    /// Reads posts written like dev-posts.src.jsonl: PHI marked inline as <c>{{TYPE|text}}</c>, turned here into
    /// UTF-16 offsets, so that the tests' examples stay readable.
    /// </summary>
    public static List<LabelledPost> ReadMarkup(string file)
    {
        var lines = new StringBuilder();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", file)))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var source = root.GetProperty("text").GetString()!;
            var text = new StringBuilder();
            var spans = new List<object>();
            var i = 0;
            while (i < source.Length)
            {
                var open = source.IndexOf("{{", i, StringComparison.Ordinal);
                if (open < 0)
                {
                    text.Append(source, i, source.Length - i);
                    break;
                }

                text.Append(source, i, open - i);
                var bar = source.IndexOf('|', open);
                var close = source.IndexOf("}}", bar, StringComparison.Ordinal);
                var type = source[(open + 2)..bar];
                var surface = source[(bar + 1)..close];
                spans.Add(new { type, start = text.Length, end = text.Length + surface.Length, text = surface });
                text.Append(surface);
                i = close + 2;
            }

            var converted = new Dictionary<string, object?>
            {
                ["id"] = root.GetProperty("id").GetString(),
                ["account"] = root.GetProperty("account").GetString(),
                ["bio"] = root.TryGetProperty("bio", out var bio) ? bio.GetString() : null,
                ["text"] = text.ToString(),
                ["phi"] = spans,
                ["policy"] = root.GetProperty("policy").EnumerateArray().Select(p => p.GetString()).ToArray(),
                ["verdict"] = root.GetProperty("verdict").GetString(),
            };
            lines.AppendLine(JsonSerializer.Serialize(converted));
        }

        return LabelledData.Read(lines.ToString());
    }
}
