using System.Globalization;
using System.Text;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Accounts;

/// <summary>
/// Reads the CSV that spreadsheets actually produce (a byte-order mark, <c>;</c> or tab separators in
/// European locales, quoted fields with commas and line breaks, blank lines, extra columns) and writes the
/// registry back out through the shared <see cref="CsvExport"/>. The reader is small and tolerant on purpose: it
/// guesses the separator and keeps line numbers for the preview, which a general CSV reader does not.
/// </summary>
public static class AccountCsv
{
    public static readonly string[] Columns = ["platform", "handle", "url", "kind", "department", "owners", "backup", "status"];

    /// <summary>Header spellings found in audit spreadsheets, mapped to our columns.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["platform"] = "platform", ["network"] = "platform", ["channel"] = "platform", ["site"] = "platform",
        ["handle"] = "handle", ["account"] = "handle", ["username"] = "handle", ["accountname"] = "handle", ["name"] = "handle",
        ["url"] = "url", ["link"] = "url", ["address"] = "url", ["profileurl"] = "url",
        ["kind"] = "kind", ["type"] = "kind", ["accounttype"] = "kind",
        ["department"] = "department", ["dept"] = "department", ["unit"] = "department",
        ["owners"] = "owners", ["owner"] = "owners", ["owneremail"] = "owners", ["owneremails"] = "owners", ["runby"] = "owners",
        ["backup"] = "backup", ["backupowner"] = "backup", ["backupemail"] = "backup", ["deputy"] = "backup",
        ["status"] = "status", ["state"] = "status",
    };

    /// <summary>The records of <paramref name="text"/> with the line on which each starts; blank lines are dropped.</summary>
    public static IEnumerable<(int Line, string[] Fields)> Parse(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var separator = DetectSeparator(text);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                i++;
                continue;
            }

            if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                if (fields.Any(f => f.Trim().Length > 0))
                {
                    yield return (recordLine, fields.ToArray());
                }

                fields.Clear();
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
            }

            i++;
        }

        fields.Add(field.ToString());
        if (fields.Any(f => f.Trim().Length > 0))
        {
            yield return (recordLine, fields.ToArray());
        }
    }

    /// <summary>For each of our columns, its position in the header, or -1 when the sheet lacks it.</summary>
    public static Dictionary<string, int> MapHeader(string[] header)
    {
        var map = Columns.ToDictionary(c => c, _ => -1);
        for (var i = 0; i < header.Length; i++)
        {
            var key = new string(header[i].Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
            if (Synonyms.TryGetValue(key, out var column) && map[column] < 0)
            {
                map[column] = i;
            }
        }

        return map;
    }

    public static string Export(IEnumerable<SocialAccount> accounts) => CsvExport.Write(
        Columns.Append("last_post_at"),
        accounts.Select(a => new[]
        {
            AccountNames.Key(a.Platform), a.Handle, a.Url ?? "", AccountNames.Key(a.Kind), a.Department, a.Owners, a.Backup, AccountNames.Key(a.Status),
            a.LastPostAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
        }));

    private static char DetectSeparator(string text)
    {
        var header = text.Split('\n', 2)[0];
        var counts = new[] { ',', ';', '\t' }.Select(s => (s, n: header.Count(c => c == s))).OrderByDescending(x => x.n).ToList();
        return counts[0].n > 0 ? counts[0].s : ',';
    }
}
