using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Rounds.Web.Features.Membership;

/// <summary>An invoice or credit note as a US Letter page: who sells to whom, each line with its price steps, the total.</summary>
public static class InvoicePdf
{
    private const double Left = 56;
    private const double Right = 556;

    private static readonly XPdfFontOptions Embedded = new(PdfFontEncoding.Unicode);

    public static byte[] Render(Invoice invoice)
    {
        DocumentFonts.Install();
        using var document = new PdfDocument();
        var title = invoice.Kind == InvoiceKind.CreditNote ? "Credit note" : "Invoice";
        document.Info.Title = $"{title} {invoice.Number}";
        document.Info.Creator = "Rounds";
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(612);
        page.Height = XUnit.FromPoint(792);
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var y = 64.0;
            void Text(string text, double size, bool bold = false, double x = Left, XStringFormat? format = null)
            {
                graphics.DrawString(text, new XFont(DocumentFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Embedded), XBrushes.Black, x, y, format ?? XStringFormats.BaseLineLeft);
            }

            Text(invoice.SellerName, 12, bold: true);
            Text($"{title} {invoice.Number}", 18, bold: true, x: Right, format: XStringFormats.BaseLineRight);
            y += 22;
            Text($"Issued {invoice.IssuedAt.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}", 10, x: Right, format: XStringFormats.BaseLineRight);
            y += 30;
            Text("Bill to", 10, bold: true);
            y += 14;
            foreach (var line in new[] { invoice.BuyerName, invoice.BuyerEmail }.Concat(invoice.BuyerAddress.Split('\n')).Where(l => l.Trim().Length > 0))
            {
                Text(line.Trim(), 10);
                y += 13;
            }

            if (invoice.PoNumber.Length > 0)
            {
                y += 4;
                Text($"Purchase order: {invoice.PoNumber}", 10, bold: true);
                y += 13;
            }

            if (invoice.Reason.Length > 0)
            {
                y += 4;
                Text($"Reason: {invoice.Reason}", 10);
                y += 13;
            }

            y += 20;
            graphics.DrawLine(XPens.Gray, Left, y - 12, Right, y - 12);
            foreach (var line in invoice.Lines)
            {
                Text(line.Description, 11, bold: true);
                Text(Money.Format(line.Total, invoice.Currency), 11, bold: true, x: Right, format: XStringFormats.BaseLineRight);
                y += 15;
                foreach (var step in line.ReadSteps())
                {
                    var amount = step.Kind == PriceStepKind.ListPrice ? Money.Format(step.After, invoice.Currency) : "-" + Money.Format(step.Reduction, invoice.Currency);
                    Text(step.Label, 9, x: Left + 16);
                    Text(amount, 9, x: Right - 90, format: XStringFormats.BaseLineRight);
                    y += 12;
                }

                y += 8;
            }

            graphics.DrawLine(XPens.Gray, Left, y - 6, Right, y - 6);
            y += 12;
            Text("Total", 12, bold: true);
            Text(Money.Format(invoice.Total, invoice.Currency), 12, bold: true, x: Right, format: XStringFormats.BaseLineRight);
            y += 24;
            if (invoice.PaidAt is { } paid)
            {
                Text($"Paid {paid.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)} ({invoice.PaidBy}).", 10);
            }
            else if (invoice.Kind == InvoiceKind.Invoice)
            {
                Text("Due within 30 days of issue. Quote the invoice number with your payment.", 10);
            }
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }
}
