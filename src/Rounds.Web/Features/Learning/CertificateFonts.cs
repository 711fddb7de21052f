using System.Reflection;
using PdfSharp.Fonts;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// DejaVu Sans, shipped inside Rounds (with its licence beside it in Fonts/), so that a learner's name prints the
/// same on every server whatever fonts it has: "Nguyễn Thị Minh" and "Zoë Ó Súilleabháin" included.
/// </summary>
internal sealed class CertificateFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly Lock Gate = new();

    private static readonly CertificateFonts Instance = new();

    /// <summary>PDFsharp takes one resolver per process, set before any font is used; every caller sets the same one.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not CertificateFonts)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(bold ? "DejaVuSans-Bold" : "DejaVuSans")
            : null;

    public byte[]? GetFont(string faceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Rounds.Web.Fonts.{faceName}.ttf");
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
