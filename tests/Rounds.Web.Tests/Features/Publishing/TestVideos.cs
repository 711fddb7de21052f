namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>Files that open as their formats do, with bytes that differ at every position after the header.</summary>
public static class TestVideos
{
    /// <summary>An MP4: a <c>ftyp</c> box with the isom brand, then filler standing for the movie's boxes.</summary>
    public static byte[] Mp4(int length) => With([0, 0, 0, 0x18, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8], length);

    /// <summary>A QuickTime movie: a <c>ftyp</c> box with the qt brand.</summary>
    public static byte[] QuickTime(int length) => With([0, 0, 0, 0x14, .. "ftypqt  "u8, 0, 0, 2, 0, .. "qt  "u8], length);

    /// <summary>A WebM: the EBML header with DocType webm.</summary>
    public static byte[] WebM(int length) => With([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, .. "webm"u8], length);

    private static byte[] With(byte[] header, int length)
    {
        var bytes = new byte[length];
        header.CopyTo(bytes, 0);
        for (var i = header.Length; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) ^ (i >> 8));
        }

        return bytes;
    }
}
