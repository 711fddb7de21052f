using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// Writes every CSV file Rounds hands out. Exports are opened in spreadsheets, which run a cell that starts with
/// <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> as a formula (and treat a leading tab or carriage return the same once
/// trimmed), so such a cell is written with a leading apostrophe: the spreadsheet then shows it as text.
/// </summary>
public static class CsvExport
{
    /// <summary>The characters that make a spreadsheet read a cell as a formula when they start it.</summary>
    public static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    private const char Escape = '\'';

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        NewLine = "\r\n",
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = FormulaStarts,
        InjectionEscapeCharacter = Escape,

        // CsvHelper quotes a field holding the configured line end (CRLF) but not a lone LF or CR, which then
        // splits the record when the file is read back; any line break must be quoted.
        ShouldQuote = args => args.Field is { } field && (field.Contains('"') || field.Contains(',') || field.Contains('\n') || field.Contains('\r') || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '))),
    };

    /// <summary>The header and rows as CSV text (RFC 4180, CRLF line ends, quoted where needed).</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Configuration))
        {
            foreach (var row in rows.Prepend(header))
            {
                foreach (var field in row)
                {
                    csv.WriteField(field);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A cell as it was before <see cref="Write"/> neutralized it, so that an exported file imports back unchanged
    /// (a handle exported as <c>'@name</c> reads as <c>@name</c>).
    /// </summary>
    public static string Unescape(string cell) =>
        cell.Length > 1 && cell[0] == Escape && FormulaStarts.Contains(cell[1]) ? cell[1..] : cell;
}
