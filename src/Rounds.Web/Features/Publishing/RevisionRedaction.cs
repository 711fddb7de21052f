using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rounds.Screening;
using Rounds.Web.Features.Screening;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// One stretch of a revision's text that screening flagged as patient data. <see cref="Key"/> names the text as
/// in <see cref="RevisionTexts"/> ("" for the post, else an account id); <see cref="Start"/> and <see cref="End"/>
/// are offsets into the text as first saved, so they stay comparable with <see cref="PostRevision.OriginalTextHash"/>
/// after the words themselves are gone.
/// </summary>
public sealed record RevisionFinding(string Key, string Category, string Type, string Rule, int Start, int End, bool Redacted = false);

/// <summary>A flagged stretch as it sits in the stored (perhaps already partly redacted) text.</summary>
public sealed record FlaggedSpan(int Start, int End, string Type, bool Redacted, IReadOnlyList<RevisionFinding> Findings);

/// <summary>What stands where a removed detail was: it says what kind of detail, never which.</summary>
public static class PhiPlaceholders
{
    public static string For(string type) => $"[{Label(type)} removed]";

    private static string Label(string type) => type switch
    {
        "NAME" => "patient name",
        "AGE" => "age",
        "DATE" => "date",
        "LOCATION" => "location",
        "PHONE" => "phone number",
        "FAX" => "fax number",
        "EMAIL" => "email address",
        "URL" => "link",
        "IP" => "IP address",
        "SSN" => "social security number",
        "MRN" => "record number",
        "HEALTH_PLAN" => "health plan number",
        "ACCOUNT" => "account number",
        "LICENSE" => "license number",
        "VEHICLE" => "vehicle identifier",
        "DEVICE" => "device identifier",
        "PHOTO" => "photo reference",
        "ID" => "identifier",
        _ => "patient detail",
    };
}

/// <summary>
/// Replaces flagged patient details in revision texts by placeholders. Pure: the caller decides which
/// details are still flagged in the post's newest revision, and those stay, because the people fixing the
/// post still see them there.
/// </summary>
public static class RevisionRedaction
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<RevisionFinding> ParseFindings(string json) =>
        JsonSerializer.Deserialize<List<RevisionFinding>>(json, Json) ?? [];

    public static string SerializeFindings(IEnumerable<RevisionFinding> findings) => JsonSerializer.Serialize(findings, Json);

    /// <summary>The patient-data findings of one text that point at a stretch of it; the rest cannot be redacted.</summary>
    public static IEnumerable<RevisionFinding> FromScreening(string key, string text, ScreeningResult result) =>
        result.Findings
            .Where(f => f.Category == Category.Phi && f.Start is { } s && f.End is { } e && s >= 0 && e <= text.Length && s < e)
            .Select(f => new RevisionFinding(key, ScreeningNames.Of(f.Category), f.Type, f.Rule, f.Start!.Value, f.End!.Value));

    public static string Hash(string texts) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(texts)));

    /// <summary>
    /// The flagged stretches of one text where they sit now. Overlapping findings make one stretch (redacted as a
    /// unit); each stretch already redacted is as long as its placeholder, which shifts the ones after it.
    /// </summary>
    public static IReadOnlyList<FlaggedSpan> Spans(string text, IEnumerable<RevisionFinding> findingsOfText)
    {
        var groups = new List<List<RevisionFinding>>();
        var groupEnd = -1;
        foreach (var finding in findingsOfText.OrderBy(f => f.Start).ThenBy(f => f.End))
        {
            if (groups.Count > 0 && finding.Start < groupEnd)
            {
                groups[^1].Add(finding);
                groupEnd = Math.Max(groupEnd, finding.End);
            }
            else
            {
                groups.Add([finding]);
                groupEnd = finding.End;
            }
        }

        var spans = new List<FlaggedSpan>();
        var shift = 0;
        foreach (var group in groups)
        {
            var (start, end) = (group.Min(f => f.Start), group.Max(f => f.End));
            // A name is the detail a reader most needs told about when several findings cover one stretch.
            var type = group.FirstOrDefault(f => f.Type == "NAME")?.Type ?? group[0].Type;
            var redacted = group.Any(f => f.Redacted);
            var length = redacted ? PhiPlaceholders.For(type).Length : end - start;
            var at = start + shift;
            if (at < 0 || at + length > text.Length)
            {
                // Findings that no longer fit the text (changed by hand) point at nothing trustworthy.
                break;
            }

            spans.Add(new FlaggedSpan(at, at + length, type, redacted, group));
            shift += length - (end - start);
        }

        return spans;
    }

    /// <summary>The words of each flagged stretch not yet redacted, with the kind of detail they are.</summary>
    public static IEnumerable<(string Words, string Type)> FlaggedDetails(IReadOnlyDictionary<string, string> texts, IReadOnlyList<RevisionFinding> findings) =>
        texts.SelectMany(t => Spans(t.Value, findings.Where(f => f.Key == t.Key)).Where(s => !s.Redacted).Select(s => (t.Value[s.Start..s.End], s.Type)));

    public static string Normalize(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    /// <summary>
    /// Replaces every flagged stretch whose words are not in <paramref name="stillFlagged"/> (normalized) by its
    /// placeholder. Returns the new texts, the findings with the redacted ones marked, and the stretches removed
    /// with their words, so the caller can clear the same words from notes that quoted them.
    /// </summary>
    public static Redaction Redact(IReadOnlyDictionary<string, string> texts, IReadOnlyList<RevisionFinding> findings, IReadOnlySet<string> stillFlagged)
    {
        var newTexts = new Dictionary<string, string>();
        var redactedFindings = new HashSet<RevisionFinding>();
        var removed = new List<RemovedDetail>();
        foreach (var (key, text) in texts)
        {
            var result = new StringBuilder();
            var at = 0;
            foreach (var span in Spans(text, findings.Where(f => f.Key == key)))
            {
                var words = text[span.Start..span.End];
                if (span.Redacted || stillFlagged.Contains(Normalize(words)))
                {
                    continue;
                }

                result.Append(text, at, span.Start - at).Append(PhiPlaceholders.For(span.Type));
                at = span.End;
                redactedFindings.UnionWith(span.Findings);
                removed.Add(new RemovedDetail(span.Type, span.Findings.Select(f => f.Category).First(), words));
            }

            newTexts[key] = result.Append(text, at, text.Length - at).ToString();
        }

        return new Redaction(
            newTexts,
            findings.Select(f => redactedFindings.Contains(f) ? f with { Redacted = true } : f).ToList(),
            removed);
    }

    /// <summary>
    /// Masks the given words wherever they stand in a free text such as a reviewer's note, whole words only
    /// and regardless of case, longest first so a full name goes before a part of it.
    /// </summary>
    public static string MaskWords(string text, IEnumerable<(string Words, string Type)> details)
    {
        foreach (var (words, type) in details.Where(d => d.Words.Trim().Length > 0).DistinctBy(d => Normalize(d.Words)).OrderByDescending(d => d.Words.Length))
        {
            var pattern = @"(?<!\w)" + string.Join(@"\s+", words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape)) + @"(?!\w)";
            text = Regex.Replace(text, pattern, PhiPlaceholders.For(type),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        return text;
    }
}

public sealed record RemovedDetail(string Type, string Category, string Words);

public sealed record Redaction(IReadOnlyDictionary<string, string> Texts, IReadOnlyList<RevisionFinding> Findings, IReadOnlyList<RemovedDetail> Removed);
