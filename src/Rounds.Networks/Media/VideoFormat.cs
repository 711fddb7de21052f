using System.Text;

namespace Rounds.Networks.Media;

/// <summary>
/// What a video file is, read from its first bytes, never from its name or the type a browser declared: an ISO base
/// media file (MP4, or QuickTime by its <c>qt</c> brand) opens with an <c>ftyp</c> box, and WebM with an EBML header
/// whose document type is <c>webm</c>. ISO files that hold a still image (HEIF, AVIF) or audio only (M4A) open with
/// <c>ftyp</c> too, and are told apart by their major brand.
/// </summary>
public static class VideoFormat
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs to decide.</summary>
    public const int HeaderBytes = 64;

    private static readonly string[] NotVideoBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis", "M4A ", "M4B ", "M4P "];

    /// <summary>The file's content type (video/mp4, video/quicktime or video/webm), or null when it is none of them.</summary>
    public static string? Detect(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(header[8..12]);
            return NotVideoBrands.Contains(brand) ? null : brand == "qt  " ? "video/quicktime" : "video/mp4";
        }

        // EBML magic, then within the header the DocType element (0x42 0x82), its size, and "webm".
        if (header.Length >= 4 && header[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            var docType = header.IndexOf((ReadOnlySpan<byte>)[0x42, 0x82]);
            return docType > 0 && header.Length >= docType + 7 && header[(docType + 3)..(docType + 7)].SequenceEqual("webm"u8) ? "video/webm" : null;
        }

        return null;
    }
}
