namespace Rounds.Networks.Tests;

public static class Requests
{
    /// <summary>A new post as the scheduler makes one: a fresh key and the time of its first attempt.</summary>
    public static PublishRequest Post(string text, params MediaAttachment[] media) =>
        new(text, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, media.Length == 0 ? null : media);

    /// <summary>A photo carrying Exif GPS, which must not reach the network.</summary>
    public static MediaAttachment Photo(string altText) => new(TestImages.Jpeg(), "image/jpeg", altText);

    public static bool HasExif(byte[] image) => image.AsSpan().IndexOf("Exif"u8) >= 0 || image.AsSpan().IndexOf(TestImages.GpsLatitude) >= 0;
}
