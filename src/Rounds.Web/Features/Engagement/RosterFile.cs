using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Rounds.Web.Features.Engagement;

/// <summary>One row of a roster file with the line (CSV) or row (XLSX) it came from, for the preview.</summary>
public sealed record RosterRecord(int Line, string[] Fields);

/// <summary>
/// Reads a roster as exported by HR or credentialing systems: CSV (any of comma, semicolon or tab, with or
/// without a byte-order mark) or an XLSX workbook's first sheet. Both come out as rows of text, so one analysis
/// serves both and the preview of a workbook can be sent back as CSV for the import to write what was shown.
/// </summary>
public static class RosterFile
{
    public const int MaxBytes = 20 * 1024 * 1024;

    public static bool IsWorkbook(ReadOnlySpan<byte> content) =>
        content.Length >= 4 && content[0] == (byte)'P' && content[1] == (byte)'K' && content[2] == 3 && content[3] == 4;

    /// <summary>The records of the file, or null with a reason when it cannot be read at all.</summary>
    public static (List<RosterRecord>? Records, string? Problem) Read(byte[] content)
    {
        if (content.Length == 0)
        {
            return (null, "The file is empty.");
        }

        if (content.Length > MaxBytes)
        {
            return (null, $"A roster file has at most {MaxBytes / 1024 / 1024} MB.");
        }

        return IsWorkbook(content) ? ReadWorkbook(content) : (ReadCsv(System.Text.Encoding.UTF8.GetString(content).TrimStart('\uFEFF')), null);
    }

    public static List<RosterRecord> ReadCsv(string text)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
        };
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, configuration);
        var records = new List<RosterRecord>();
        while (parser.Read())
        {
            var fields = parser.Record ?? [];
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            // The row on which the record starts, so a quoted line break does not shift later line numbers.
            records.Add(new RosterRecord(parser.RawRow - CountLineBreaks(parser.RawRecord) + EndsWithBreak(parser.RawRecord), fields));
        }

        return records;
    }

    private static int CountLineBreaks(string raw) => raw.Count(c => c == '\n');

    private static int EndsWithBreak(string raw) => raw.EndsWith('\n') ? 1 : 0;

    private static (List<RosterRecord>?, string?) ReadWorkbook(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            var records = new List<RosterRecord>();
            var row = 0;
            foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: false, excelType: MiniExcelLibs.ExcelType.XLSX))
            {
                row++;
                var fields = cells.Values.Select(Cell).ToArray();
                if (!fields.All(string.IsNullOrWhiteSpace))
                {
                    records.Add(new RosterRecord(row, fields));
                }
            }

            return (records, null);
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            return (null, "The workbook cannot be read; save it again as XLSX or CSV.");
        }
    }

    /// <summary>
    /// A cell as text: dates as ISO dates, and numbers without a decimal point or exponent, since an NPI typed
    /// into a spreadsheet is stored as a number.
    /// </summary>
    private static string Cell(object? value) => value switch
    {
        null => "",
        DateTime d => DateOnly.FromDateTime(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double n when n == Math.Floor(n) && Math.Abs(n) < 1e15 => ((long)n).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
