using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Rounds.Web.Tests.Infrastructure;

/// <summary>Images built byte by byte for upload tests.</summary>
public static class TestImages
{
    /// <summary>A 1×1 PNG carrying a text chunk, the way phones and editors write location notes.</summary>
    public static byte[] PngWithText(string key, string value) => PngWithText(key, value, 1, 1);

    /// <summary>A PNG whose header declares <paramref name="width"/> × <paramref name="height"/> over one pixel row of data, as a decompression bomb does.</summary>
    public static byte[] PngDeclaring(uint width, uint height) => PngWithText("Comment", "declared size only", width, height);

    private static byte[] PngWithText(string key, string value, uint width, uint height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write([0, 0x20, 0x80, 0x40]);
        }

        return [
            0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A,
            .. Chunk("IHDR", header),
            .. Chunk("tEXt", [.. Encoding.Latin1.GetBytes(key), 0, .. Encoding.Latin1.GetBytes(value)]),
            .. Chunk("IDAT", compressed.ToArray()),
            .. Chunk("IEND", []),
        ];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>The PNG chunk checksum (CRC-32, polynomial 0xEDB88320), bit by bit: a test image is a few bytes.</summary>
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
