using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rounds.Screening.Rules;

/// <summary>
/// Reads and writes the rule-set JSON. Parsing walks the document by hand so that every problem is reported at
/// once with its path, rather than stopping at the first like a deserializer would.
/// </summary>
internal static class RuleSetJson
{
    private static readonly string[] AllowKeys = ["names", "phones", "emails", "urls", "addresses"];
    private static readonly string[] OrganizationKeys = ["names", "handles"];

    public static RuleSetParseResult Parse(string json)
    {
        var errors = new List<RuleSetError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return new RuleSetParseResult(null, [new RuleSetError("$", $"Not valid JSON: {e.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new RuleSetParseResult(null, [new RuleSetError("$", "A rule set must be a JSON object.")]);
            }

            var rules = new Dictionary<string, RuleSettings>(StringComparer.Ordinal);
            AllowList allow = AllowList.Empty;
            OrganizationInfo organization = OrganizationInfo.Empty;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "version":
                        if (property.Value.ValueKind != JsonValueKind.Number || property.Value.GetDouble() != 1)
                        {
                            errors.Add(new("$.version", "The only supported version is 1."));
                        }

                        break;
                    case "rules":
                        ReadRules(property.Value, rules, errors);
                        break;
                    case "allow":
                        var lists = ReadLists(property.Value, "$.allow", AllowKeys, errors);
                        allow = new AllowList(lists["names"], lists["phones"], lists["emails"], lists["urls"], lists["addresses"]);
                        break;
                    case "organization":
                        var org = ReadLists(property.Value, "$.organization", OrganizationKeys, errors);
                        organization = new OrganizationInfo(org["names"], org["handles"]);
                        break;
                    default:
                        errors.Add(new($"$.{property.Name}", "Unknown property; expected version, rules, allow or organization."));
                        break;
                }
            }

            var entries = rules.Values.Sum(r => r.Terms?.Count ?? 0)
                + new[] { allow.Names, allow.Phones, allow.Emails, allow.Urls, allow.Addresses, organization.Names, organization.Handles }.Sum(l => l?.Count ?? 0);
            if (entries > RuleSet.MaxEntries)
            {
                errors.Add(new("$", $"A rule set holds at most {RuleSet.MaxEntries:N0} entries in all its lists and terms together; this one has {entries:N0}."));
            }

            return errors.Count > 0
                ? new RuleSetParseResult(null, errors)
                : new RuleSetParseResult(new RuleSet(rules, allow, organization), []);
        }
    }

    public static string Write(RuleSet ruleSet)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, ruleSet);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, RuleSet ruleSet)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", 1);
        writer.WriteStartObject("rules");
        foreach (var (id, settings) in ruleSet.Rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(id);
            writer.WriteBoolean("enabled", settings.Enabled);
            if (settings.Severity is { } severity)
            {
                writer.WriteString("severity", SeverityName(severity));
            }

            if (settings.Terms is { Count: > 0 } terms)
            {
                WriteList(writer, "terms", terms);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("allow");
        WriteList(writer, "names", ruleSet.Allow.Names);
        WriteList(writer, "phones", ruleSet.Allow.Phones);
        WriteList(writer, "emails", ruleSet.Allow.Emails);
        WriteList(writer, "urls", ruleSet.Allow.Urls);
        WriteList(writer, "addresses", ruleSet.Allow.Addresses);
        writer.WriteEndObject();
        writer.WriteStartObject("organization");
        WriteList(writer, "names", ruleSet.Organization.Names);
        WriteList(writer, "handles", ruleSet.Organization.Handles);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
    };

    private static void ReadRules(JsonElement element, Dictionary<string, RuleSettings> rules, List<RuleSetError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$.rules", "Must be an object mapping rule ids to settings."));
            return;
        }

        foreach (var rule in element.EnumerateObject())
        {
            var path = $"$.rules['{rule.Name}']";
            var info = RuleCatalog.Find(rule.Name);
            if (info is null)
            {
                errors.Add(new(path, $"Unknown rule; known rules are {string.Join(", ", RuleCatalog.All.Select(r => r.Id))}."));
                continue;
            }

            if (rule.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "Must be an object with enabled, severity and terms."));
                continue;
            }

            var enabled = true;
            Severity? severity = null;
            IReadOnlyList<string>? terms = null;
            foreach (var setting in rule.Value.EnumerateObject())
            {
                var settingPath = $"{path}.{setting.Name}";
                switch (setting.Name)
                {
                    case "enabled":
                        if (setting.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            enabled = setting.Value.GetBoolean();
                        }
                        else
                        {
                            errors.Add(new(settingPath, "Must be true or false."));
                        }

                        break;
                    case "severity":
                        severity = setting.Value.ValueKind == JsonValueKind.String ? ParseSeverity(setting.Value.GetString()) : null;
                        if (severity is null)
                        {
                            errors.Add(new(settingPath, "Must be \"low\", \"medium\" or \"high\"."));
                        }

                        break;
                    case "terms":
                        if (!RuleCatalog.TakesTerms(info))
                        {
                            errors.Add(new(settingPath, "Only policy rules and phi.location take extra terms."));
                        }

                        terms = ReadList(setting.Value, settingPath, errors);
                        break;
                    default:
                        errors.Add(new(settingPath, "Unknown setting; expected enabled, severity or terms."));
                        break;
                }
            }

            rules[rule.Name] = new RuleSettings(enabled, severity, terms);
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadLists(
        JsonElement element, string path, string[] keys, List<RuleSetError> errors)
    {
        var lists = keys.ToDictionary(k => k, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"Must be an object with the lists {string.Join(", ", keys)}."));
            return lists;
        }

        foreach (var property in element.EnumerateObject())
        {
            var listPath = $"{path}.{property.Name}";
            if (!lists.ContainsKey(property.Name))
            {
                errors.Add(new(listPath, $"Unknown list; expected {string.Join(", ", keys)}."));
                continue;
            }

            lists[property.Name] = ReadList(property.Value, listPath, errors);
        }

        return lists;
    }

    private static List<string> ReadList(JsonElement element, string path, List<RuleSetError> errors)
    {
        var list = new List<string>();
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, "Must be an array of strings."));
            return list;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : "";
            if (text.Length == 0)
            {
                errors.Add(new($"{path}[{index}]", "Must be a non-empty string."));
            }
            else if (text.Length > RuleSet.MaxEntryLength)
            {
                errors.Add(new($"{path}[{index}]", $"At most {RuleSet.MaxEntryLength} characters; this entry has {text.Length:N0}."));
            }
            else if (text.Any(char.IsControl))
            {
                errors.Add(new($"{path}[{index}]", "Must not contain control characters."));
            }
            else
            {
                list.Add(text);
            }

            index++;
        }

        return list;
    }

    private static Severity? ParseSeverity(string? value) => value switch
    {
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        _ => null,
    };

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items ?? [])
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Lets System.Text.Json (de)serialise a <see cref="RuleSet"/> with the same validation as <see cref="RuleSet.Parse"/>.</summary>
public sealed class RuleSetJsonConverter : JsonConverter<RuleSet>
{
    public override RuleSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var result = RuleSetJson.Parse(document.RootElement.GetRawText());
        return result.RuleSet ?? throw new JsonException(string.Join("; ", result.Errors));
    }

    public override void Write(Utf8JsonWriter writer, RuleSet value, JsonSerializerOptions options) =>
        RuleSetJson.Write(writer, value);
}
