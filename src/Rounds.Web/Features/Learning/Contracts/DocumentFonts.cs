namespace Rounds.Web.Features.Learning.Contracts;

/// <summary>
/// The font Rounds prints its PDF documents in. PDFsharp takes one font resolver per process, so other areas that
/// draw a PDF (invoices) install this one rather than a second that would replace it.
/// </summary>
public static class DocumentFonts
{
    public const string Family = Learning.CertificateFonts.Family;

    public static void Install() => Learning.CertificateFonts.Install();
}
