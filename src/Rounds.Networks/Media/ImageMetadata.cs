using System.Buffers.Binary;
using System.Text;

namespace Rounds.Networks.Media;

/// <summary>
/// Removes the metadata a camera or editor writes into an image before it is published. A photo's Exif GPS
/// position can point to a patient's home, and captions, comments and edit histories can name people. Only
/// metadata blocks are removed: the image data is copied byte for byte, so the picture is unchanged.
/// </summary>
public static class ImageMetadata
{
    /// <summary>
    /// The image without its metadata. Throws <see cref="NotSupportedException"/> for a type other than JPEG, PNG
    /// or WebP, and <see cref="InvalidDataException"/> when the bytes are not a well-formed image of that type.
    /// </summary>
    public static byte[] Strip(byte[] image, string contentType) => contentType.Trim().ToLowerInvariant() switch
    {
        "image/jpeg" or "image/jpg" => StripJpeg(image),
        "image/png" => StripPng(image),
        "image/webp" => StripWebp(image),
        _ => throw new NotSupportedException($"Images of type '{contentType}' cannot be published; use JPEG, PNG or WebP."),
    };

    private static byte[] StripJpeg(byte[] data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw Corrupt("JPEG", "it does not start with a JPEG start-of-image marker");
        }

        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 2);
        var pos = 2;
        var sawScan = false;
        while (true)
        {
            if (pos >= data.Length || data[pos] != 0xFF)
            {
                throw Corrupt("JPEG", $"no marker at byte {pos}");
            }

            // Any number of 0xFF fill bytes may precede a marker.
            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                throw Corrupt("JPEG", "it ends inside a marker");
            }

            var marker = data[pos++];
            if (marker == 0xD9)
            {
                if (!sawScan)
                {
                    throw Corrupt("JPEG", "it has no image data");
                }

                // Whatever follows the end-of-image marker (a second embedded picture with its own Exif, say) is dropped.
                output.Write([0xFF, 0xD9]);
                return output.ToArray();
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                output.Write([0xFF, marker]);
                continue;
            }

            if (marker == 0x00 || pos + 2 > data.Length)
            {
                throw Corrupt("JPEG", $"a bad marker at byte {pos - 1}");
            }

            var length = (data[pos] << 8) | data[pos + 1];
            if (length < 2 || pos + length > data.Length)
            {
                throw Corrupt("JPEG", $"a segment at byte {pos - 2} runs past the end");
            }

            if (KeepJpegSegment(marker, data.AsSpan(pos + 2, length - 2)))
            {
                output.Write([0xFF, marker]);
                output.Write(data, pos, length);
            }

            pos += length;
            if (marker == 0xDA)
            {
                sawScan = true;
                var start = pos;
                pos = EndOfEntropyCodedData(data, pos);
                output.Write(data, start, pos - start);
            }
        }
    }

    /// <summary>
    /// Keeps what decoding and colour need: JFIF (APP0), the ICC colour profile (APP2 "ICC_PROFILE") and Adobe's
    /// colour-transform flag (APP14), plus every non-APP segment. Drops Exif and XMP (APP1), Photoshop/IPTC
    /// captions (APP13), comments, and every other application block, since any of them can carry metadata.
    /// </summary>
    private static bool KeepJpegSegment(byte marker, ReadOnlySpan<byte> payload) => marker switch
    {
        0xE0 => true,
        0xE2 => payload.StartsWith("ICC_PROFILE\0"u8),
        0xEE => payload.StartsWith("Adobe"u8),
        >= 0xE1 and <= 0xEF => false,
        0xFE => false,
        _ => true,
    };

    /// <summary>After a scan header the compressed data runs to the next marker that is neither a stuffed zero nor a restart.</summary>
    private static int EndOfEntropyCodedData(byte[] data, int pos)
    {
        while (pos < data.Length)
        {
            if (data[pos] == 0xFF)
            {
                if (pos + 1 >= data.Length)
                {
                    break;
                }

                var next = data[pos + 1];
                if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
                {
                    pos += 2;
                    continue;
                }

                if (next != 0xFF)
                {
                    return pos;
                }
            }

            pos++;
        }

        throw Corrupt("JPEG", "its image data is not followed by an end-of-image marker");
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Text chunks (captions, authors, comments), Exif, and the last-modified time.</summary>
    private static readonly HashSet<string> PngMetadataChunks = ["eXIf", "tEXt", "zTXt", "iTXt", "tIME"];

    private static byte[] StripPng(byte[] data)
    {
        if (data.Length < PngSignature.Length || !data.AsSpan(0, PngSignature.Length).SequenceEqual(PngSignature))
        {
            throw Corrupt("PNG", "it does not start with the PNG signature");
        }

        using var output = new MemoryStream(data.Length);
        output.Write(PngSignature);
        var pos = PngSignature.Length;
        var first = true;
        while (pos + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            if (length > int.MaxValue || pos + 12 + (long)length > data.Length)
            {
                throw Corrupt("PNG", $"the chunk at byte {pos} runs past the end");
            }

            var type = Encoding.ASCII.GetString(data, pos + 4, 4);
            if (!type.All(char.IsAsciiLetter) || (first && type != "IHDR"))
            {
                throw Corrupt("PNG", $"an invalid chunk '{type}' at byte {pos}");
            }

            var total = 12 + (int)length;
            var stored = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos + 8 + (int)length));
            if (Crc32.Compute(data.AsSpan(pos + 4, 4 + (int)length)) != stored)
            {
                throw Corrupt("PNG", $"the '{type}' chunk at byte {pos} fails its checksum");
            }

            if (!PngMetadataChunks.Contains(type))
            {
                output.Write(data, pos, total);
            }

            pos += total;
            first = false;
            if (type == "IEND")
            {
                return output.ToArray();
            }
        }

        throw Corrupt("PNG", "it ends before the IEND chunk");
    }

    private static byte[] StripWebp(byte[] data)
    {
        if (data.Length < 12 || !data.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !data.AsSpan(8, 4).SequenceEqual("WEBP"u8))
        {
            throw Corrupt("WebP", "it is not a RIFF WEBP file");
        }

        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4));
        if (riffSize < 4 || 8 + (long)riffSize > data.Length)
        {
            throw Corrupt("WebP", "its RIFF size is larger than the file");
        }

        var end = 8 + (int)riffSize;
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 12);
        var pos = 12;
        var sawImage = false;
        while (pos < end)
        {
            if (pos + 8 > end)
            {
                throw Corrupt("WebP", $"a truncated chunk header at byte {pos}");
            }

            var fourCc = Encoding.ASCII.GetString(data, pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 4));
            // Chunks are padded to an even size; the pad byte counts toward the RIFF size.
            var padded = 8 + (long)size + (size & 1);
            if (pos + padded > end)
            {
                throw Corrupt("WebP", $"the '{fourCc}' chunk at byte {pos} runs past the end");
            }

            switch (fourCc)
            {
                case "EXIF" or "XMP ":
                    break;
                case "VP8X":
                    if (size < 10)
                    {
                        throw Corrupt("WebP", "its VP8X header is too short");
                    }

                    var header = data.AsSpan(pos, (int)padded).ToArray();
                    // VP8X flags: 0x08 says an EXIF chunk follows, 0x04 an XMP chunk; neither does any more.
                    header[8] &= unchecked((byte)~0x0C);
                    output.Write(header);
                    break;
                default:
                    sawImage |= fourCc is "VP8 " or "VP8L" or "ANMF";
                    output.Write(data, pos, (int)padded);
                    break;
            }

            pos += (int)padded;
        }

        if (!sawImage)
        {
            throw Corrupt("WebP", "it has no image data");
        }

        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }

    private static InvalidDataException Corrupt(string format, string reason) => new($"The image is not a valid {format} file: {reason}.");
}
