namespace Rounds.Networks.Media;

/// <summary>The checks every connector makes on images before uploading any of them.</summary>
internal static class MediaRules
{
    /// <summary>
    /// Refuses a post with too many images or an image without alt text, and returns the images with their
    /// metadata stripped. Everything is checked before the first upload so that a refused post leaves nothing
    /// half-uploaded behind.
    /// </summary>
    public static IReadOnlyList<MediaAttachment> Prepare(IReadOnlyList<MediaAttachment>? media, int maxImages, string network)
    {
        if (media is not { Count: > 0 })
        {
            return [];
        }

        if (media.Count > maxImages)
        {
            throw new NetworkException(FailureKind.Content, $"{network} takes at most {maxImages} images per post.");
        }

        var prepared = new List<MediaAttachment>(media.Count);
        foreach (var item in media)
        {
            if (string.IsNullOrWhiteSpace(item.AltText))
            {
                throw new NetworkException(FailureKind.Content, "Every image needs alt text.");
            }

            try
            {
                prepared.Add(item with { Content = ImageMetadata.Strip(item.Content, item.ContentType) });
            }
            catch (Exception e) when (e is NotSupportedException or InvalidDataException)
            {
                throw new NetworkException(FailureKind.Content, e.Message, inner: e);
            }
        }

        return prepared;
    }

    /// <summary>
    /// Refuses a video where the connector sends none, rather than publish the text without it. The publisher hands
    /// such a copy to the account's owners before it gets here; this is the connector's own guard.
    /// </summary>
    public static void NoVideo(PublishRequest request, string network)
    {
        if (request.Video is not null)
        {
            throw new NetworkException(FailureKind.Content, $"Rounds does not send videos to {network}: post this copy by hand.");
        }
    }
}
