using System.Buffers.Binary;
using System.Text;
using Rounds.Networks.Media;

namespace Rounds.Networks.Tests.Media;

public sealed class ImageMetadataTests
{
    [Fact]
    public void Jpeg_loses_exif_gps_xmp_iptc_and_comments_and_keeps_the_image_bit_for_bit()
    {
        var original = TestImages.Jpeg();
        Assert.True(Contains(original, "Exif"u8) && Contains(original, TestImages.GpsLatitude), "the test image must carry Exif GPS");

        var stripped = ImageMetadata.Strip(original, "image/jpeg");

        Assert.False(Contains(stripped, "Exif"u8));
        Assert.False(Contains(stripped, TestImages.GpsLatitude));
        Assert.False(Contains(stripped, "GPSLatitude"u8));
        Assert.False(Contains(stripped, "Patient"u8));
        Assert.False(Contains(stripped, "Elm Street"u8));
        Assert.Equal(TestImages.JpegParts().Where(p => p.Kept).SelectMany(p => p.Bytes).ToArray(), stripped);
        Assert.Equal([0xE0, 0xE2, 0xDB, 0xC0, 0xC4, 0xC4, 0xDA, 0xD9], WalkJpeg(stripped));
    }

    [Fact]
    public void Jpeg_drops_whatever_follows_the_end_of_image()
    {
        // Phones append a second, full-size JPEG (with its own Exif) after the first one's end marker.
        var withTrailer = TestImages.Jpeg().Concat(TestImages.Jpeg()).ToArray();

        var stripped = ImageMetadata.Strip(withTrailer, "image/jpeg");

        Assert.False(Contains(stripped, "Exif"u8));
        Assert.Equal(ImageMetadata.Strip(TestImages.Jpeg(), "image/jpeg"), stripped);
    }

    [Fact]
    public void Jpeg_scan_data_with_stuffed_bytes_and_restart_markers_is_copied_unchanged()
    {
        var parts = TestImages.JpegParts().ToList();
        var data = parts.FindIndex(p => p.Bytes is [0x3F]);
        parts[data] = ([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56], true);
        var image = parts.SelectMany(p => p.Bytes).ToArray();

        var stripped = ImageMetadata.Strip(image, "image/jpeg");

        Assert.Equal(parts.Where(p => p.Kept).SelectMany(p => p.Bytes).ToArray(), stripped);
    }

    [Fact]
    public void Png_loses_text_exif_and_time_chunks_and_keeps_the_rest()
    {
        var original = TestImages.PngWithText("Location", "12 Elm Street");
        Assert.True(Contains(original, "Elm Street"u8) && Contains(original, TestImages.GpsLatitude));

        var stripped = ImageMetadata.Strip(original, "image/png");

        Assert.Equal(TestImages.Png(), stripped);
        Assert.Equal(["IHDR", "IDAT", "IEND"], WalkPng(stripped));
    }

    [Fact]
    public void Webp_loses_exif_and_xmp_and_its_header_says_so()
    {
        var original = TestImages.WebpWithExif();
        Assert.True(Contains(original, TestImages.GpsLatitude));

        var stripped = ImageMetadata.Strip(original, "image/webp");

        Assert.False(Contains(stripped, TestImages.GpsLatitude));
        Assert.False(Contains(stripped, "EXIF"u8));
        Assert.False(Contains(stripped, "XMP "u8));
        Assert.Equal((uint)stripped.Length - 8, BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)));
        Assert.Equal("VP8X", Encoding.ASCII.GetString(stripped, 12, 4));
        Assert.Equal(0, stripped[20] & 0x0C);
        Assert.Equal(TestImages.Vp8LChunk(), stripped[30..]);
    }

    [Theory]
    [InlineData("image/gif")]
    [InlineData("image/heic")]
    [InlineData("application/pdf")]
    public void Other_types_are_refused(string contentType)
    {
        var e = Assert.Throws<NotSupportedException>(() => ImageMetadata.Strip(TestImages.Png(), contentType));
        Assert.Contains(contentType, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_files_are_refused()
    {
        var jpeg = TestImages.Jpeg();
        Assert.Throws<InvalidDataException>(() => ImageMetadata.Strip(jpeg[..^2], "image/jpeg"));
        Assert.Throws<InvalidDataException>(() => ImageMetadata.Strip(jpeg[..40], "image/jpeg"));
        Assert.Throws<InvalidDataException>(() => ImageMetadata.Strip(TestImages.Png(), "image/jpeg"));

        var png = TestImages.Png();
        png[30] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => ImageMetadata.Strip(png, "image/png"));
        Assert.Throws<InvalidDataException>(() => ImageMetadata.Strip(TestImages.Png()[..^12], "image/png"));

        var webp = TestImages.WebpWithExif();
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), (uint)webp.Length);
        Assert.Throws<InvalidDataException>(() => ImageMetadata.Strip(webp, "image/webp"));
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>Walks the segments as a decoder would and returns their markers; fails unless it ends exactly at EOI.</summary>
    private static List<byte> WalkJpeg(byte[] jpeg)
    {
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var markers = new List<byte>();
        var pos = 2;
        while (true)
        {
            Assert.Equal(0xFF, jpeg[pos]);
            var marker = jpeg[pos + 1];
            markers.Add(marker);
            if (marker == 0xD9)
            {
                Assert.Equal(jpeg.Length, pos + 2);
                return markers;
            }

            pos += 2 + ((jpeg[pos + 2] << 8) | jpeg[pos + 3]);
            if (marker == 0xDA)
            {
                while (jpeg[pos] != 0xFF || jpeg[pos + 1] == 0x00)
                {
                    pos++;
                }
            }
        }
    }

    private static List<string> WalkPng(byte[] png)
    {
        var types = new List<string>();
        for (var pos = 8; pos < png.Length; pos += 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos)))
        {
            types.Add(Encoding.ASCII.GetString(png, pos + 4, 4));
        }

        return types;
    }
}
