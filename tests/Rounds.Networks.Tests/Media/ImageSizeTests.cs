using System.Buffers.Binary;
using Rounds.Networks.Media;

namespace Rounds.Networks.Tests.Media;

/// <summary>The declared size is read from each format's header, so an image declaring 50,000 × 50,000 can be refused before decoding.</summary>
public sealed class ImageSizeTests
{
    [Fact]
    public void The_size_of_real_test_images_is_read_from_their_headers()
    {
        Assert.Equal((1L, 1L), ImageSize.Read(TestImages.Png()));
        Assert.Equal((8L, 8L), ImageSize.Read(TestImages.Jpeg()));
        Assert.Equal((1L, 1L), ImageSize.Read(TestImages.WebpWithExif()));
    }

    [Fact]
    public void A_huge_declared_size_is_read_in_every_format()
    {
        var png = TestImages.Png();
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 50_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 50_000);
        Assert.Equal((50_000L, 50_000L), ImageSize.Read(png));

        // SOF0 after the APP segments: precision, then height and width, big-endian.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC2, 0, 11, 8, 0xC3, 0x50, 0xC3, 0x50, 1, 1, 0x11, 0];
        Assert.Equal((50_000L, 50_000L), ImageSize.Read(jpeg));

        byte[] gif = [.. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0];
        Assert.Equal((65_535L, 65_535L), ImageSize.Read(gif));

        // VP8X stores width − 1 and height − 1 in 24 bits each.
        byte[] webp = [.. "RIFF"u8, 22, 0, 0, 0, .. "WEBPVP8X"u8, 10, 0, 0, 0, 0, 0, 0, 0, 0x4F, 0xC3, 0, 0x4F, 0xC3, 0];
        Assert.Equal((50_000L, 50_000L), ImageSize.Read(webp));
    }

    [Fact]
    public void Bytes_that_are_no_image_header_have_no_size()
    {
        Assert.Null(ImageSize.Read("not a picture"u8));
        Assert.Null(ImageSize.Read(TestImages.Png()[..20]));
        Assert.Null(ImageSize.Read([0xFF, 0xD8, 0xFF, 0xDA, 0, 2]));
    }
}
