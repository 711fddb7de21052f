using System.Buffers.Binary;
using System.IO.Compression;

namespace Rounds.Screening.Data;

/// <summary>Reads a gzip stream whole into one array, sized from the gzip trailer where the stream can seek.</summary>
internal static class GzipResource
{
    /// <summary>
    /// The decompressed bytes of the rest of the stream, which stays open. An embedded resource can seek, so its last
    /// four bytes (the uncompressed length) size the array and the data is copied once; any other stream grows a
    /// buffer as it reads.
    /// </summary>
    public static byte[] ReadAll(Stream stream)
    {
        var start = stream.CanSeek ? stream.Position : -1;
        if (start >= 0 && stream.Length - start >= 18)
        {
            Span<byte> trailer = stackalloc byte[4];
            stream.Seek(-4, SeekOrigin.End);
            stream.ReadExactly(trailer);
            var size = BinaryPrimitives.ReadInt32LittleEndian(trailer);
            stream.Position = start;
            if (size >= 0)
            {
                // Uninitialized: the stream fills every byte, or the array is dropped.
                var bytes = GC.AllocateUninitializedArray<byte>(size);
                using (var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true))
                {
                    // The trailer holds the length modulo 2^32 and only of the last member: when the data
                    // disagrees with it, it is read again the slow way.
                    if (gzip.ReadAtLeast(bytes, size, throwOnEndOfStream: false) == size && gzip.ReadByte() < 0)
                    {
                        return bytes;
                    }
                }

                stream.Position = start;
            }
        }

        using var all = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var copy = new MemoryStream();
        all.CopyTo(copy);
        return copy.ToArray();
    }
}
