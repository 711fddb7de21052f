using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Rounds.Web.Features.Learning;

/// <summary>The certificate as a landscape US Letter page: framed, titled, and with the code that verifies it.</summary>
public static class CertificatePdf
{
    private const double PageWidth = 792;
    private const double PageHeight = 612;
    private const double TextWidth = 660;

    // Unicode encoding embeds the glyphs a name needs, whatever its script, with a map back to the characters so
    // that the text can be searched and copied.
    private static readonly XPdfFontOptions Embedded = new(PdfFontEncoding.Unicode);

    private static readonly XColor Frame = XColor.FromArgb(23, 71, 115);

    public static byte[] Render(Certificate certificate, string verifyUrl)
    {
        CertificateFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"{certificate.Activity} - {certificate.LearnerName}";
        document.Info.Creator = "Rounds";
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var sheet = new Sheet(graphics);
            sheet.Rectangle(24, 24, 744, 564, 3);
            sheet.Rectangle(34, 34, 724, 544, 0.75);

            sheet.Centered(520, certificate.IssuerName, 14, gray: 0.3);
            sheet.Centered(472, "Certificate of Completion", 34, bold: true);
            sheet.Centered(430, "This certifies that", 13, gray: 0.3);
            var name = string.IsNullOrWhiteSpace(certificate.Degree) ? certificate.LearnerName : $"{certificate.LearnerName}, {certificate.Degree}";
            sheet.Centered(392, name, sheet.Fit(name, 26), bold: true);
            sheet.Line(196, 382, 596, 382, 0.75, 0.6);
            sheet.Centered(356, "has completed", 13, gray: 0.3);
            sheet.Centered(326, certificate.Activity, sheet.Fit(certificate.Activity, 20), bold: true);
            sheet.Centered(296, $"on {certificate.CompletedOn.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)} and was awarded", 13, gray: 0.3);
            sheet.Centered(266, $"{CreditRules.Format(certificate.Credits)} {certificate.CreditType}", 16, bold: true);
            var y = sheet.Paragraph(226, certificate.Statement, 10, 600, 14, 0.25);
            if (certificate.ProviderName.Length > 0)
            {
                var provider = $"Accredited provider: {certificate.ProviderName}";
                sheet.Centered(y - 4, provider, Math.Min(11, sheet.Fit(provider, 11)), bold: true);
                y -= 22;
            }

            var rule = Math.Min(y, 120);
            sheet.Line(120, rule, 672, rule, 0.5, 0.75);
            sheet.Centered(rule - 24, $"Verification code: {IssueCertificate.DisplayCode(certificate.Code)}", 12, bold: true);
            sheet.Centered(rule - 42, $"Check it at {verifyUrl}", 10, gray: 0.3);
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    /// <summary>
    /// The page in the layout's own terms: points measured up from the bottom edge, as a PDF counts them, where
    /// PDFsharp counts down from the top.
    /// </summary>
    private sealed class Sheet(XGraphics graphics)
    {
        public void Rectangle(double x, double y, double width, double height, double lineWidth) =>
            graphics.DrawRectangle(new XPen(Frame, lineWidth), x, PageHeight - y - height, width, height);

        public void Line(double x1, double y1, double x2, double y2, double lineWidth, double gray) =>
            graphics.DrawLine(new XPen(Gray(gray), lineWidth), x1, PageHeight - y1, x2, PageHeight - y2);

        public void Centered(double baseline, string text, double size, bool bold = false, double gray = 0)
        {
            var font = Font(size, bold);
            var width = graphics.MeasureString(text, font).Width;
            graphics.DrawString(text, font, new XSolidBrush(Gray(gray)), (PageWidth - width) / 2, PageHeight - baseline, XStringFormats.BaseLineLeft);
        }

        /// <summary>The preferred size, or smaller so that a long name or title stays inside the frame on one line.</summary>
        public double Fit(string text, double preferred)
        {
            var width = graphics.MeasureString(text, Font(preferred, bold: true)).Width;
            return width <= TextWidth ? preferred : preferred * TextWidth / width;
        }

        /// <summary>Centered lines of at most <paramref name="maxWidth"/>, broken between words; returns the baseline below them.</summary>
        public double Paragraph(double baseline, string text, double size, double maxWidth, double leading, double gray)
        {
            var font = Font(size, bold: false);
            var line = new StringBuilder();
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && graphics.MeasureString(candidate, font).Width > maxWidth)
                {
                    Centered(baseline, line.ToString(), size, false, gray);
                    baseline -= leading;
                    line.Clear().Append(word);
                }
                else
                {
                    line.Clear().Append(candidate);
                }
            }

            if (line.Length > 0)
            {
                Centered(baseline, line.ToString(), size, false, gray);
                baseline -= leading;
            }

            return baseline;
        }

        private static XFont Font(double size, bool bold) =>
            new(CertificateFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Embedded);

        // A level as PDF counts it: 0 is black, 1 is white.
        private static XColor Gray(double level) => XColor.FromGrayScale(level);
    }
}
