using System.Globalization;

namespace Rounds.Web.Features.Learning;

/// <summary>The certificate as a landscape US Letter page: framed, titled, and with the code that verifies it.</summary>
public static class CertificatePdf
{
    private const double TextWidth = 660;

    public static byte[] Render(Certificate certificate, string verifyUrl)
    {
        var pdf = new PdfWriter(792, 612);
        pdf.Rectangle(24, 24, 744, 564, 3, 0.09, 0.28, 0.45);
        pdf.Rectangle(34, 34, 724, 544, 0.75, 0.09, 0.28, 0.45);

        pdf.CenteredText(520, certificate.IssuerName, 14, gray: 0.3);
        pdf.CenteredText(472, "Certificate of Completion", 34, bold: true);
        pdf.CenteredText(430, "This certifies that", 13, gray: 0.3);
        var name = string.IsNullOrWhiteSpace(certificate.Degree) ? certificate.LearnerName : $"{certificate.LearnerName}, {certificate.Degree}";
        pdf.CenteredText(392, name, Fit(name, 26), bold: true);
        pdf.Line(196, 382, 596, 382, 0.75, 0.6);
        pdf.CenteredText(356, "has completed", 13, gray: 0.3);
        pdf.CenteredText(326, certificate.ActivityTitle, Fit(certificate.ActivityTitle, 20), bold: true);
        pdf.CenteredText(296, $"on {certificate.CompletedOn.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)} and was awarded", 13, gray: 0.3);
        pdf.CenteredText(266, $"{CreditRules.Format(certificate.Credits)} {certificate.CreditType}", 16, bold: true);
        var y = pdf.CenteredParagraph(226, certificate.Statement, 10, 600, 14, 0.25);

        pdf.Line(120, Math.Min(y, 120), 672, Math.Min(y, 120), 0.5, 0.75);
        pdf.CenteredText(Math.Min(y, 120) - 24, $"Verification code: {IssueCertificate.DisplayCode(certificate.Code)}", 12, bold: true);
        pdf.CenteredText(Math.Min(y, 120) - 42, $"Check it at {verifyUrl}", 10, gray: 0.3);
        return pdf.ToBytes($"{certificate.ActivityTitle} - {certificate.LearnerName}");
    }

    /// <summary>The preferred size, or smaller so that a long name or title stays inside the frame on one line.</summary>
    private static double Fit(string text, double preferred)
    {
        var width = PdfWriter.TextWidth(text, preferred, bold: true);
        return width <= TextWidth ? preferred : preferred * TextWidth / width;
    }
}
