using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Rounds.Networks.Media;

namespace Rounds.Networks.Tests;

/// <summary>Small images built byte by byte, with the kinds of metadata cameras and editors write.</summary>
public static class TestImages
{
    /// <summary>The latitude 42° 21' 30.9" as three Exif rationals, so a test can look for it in the output.</summary>
    public static readonly byte[] GpsLatitude = Rationals((42, 1), (21, 1), (3090, 100));

    /// <summary>A 1×1 RGBA PNG with no metadata.</summary>
    public static byte[] Png() => PngWith();

    /// <summary>The same PNG with a text chunk, Exif, an international text chunk and a modification time.</summary>
    public static byte[] PngWithText(string key, string value) => PngWith(
        Chunk("tEXt", [.. Encoding.Latin1.GetBytes(key), 0, .. Encoding.Latin1.GetBytes(value)]),
        Chunk("eXIf", TiffWithGps()),
        Chunk("iTXt", [.. "Description"u8, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(value)]),
        Chunk("tIME", [0x07, 0xEA, 11, 23, 10, 15, 0]));

    private static byte[] PngWith(params byte[][] metadata)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 1);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write([0, 0x2E, 0x7D, 0x32, 0xFF]); // filter byte, then one green pixel
        }

        return [
            0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A,
            .. Chunk("IHDR", header),
            .. metadata.SelectMany(m => m),
            .. Chunk("IDAT", compressed.ToArray()),
            .. Chunk("IEND", []),
        ];
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>
    /// An 8×8 grey baseline JPEG as a list of parts, each flagged with whether stripping keeps it: JFIF, Exif
    /// with a GPS position, XMP, an ICC profile, Photoshop/IPTC, a comment, then the tables, the scan and its
    /// data (one block whose DC difference and AC run are both the single one-bit code 0, padded with ones).
    /// </summary>
    public static IReadOnlyList<(byte[] Bytes, bool Kept)> JpegParts() =>
    [
        ([0xFF, 0xD8], true),
        (Segment(0xE0, [.. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), true),
        (Segment(0xE1, [.. "Exif"u8, 0, 0, .. TiffWithGps()]), false),
        (Segment(0xE1, [.. "http://ns.adobe.com/xap/1.0/"u8, 0, .. "<x:xmpmeta><rdf:Description exif:GPSLatitude='42,21.515N'/></x:xmpmeta>"u8]), false),
        (Segment(0xE2, [.. "ICC_PROFILE"u8, 0, 1, 1, .. Enumerable.Repeat((byte)0x42, 32)]), true),
        (Segment(0xED, [.. "Photoshop 3.0"u8, 0, .. "8BIM"u8, 0x04, 0x04, 0, 0, 0, 0, 0, 0x10, .. "Patient: J. Doe "u8]), false),
        (Segment(0xFE, "Taken at 12 Elm Street"u8.ToArray()), false),
        (Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]), true),
        (Segment(0xC0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), true),
        (Segment(0xC4, [0x00, 1, .. new byte[15], 0]), true),
        (Segment(0xC4, [0x10, 1, .. new byte[15], 0]), true),
        (Segment(0xDA, [1, 1, 0x00, 0, 63, 0]), true),
        ([0x3F], true),
        ([0xFF, 0xD9], true),
    ];

    public static byte[] Jpeg() => [.. JpegParts().SelectMany(p => p.Bytes)];

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        return [0xFF, marker, (byte)(length >> 8), (byte)length, .. payload];
    }

    /// <summary>A big-endian TIFF block as Exif stores it: IFD0 points to a GPS IFD holding "N" and the latitude.</summary>
    public static byte[] TiffWithGps()
    {
        var tiff = new List<byte> { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8 };
        // IFD0 at 8: one entry, GPSInfo (0x8825, LONG) -> the GPS IFD at 26; no next IFD.
        tiff.AddRange([0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
        // GPS IFD at 26: GPSLatitudeRef "N", GPSLatitude (3 RATIONALs at 56); no next IFD.
        tiff.AddRange([0, 2, 0, 1, 0, 2, 0, 0, 0, 2, (byte)'N', 0, 0, 0, 0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56, 0, 0, 0, 0]);
        tiff.AddRange(GpsLatitude);
        return [.. tiff];
    }

    private static byte[] Rationals(params (uint Numerator, uint Denominator)[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 8), values[i].Numerator);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 8 + 4), values[i].Denominator);
        }

        return bytes;
    }

    /// <summary>The VP8L chunk of a 1×1 lossless WebP.</summary>
    public static byte[] Vp8LChunk() => [.. "VP8L"u8, 13, 0, 0, 0, 0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0];

    /// <summary>An extended WebP: VP8X saying Exif and XMP follow, the image, then EXIF and XMP chunks (one of odd size, padded).</summary>
    public static byte[] WebpWithExif()
    {
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] exif = [.. WebpChunk("EXIF", TiffWithGps())];
        byte[] xmp = [.. WebpChunk("XMP ", "<x:xmpmeta exif:GPSLatitude='42,21.515N'/>"u8.ToArray())];
        byte[] body = [.. "WEBP"u8, .. vp8x, .. Vp8LChunk(), .. exif, .. xmp];
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        return [.. "RIFF"u8, .. size, .. body];
    }

    private static byte[] WebpChunk(string fourCc, byte[] data)
    {
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
        return [.. Encoding.ASCII.GetBytes(fourCc), .. size, .. data, .. (data.Length % 2 == 1 ? new byte[] { 0 } : [])];
    }
}
