using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Rounds.Web.Features.Learning.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>The leadership report as one US Letter page: the organization, the period, and two tables of figures.</summary>
public static class LeadershipReportPdf
{
    private const double Left = 40;
    private const double Right = 572;
    private const double Bottom = 752;
    private const double RowHeight = 12.5;

    // Unicode encoding embeds the glyphs that names and departments need, whatever their script.
    private static readonly XPdfFontOptions Embedded = new(PdfFontEncoding.Unicode);

    private static readonly string[] Headings = ["", "Physicians", "Confirmed\nprofile", "Active in\n90 days", "Posting\nvideo", "Mutual\nfollow", "Lacking a\ndisclaimer", "Confirmed\ntrend", "Active\ntrend"];

    // Right edges of the figure columns; the label column ends a little before the first of them.
    private static readonly double[] ColumnEnds = [150, 195, 257, 319, 381, 443, 488, 530, Right];

    public static byte[] Render(LeadershipReport report)
    {
        DocumentFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Physician engagement - {report.OrganizationName} - week of {LeadershipReport.Day(report.Week)}";
        document.Info.Creator = "Rounds";
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(612);
        page.Height = XUnit.FromPoint(792);
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var sheet = new Sheet(graphics);
            var y = 60.0;
            sheet.Text(report.OrganizationName, Left, y, sheet.Fit(report.OrganizationName, 18, Right - Left), bold: true);
            y += 22;
            sheet.Text("Physician engagement: leadership report", Left, y, 12);
            y += 18;
            sheet.Text($"Week of {LeadershipReport.Day(report.Week)}. Trends over {report.Weeks} {(report.Weeks == 1 ? "week" : "weeks")}, from the week of {LeadershipReport.Day(report.From)}.", Left, y, 9);
            y += 12;
            sheet.Text("Shares are of the roster physicians in each week's snapshot; a signal that could not be read counts as not shown.", Left, y, 8, gray: 0.35);
            y += 11;
            sheet.Text("Trends are the change in percentage points of the confirmed and active shares since the first week.", Left, y, 8, gray: 0.35);
            y += 26;

            y = Table(sheet, "All departments, by network", report.Networks, y, int.MaxValue);
            y += 18;
            var room = (int)((Bottom - y - 40) / RowHeight);
            y = Table(sheet, $"{report.NetworkLabel} by department", report.Departments, y, room);
            if (report.Departments.Count > room)
            {
                sheet.Text($"{report.Departments.Count - room} smaller departments are in the dashboard.", Left, y + 4, 8, gray: 0.35);
            }

            sheet.Text("Computed from the weekly snapshots, which export raw as CSV from the dashboard.", Left, Bottom + 16, 7.5, gray: 0.45);
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    /// <summary>Draws a titled table of at most <paramref name="room"/> lines, the largest first when it must cut; returns the baseline below it.</summary>
    private static double Table(Sheet sheet, string title, IReadOnlyList<ReportLine> lines, double y, int room)
    {
        sheet.Text(title, Left, y, 11, bold: true);
        y += 16;
        for (var c = 0; c < Headings.Length; c++)
        {
            var parts = Headings[c].Split('\n');
            for (var line = 0; line < parts.Length; line++)
            {
                sheet.Cell(parts[line], c, y + (line - parts.Length + 2) * 9, 7.5, bold: true);
            }
        }

        y += 9;
        sheet.Rule(y + 4);
        y += RowHeight + 2;
        var shown = lines.Count <= room ? lines : lines.OrderByDescending(l => l.Figure.Physicians).Take(Math.Max(0, room)).OrderBy(l => l.Label, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var line in shown)
        {
            var f = line.Figure;
            string[] cells =
            [
                line.Label, f.Physicians.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{LeadershipReport.Percent(f.ConfirmedShare)} ({f.Confirmed})", $"{LeadershipReport.Percent(f.ActiveShare)} ({f.Active90})",
                $"{LeadershipReport.Percent(f.VideoShare)} ({f.Video})", $"{LeadershipReport.Percent(f.MutualShare)} ({f.MutualFollow})",
                f.LackingDisclaimer.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Confirmed.ToString(), line.Active.ToString(),
            ];
            for (var c = 0; c < cells.Length; c++)
            {
                sheet.Cell(cells[c], c, y, 8);
            }

            y += RowHeight;
        }

        if (shown.Count == 0)
        {
            sheet.Text("No figures for this week.", Left, y, 8, gray: 0.35);
            y += RowHeight;
        }

        return y;
    }

    private sealed class Sheet(XGraphics graphics)
    {
        public void Text(string text, double x, double baseline, double size, bool bold = false, double gray = 0) =>
            graphics.DrawString(text, Font(size, bold), new XSolidBrush(XColor.FromGrayScale(gray)), x, baseline, XStringFormats.BaseLineLeft);

        /// <summary>The label column is left-aligned and cut to its width; the figures are right-aligned to their column's edge.</summary>
        public void Cell(string text, int column, double baseline, double size, bool bold = false)
        {
            var font = Font(size, bold);
            if (column == 0)
            {
                var width = ColumnEnds[0] - Left;
                while (text.Length > 1 && graphics.MeasureString(text, font).Width > width)
                {
                    text = text[..^2] + "…";
                }

                graphics.DrawString(text, font, XBrushes.Black, Left, baseline, XStringFormats.BaseLineLeft);
                return;
            }

            graphics.DrawString(text, font, XBrushes.Black, ColumnEnds[column], baseline, XStringFormats.BaseLineRight);
        }

        public void Rule(double y) => graphics.DrawLine(new XPen(XColor.FromGrayScale(0.6), 0.5), Left, y, Right, y);

        public double Fit(string text, double preferred, double width)
        {
            var measured = graphics.MeasureString(text, Font(preferred, bold: true)).Width;
            return measured <= width ? preferred : preferred * width / measured;
        }

        private static XFont Font(double size, bool bold) => new(DocumentFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Embedded);
    }
}
