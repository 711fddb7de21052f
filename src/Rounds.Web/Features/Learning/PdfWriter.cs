using System.Globalization;
using System.Text;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// A one-page PDF 1.4 writer for certificates: text in the standard Helvetica fonts (which every reader has, so
/// nothing is embedded), lines and rectangles. Text is encoded as WinAnsi; characters outside it print as '?'.
/// </summary>
public sealed class PdfWriter(double width, double height)
{
    // Advance widths in 1/1000 em of the printable ASCII characters (32–126) from the Adobe font metrics.
    private static readonly int[] HelveticaWidths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];

    private static readonly int[] HelveticaBoldWidths =
    [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ];

    private static readonly Encoding WinAnsi = Encoding.Latin1;

    private readonly StringBuilder content = new();

    public static double TextWidth(string text, double size, bool bold)
    {
        var widths = bold ? HelveticaBoldWidths : HelveticaWidths;
        // Latin-1 letters beyond ASCII are about as wide as an average lower-case letter.
        return text.Sum(c => c is >= ' ' and <= '~' ? widths[c - ' '] : 556) * size / 1000;
    }

    public void Text(double x, double y, string text, double size, bool bold = false, double gray = 0)
    {
        content.Append(CultureInfo.InvariantCulture, $"BT /{(bold ? "F2" : "F1")} {N(size)} Tf {N(gray)} g {N(x)} {N(y)} Td ({Escape(text)}) Tj ET\n");
    }

    public void CenteredText(double y, string text, double size, bool bold = false, double gray = 0) =>
        Text((width - TextWidth(text, size, bold)) / 2, y, text, size, bold, gray);

    /// <summary>Centered lines of at most <paramref name="maxWidth"/>, broken between words; returns the y below them.</summary>
    public double CenteredParagraph(double y, string text, double size, double maxWidth, double leading, double gray = 0)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && TextWidth(candidate, size, false) > maxWidth)
            {
                CenteredText(y, line.ToString(), size, false, gray);
                y -= leading;
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }

        if (line.Length > 0)
        {
            CenteredText(y, line.ToString(), size, false, gray);
            y -= leading;
        }

        return y;
    }

    public void Rectangle(double x, double y, double w, double h, double lineWidth, double red, double green, double blue) =>
        content.Append(CultureInfo.InvariantCulture, $"{N(lineWidth)} w {N(red)} {N(green)} {N(blue)} RG {N(x)} {N(y)} {N(w)} {N(h)} re S\n");

    public void Line(double x1, double y1, double x2, double y2, double lineWidth, double gray) =>
        content.Append(CultureInfo.InvariantCulture, $"{N(lineWidth)} w {N(gray)} G {N(x1)} {N(y1)} m {N(x2)} {N(y2)} l S\n");

    public byte[] ToBytes(string title)
    {
        var stream = WinAnsi.GetBytes(content.ToString());
        var objects = new List<byte[]>
        {
            Ascii("<< /Type /Catalog /Pages 2 0 R >>"),
            Ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Ascii($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {N(width)} {N(height)}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"),
            Ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
            Ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"),
            Join(Ascii($"<< /Length {stream.Length} >>\nstream\n"), stream, Ascii("\nendstream")),
            Join(Ascii("<< /Title ("), WinAnsi.GetBytes(Escape(title)), Ascii(") /Producer (Rounds) >>")),
        };

        using var output = new MemoryStream();
        // The binary comment line tells transfer tools that the file is not plain text.
        Write(output, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write(output, $"{i + 1} 0 obj\n");
            output.Write(objects[i]);
            Write(output, "\nendobj\n");
        }

        var xref = output.Position;
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        Write(output, table.ToString());
        return output.ToArray();
    }

    private static byte[] Ascii(string text) => WinAnsi.GetBytes(text);

    private static byte[] Join(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static void Write(Stream output, string text) => output.Write(WinAnsi.GetBytes(text));

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '(' or ')' or '\\' => "\\" + c,
                '\u2122' => "\\231",
                '\u2013' => "\\226",
                '\u2014' => "\\227",
                '\u2019' => "'",
                _ when c is < ' ' or > '\u00ff' => "?",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
