using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rounds.Screening.Rules;

namespace Rounds.Web.Features.Screening;

/// <summary>One rule as the form shows it: the severity as the JSON spells it, empty for the rule's default.</summary>
public sealed record RuleRow(RuleInfo Rule, bool Enabled, string Severity, string Terms);

/// <summary>
/// A rule set as the rules form edits it: a row per rule of the catalog and every list as text, one entry a line.
/// The form is turned into the rule-set JSON and goes through the same validation and save as an imported file, so
/// the two editors cannot disagree about what a valid rule set is; the errors are then put beside the field they name.
/// </summary>
public sealed partial class RuleSetForm
{
    /// <summary>The form's lists, named by their place in the JSON, which is also the field's name in the form.</summary>
    public static IReadOnlyList<(string Field, string Label)> Lists { get; } =
    [
        ("allow.names", "Staff and other names"),
        ("allow.phones", "Phone and fax numbers"),
        ("allow.emails", "Email addresses"),
        ("allow.urls", "Web addresses"),
        ("allow.addresses", "Street addresses"),
        ("organization.names", "Names the organization goes by"),
        ("organization.handles", "Handles the organization posts from"),
    ];

    /// <summary>The key of errors that belong to no single field (the entry count of the whole set).</summary>
    public const string WholeSet = "";

    private RuleSetForm(IReadOnlyList<RuleRow> rules, IReadOnlyDictionary<string, string> lists)
    {
        Rules = rules;
        ListText = lists;
    }

    public IReadOnlyList<RuleRow> Rules { get; }

    public IReadOnlyDictionary<string, string> ListText { get; }

    public static string EnabledField(RuleInfo rule) => "enabled:" + rule.Id;

    public static string SeverityField(RuleInfo rule) => "severity:" + rule.Id;

    public static string TermsField(RuleInfo rule) => "terms:" + rule.Id;

    /// <summary>An element id for a form field: rule ids hold dots, which CSS selectors would read as classes.</summary>
    public static string IdOf(string field) => "f-" + field.Replace(':', '-').Replace('.', '-');

    public static RuleSetForm From(RuleSet set)
    {
        var rules = RuleCatalog.All
            .Select(r => set.Rules.TryGetValue(r.Id, out var s)
                ? new RuleRow(r, s.Enabled, s.Severity is { } severity ? ScreeningNames.Of(severity) : "", Lines(s.Terms))
                : new RuleRow(r, true, "", ""))
            .ToList();
        var lists = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["allow.names"] = Lines(set.Allow.Names),
            ["allow.phones"] = Lines(set.Allow.Phones),
            ["allow.emails"] = Lines(set.Allow.Emails),
            ["allow.urls"] = Lines(set.Allow.Urls),
            ["allow.addresses"] = Lines(set.Allow.Addresses),
            ["organization.names"] = Lines(set.Organization.Names),
            ["organization.handles"] = Lines(set.Organization.Handles),
        };
        return new RuleSetForm(rules, lists);
    }

    /// <summary>
    /// Reads a posted form. An unchecked box is not posted, so a rule is off when its box is missing; a severity is
    /// kept as posted so that validation, not the reading, refuses one that is not a choice.
    /// </summary>
    public static RuleSetForm Read(IFormCollection form) =>
        new(
            RuleCatalog.All.Select(rule => new RuleRow(
                rule,
                form.ContainsKey(EnabledField(rule)),
                form[SeverityField(rule)].ToString(),
                RuleCatalog.TakesTerms(rule) ? form[TermsField(rule)].ToString() : "")).ToList(),
            Lists.ToDictionary(l => l.Field, l => form[l.Field].ToString(), StringComparer.Ordinal));

    /// <summary>
    /// The rule-set JSON of the form. Rules left as they are by default are not written, so saving the form does
    /// not pin today's defaults; blank lines are not entries.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteStartObject("rules");
            foreach (var row in Rules)
            {
                var terms = Entries(row.Terms).Select(e => e.Text).ToList();
                if (row.Enabled && row.Severity.Length == 0 && terms.Count == 0)
                {
                    continue;
                }

                writer.WriteStartObject(row.Rule.Id);
                writer.WriteBoolean("enabled", row.Enabled);
                if (row.Severity.Length > 0)
                {
                    writer.WriteString("severity", row.Severity);
                }

                if (terms.Count > 0)
                {
                    WriteList(writer, "terms", terms);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            foreach (var group in new[] { "allow", "organization" })
            {
                writer.WriteStartObject(group);
                foreach (var (field, _) in Lists.Where(l => l.Field.StartsWith(group + ".", StringComparison.Ordinal)))
                {
                    WriteList(writer, field[(group.Length + 1)..], Entries(ListText[field]).Select(e => e.Text));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The validation errors of the form's JSON by the form field they concern; an error about one entry of a list
    /// names its line, counted as the person sees the box.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> ErrorsByField(IEnumerable<RuleSetError> errors)
    {
        var byField = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            var match = PathPattern().Match(error.Path);
            string field;
            string? text = null;
            if (!match.Success)
            {
                field = WholeSet;
            }
            else if (match.Groups["rule"].Success)
            {
                var setting = match.Groups["setting"].Value;
                field = setting switch
                {
                    "severity" => "severity:" + match.Groups["rule"].Value,
                    "enabled" => "enabled:" + match.Groups["rule"].Value,
                    _ => "terms:" + match.Groups["rule"].Value,
                };
                text = setting == "terms" ? Rules.FirstOrDefault(r => r.Rule.Id == match.Groups["rule"].Value)?.Terms : null;
            }
            else
            {
                field = match.Groups["group"].Value + "." + match.Groups["list"].Value;
                text = ListText.GetValueOrDefault(field);
            }

            var message = error.Message;
            if (match.Success && match.Groups["index"].Success && text is not null
                && Entries(text).ElementAtOrDefault(int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)) is { Line: > 0 } entry)
            {
                message = $"Line {entry.Line}: {message}";
            }

            (byField.TryGetValue(field, out var list) ? list : byField[field] = []).Add(message);
        }

        return byField.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static string Lines(IReadOnlyList<string>? items) => string.Join('\n', items ?? []);

    /// <summary>The entries of a list box with their line numbers (from 1); blank lines are skipped.</summary>
    private static IEnumerable<(string Text, int Line)> Entries(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select((line, index) => (Text: line.Trim(), Line: index + 1))
            .Where(e => e.Text.Length > 0);

    private static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    [GeneratedRegex(@"^\$\.(?:rules\['(?<rule>[^']+)'\]\.(?<setting>enabled|severity|terms)|(?<group>allow|organization)\.(?<list>\w+))(?:\[(?<index>\d+)\])?$")]
    private static partial Regex PathPattern();
}
