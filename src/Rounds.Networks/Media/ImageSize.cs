using System.Buffers.Binary;

namespace Rounds.Networks.Media;

/// <summary>
/// The width and height an image declares in its header, read without decoding it. A file of a few kilobytes can
/// declare 50,000 × 50,000 pixels; whatever later decodes it (a network's resizer, a browser, a thumbnailer) would
/// need gigabytes, so the size is checked before the image is accepted.
/// </summary>
public static class ImageSize
{
    /// <summary>The declared size, or null when the header is not one of PNG, JPEG, GIF or WebP, or is cut short.</summary>
    public static (long Width, long Height)? Read(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 24 && data[..8].SequenceEqual<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) && data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(data[16..]), BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        }

        if (data.Length >= 10 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]));
        }

        if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8)
        {
            return Jpeg(data);
        }

        if (data.Length >= 30 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return WebP(data);
        }

        return null;
    }

    /// <summary>The first start-of-frame marker (SOF0–SOF15 except DHT, JPG and DAC) carries the frame's size.</summary>
    private static (long, long)? Jpeg(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        while (pos + 4 <= data.Length)
        {
            if (data[pos] != 0xFF)
            {
                return null;
            }

            var marker = data[pos + 1];
            if (marker == 0xFF)
            {
                pos++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7)
            {
                pos += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return pos + 9 <= data.Length
                    ? (BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]))
                    : null;
            }

            if (marker is 0xDA or 0xD9 || length < 2)
            {
                return null;
            }

            pos += 2 + length;
        }

        return null;
    }

    /// <summary>Lossy (VP8), lossless (VP8L) and extended (VP8X) WebP each keep the size in their own layout.</summary>
    private static (long, long)? WebP(ReadOnlySpan<byte> data)
    {
        var chunk = data.Slice(12, 4);
        var body = data[20..];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return (1 + ReadUInt24(body[4..]), 1 + ReadUInt24(body[7..]));
        }

        if (chunk.SequenceEqual("VP8L"u8) && body[0] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
            return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
        }

        if (chunk.SequenceEqual("VP8 "u8) && body[3] == 0x9D && body[4] == 0x01 && body[5] == 0x2A)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF);
        }

        return null;
    }

    private static long ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);
}
