using System.Text.Json;

namespace Rounds.Screening.CommandLine;

/// <summary>A labelled span; offsets are UTF-16 units, end exclusive.</summary>
public sealed record GoldSpan(string Type, int Start, int End);

/// <summary>
/// One labelled post. <see cref="Unscored"/> holds spans that are neither hits nor misses (presidio's
/// ORGANIZATION, TITLE, NRP); <see cref="Policy"/> and <see cref="Verdict"/> are null when the data has none.
/// </summary>
public sealed record LabelledPost(
    string Id, Post Post, IReadOnlyList<GoldSpan> Phi, IReadOnlyList<GoldSpan> Unscored, IReadOnlySet<string>? Policy, Verdict? Verdict);

/// <summary>Reads the two labelled formats of the screening dev data, telling them apart by content.</summary>
public static class LabelledData
{
    private static readonly Dictionary<string, string?> PresidioTypes = new(StringComparer.Ordinal)
    {
        ["PERSON"] = "NAME", ["ADDRESS"] = "LOCATION", ["STREET_ADDRESS"] = "LOCATION", ["GPE"] = "LOCATION",
        ["LOCATION"] = "LOCATION", ["ZIP_CODE"] = "LOCATION", ["PHONE_NUMBER"] = "PHONE", ["EMAIL_ADDRESS"] = "EMAIL",
        ["US_SSN"] = "SSN", ["DATE_TIME"] = "DATE", ["AGE"] = "AGE", ["IP_ADDRESS"] = "IP", ["DOMAIN_NAME"] = "URL",
        ["CREDIT_CARD"] = "ACCOUNT", ["IBAN_CODE"] = "ACCOUNT", ["US_DRIVER_LICENSE"] = "LICENSE",
        ["ORGANIZATION"] = null, ["TITLE"] = null, ["NRP"] = null,
        // The large presidio file marks honorifics ("Mr.") as PREFIX; our spans leave honorifics out, so they are not scored.
        ["PREFIX"] = null,
    };

    /// <summary>A JSON array is the presidio format; anything else is read as dev-posts JSON lines.</summary>
    public static List<LabelledPost> Read(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var trimmed = content.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] == '[' ? ReadPresidio(content) : ReadLines(content);
    }

    private static List<LabelledPost> ReadLines(string content)
    {
        var posts = new List<LabelledPost>();
        var number = 0;
        foreach (var line in content.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!PostJson.TryRead(line, out var id, out var post, out var error))
            {
                throw new FormatException($"line {number}: {error}");
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var phi = new List<GoldSpan>();
            if (root.TryGetProperty("phi", out var spans) && spans.ValueKind == JsonValueKind.Array)
            {
                foreach (var span in spans.EnumerateArray())
                {
                    phi.Add(new GoldSpan(span.GetProperty("type").GetString()!, span.GetProperty("start").GetInt32(), span.GetProperty("end").GetInt32()));
                }
            }

            HashSet<string>? policy = null;
            if (root.TryGetProperty("policy", out var labels) && labels.ValueKind == JsonValueKind.Array)
            {
                policy = [.. labels.EnumerateArray().Select(l => l.GetString()!)];
            }

            Verdict? verdict = root.TryGetProperty("verdict", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString() switch
                {
                    "pass" => Verdict.Pass,
                    "review" => Verdict.Review,
                    "block" => Verdict.Block,
                    _ => throw new FormatException($"line {number}: unknown verdict '{v.GetString()}'."),
                }
                : null;
            posts.Add(new LabelledPost(id ?? $"line{number}", post!, phi, [], policy, verdict));
        }

        return posts;
    }

    private static List<LabelledPost> ReadPresidio(string content)
    {
        var posts = new List<LabelledPost>();
        try
        {
            using var document = JsonDocument.Parse(content);
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var text = item.GetProperty("full_text").GetString() ?? "";
                var phi = new List<GoldSpan>();
                var unscored = new List<GoldSpan>();
                if (item.TryGetProperty("spans", out var spans))
                {
                    foreach (var span in spans.EnumerateArray())
                    {
                        var entity = span.GetProperty("entity_type").GetString() ?? "";
                        var start = span.GetProperty("start_position").GetInt32();
                        var end = span.GetProperty("end_position").GetInt32();
                        if (!PresidioTypes.TryGetValue(entity, out var type))
                        {
                            throw new FormatException($"item {index}: unknown presidio entity type '{entity}'.");
                        }

                        (type is null ? unscored : phi).Add(new GoldSpan(type ?? entity, start, end));
                    }
                }

                posts.Add(new LabelledPost($"#{index}", new Post(text, AccountKind.Enterprise), phi, unscored, null, null));
                index++;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not a presidio JSON array: {e.Message}");
        }

        return posts;
    }
}
