using System.Buffers;
using System.Text;
using System.Text.Json;
using Rounds.Screening.Rules;

namespace Rounds.Screening.CommandLine;

/// <summary>Reads posts from JSON lines and writes screening results as JSON lines, in the CLI's wire format.</summary>
public static class PostJson
{
    // Messages quote the post, so keep emoji and apostrophes readable instead of \u-escaped.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses one input line. <paramref name="error"/> says what is wrong when it returns false.</summary>
    public static bool TryRead(string line, out string? id, out Post? post, out string? error)
    {
        id = null;
        post = null;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "Each line must be a JSON object.";
                return false;
            }

            if (root.TryGetProperty("id", out var idElement))
            {
                id = idElement.ValueKind switch
                {
                    JsonValueKind.String => idElement.GetString(),
                    JsonValueKind.Number => idElement.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new FormatException("\"id\" must be a string or a number."),
                };
            }

            if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                error = "\"text\" is missing or not a string.";
                return false;
            }

            var kind = AccountKind.Enterprise;
            if (root.TryGetProperty("account", out var account) && account.ValueKind != JsonValueKind.Null)
            {
                var kindElement = account;
                if (account.ValueKind == JsonValueKind.Object && !account.TryGetProperty("kind", out kindElement))
                {
                    error = "\"account\" has no \"kind\".";
                    return false;
                }

                if (kindElement.ValueKind != JsonValueKind.String || !TryParseKind(kindElement.GetString(), out kind))
                {
                    error = "\"account.kind\" must be one of enterprise, department, program, personal, branded.";
                    return false;
                }
            }

            string? bio = null;
            if (root.TryGetProperty("bio", out var bioElement) && bioElement.ValueKind != JsonValueKind.Null)
            {
                if (bioElement.ValueKind != JsonValueKind.String)
                {
                    error = "\"bio\" must be a string.";
                    return false;
                }

                bio = bioElement.GetString();
            }

            post = new Post(textElement.GetString()!, kind, bio);
            return true;
        }
        catch (JsonException e)
        {
            error = $"Not valid JSON: {e.Message}";
            return false;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    public static bool TryParseKind(string? value, out AccountKind kind)
    {
        (var ok, kind) = value?.Trim().ToLowerInvariant() switch
        {
            "enterprise" => (true, AccountKind.Enterprise),
            "department" => (true, AccountKind.Department),
            "program" => (true, AccountKind.Program),
            "personal" => (true, AccountKind.Personal),
            "branded" => (true, AccountKind.Branded),
            _ => (false, AccountKind.Enterprise),
        };
        return ok;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static string Write(string? id, ScreeningResult result)
    {
        // One buffer and writer per thread, reset per post: a fresh stream per post grew, copied and dropped a
        // buffer for every line of output, a third of what the command allocated.
        ArgumentNullException.ThrowIfNull(result);
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            if (id is null)
            {
                writer.WriteNull("id");
            }
            else
            {
                writer.WriteString("id", id);
            }

            writer.WriteString("verdict", Name(result.Verdict));
            writer.WriteStartArray("findings");
            foreach (var finding in result.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("category", finding.Category == Category.Phi ? "phi" : "policy");
                writer.WriteString("type", finding.Type);
                WriteOffset(writer, "start", finding.Start);
                WriteOffset(writer, "end", finding.End);
                writer.WriteString("severity", RuleSetJson.SeverityName(finding.Severity));
                writer.WriteString("rule", finding.Rule);
                writer.WriteString("message", finding.Message);
                writer.WriteString("suggestion", finding.Suggestion);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
        }
        catch
        {
            // A writer left part-way through an object would refuse the next post's; start afresh.
            _writer = null;
            throw;
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string WriteError(int line, string error)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", line);
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Name(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Review => "review",
        Verdict.Block => "block",
    };

    private static void WriteOffset(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
