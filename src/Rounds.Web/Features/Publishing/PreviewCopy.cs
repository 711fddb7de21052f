using Rounds.Networks.Media;
using Rounds.Networks.Preview;

namespace Rounds.Web.Features.Publishing;

/// <summary>One account's copy to lay out as its network's feed shows it.</summary>
public sealed record PreviewCopy(Guid AccountId, string Handle, string Network, string Text)
{
    /// <summary>The post's images as the preview shows them, loaded from the post's own media address.</summary>
    public static IReadOnlyList<PreviewImage> Images(string slug, IEnumerable<MediaItem> media) =>
        media.Where(m => m.PostId is not null)
            .Select(m => ImageSize.Read(m.Content) is var (width, height)
                ? new PreviewImage($"/api/v1/orgs/{slug}/posts/{m.PostId}/media/{m.Id}", m.AltText, width, height)
                : new PreviewImage($"/api/v1/orgs/{slug}/posts/{m.PostId}/media/{m.Id}", m.AltText, null, null))
            .ToList();
}
