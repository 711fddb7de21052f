using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>
/// Expiring public addresses of a post's images, for the networks that fetch a post's images themselves rather
/// than take an upload (Instagram, Threads); see docs/decisions/0052-expiring-public-image-addresses.md. An
/// address is <c>/media/public/{token}</c> on <c>Rounds:PublicUrl</c>, the token an authenticated, encrypted
/// naming of one image of one copy and its expiry, made with the app's Data Protection keys as the press room's
/// asset links are. At every fetch the image is served only while its post is approved and due, so an address
/// never shows a draft, an edited post's old image, or a withdrawn post.
/// </summary>
public sealed class PublicImages(RoundsDbContext db, IDataProtectionProvider protection, PublicUrl publicUrl, TimeProvider clock)
{
    /// <summary>
    /// How long an address works: the network fetches the image while the copy is being sent, and a retry gets
    /// fresh addresses, so an hour covers a slow network and leaves a copied address little life.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public const string PathPrefix = "/media/public/";

    private IDataProtector Protector => protection.CreateProtector("Rounds.Publishing.PublicImages");

    /// <summary>The public address of one image of the copy <paramref name="targetId"/>, valid for <see cref="Lifetime"/>.</summary>
    public Uri AddressOf(Guid mediaId, Guid targetId)
    {
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new Uri(publicUrl.For(PathPrefix + Protector.Protect($"{mediaId:N}|{targetId:N}|{expires}")));
    }

    /// <summary>
    /// The image a token names, when the token is genuine and unexpired, the copy is the image's post's, and that
    /// post is approved and due; null otherwise, whatever the reason, so a token reveals nothing.
    /// </summary>
    public async Task<MediaItem?> OpenAsync(string token, CancellationToken cancellationToken = default)
    {
        string payload;
        try
        {
            payload = Protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        var now = clock.GetUtcNow();
        if (parts.Length != 3 || !Guid.TryParseExact(parts[0], "N", out var mediaId) || !Guid.TryParseExact(parts[1], "N", out var targetId)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var expiresAt) || DateTimeOffset.FromUnixTimeSeconds(expiresAt) <= now)
        {
            return null;
        }

        var image = await db.Set<MediaItem>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == mediaId && m.PostId != null, cancellationToken);
        if (image is null)
        {
            return null;
        }

        var servable = await db.Set<PostTarget>().AnyAsync(t => t.Id == targetId && t.PostId == image.PostId && t.OrganizationId == image.OrganizationId
            && db.Set<Post>().Any(p => p.Id == t.PostId && p.Status == PostStatus.Approved && (p.ScheduledAt == null || p.ScheduledAt <= now)), cancellationToken);
        return servable ? image : null;
    }
}
