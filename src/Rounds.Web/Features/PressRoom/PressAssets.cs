using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>A link to an asset for one reader, valid until <paramref name="ExpiresAt"/>.</summary>
public sealed record AssetLink(Guid Id, string FileName, string ContentType, long Size, string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Assets of releases: streamed to a file store on upload, and served only through signed links. A link is an
/// authenticated, encrypted token naming the asset, the reader it was made for and its expiry, so it cannot be
/// guessed or altered; at every download the reader's right to the release is checked again, so a link given
/// under embargo stops working the moment the reader leaves the audience, and a link made for a journalist works
/// only in that journalist's signed-in session.
/// </summary>
public sealed class PressAssets(RoundsDbContext db, IDataProtectionProvider protection, IConfiguration configuration, IHostEnvironment environment, Newsroom newsroom, IAuditLog audit, TimeProvider clock, IPressAssetStore store)
{
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>How long a link works; long enough to download a clip, short enough that a forwarded link dies soon.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(30);

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = [".jpg", ".jpeg"], ["image/png"] = [".png"], ["image/webp"] = [".webp"],
        ["audio/mpeg"] = [".mp3"], ["audio/wav"] = [".wav"], ["audio/mp4"] = [".m4a"],
        ["video/mp4"] = [".mp4"], ["video/quicktime"] = [".mov"],
    };

    /// <summary>The types and endings a file picker offers, from the same list the store checks.</summary>
    public static string AcceptList => string.Join(',', Allowed.Keys.Concat(Allowed.Values.SelectMany(e => e)));

    private IDataProtector Protector => protection.CreateProtector("Rounds.PressRoom.AssetLinks");

    /// <summary>The local folder: the file store's home, and where uploads are staged whatever the store.</summary>
    internal string Folder => FolderOf(configuration, environment);

    internal static string FolderOf(IConfiguration configuration, IHostEnvironment environment) =>
        Path.GetFullPath(configuration["PressRoom:AssetPath"] ?? "data/press-assets", environment.ContentRootPath);

    internal IPressAssetStore Store => store;

    internal long MaxBytes => configuration.GetValue("PressRoom:MaxAssetBytes", DefaultMaxBytes);

    public async Task<Outcome<PressAsset>> UploadAsync(OrgContext org, Guid releaseId, string? fileName, string? contentType, Stream content, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) adds assets.");
        }

        var release = await db.Set<PressRelease>().FirstOrDefaultAsync(r => r.Id == releaseId && r.OrganizationId == org.Id, cancellationToken);
        if (release is null)
        {
            return Outcome.NotFound;
        }

        var (name, type, problem) = CheckFile(fileName, contentType);
        if (problem is not null)
        {
            return problem;
        }

        var staging = Path.Combine(Folder, "partial");
        Directory.CreateDirectory(staging);
        var storage = Guid.NewGuid().ToString("N");
        var path = Path.Combine(staging, storage + ".upload");
        long size = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > MaxBytes)
                    {
                        break;
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (size > MaxBytes)
            {
                File.Delete(path);
                return Outcome.Invalid("Content", $"The file is larger than {MaxBytes / (1024 * 1024)} MB.");
            }

            if (size == 0)
            {
                File.Delete(path);
                return Outcome.Invalid("Content", "The file is empty.");
            }

            await store.SaveAsync(storage, path, type, cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return new Outcome<PressAsset>(Outcome.Success, await AddAsync(org, release.Id, name, type, size, storage, cancellationToken));
    }

    /// <summary>A file's name and type as given, normalized, or why they cannot be taken.</summary>
    internal static (string Name, string Type, Outcome? Problem) CheckFile(string? fileName, string? contentType)
    {
        var name = Path.GetFileName(fileName?.Trim() ?? "");
        var type = (contentType ?? "").Split(';')[0].Trim();
        if (!Allowed.TryGetValue(type, out var extensions))
        {
            return ("", "", Outcome.Invalid("ContentType", "Upload a JPEG, PNG or WebP image, MP3, WAV or M4A audio, or MP4 or MOV video."));
        }

        return name.Length is 0 or > 200 || TextRules.FirstRefused(name) is not null || !extensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase)
            ? ("", "", Outcome.Invalid("FileName", $"Name the file, ending in {string.Join(" or ", extensions)} for {type}."))
            : (name, type.ToLowerInvariant(), null);
    }

    /// <summary>Records a file already in the store under <paramref name="storage"/> as an asset of the release.</summary>
    internal async Task<PressAsset> AddAsync(OrgContext org, Guid releaseId, string name, string type, long size, string storage, CancellationToken cancellationToken)
    {
        var asset = new PressAsset { OrganizationId = org.Id, ReleaseId = releaseId, FileName = name, ContentType = type, Size = size, StorageName = storage, UploadedAt = clock.GetUtcNow() };
        db.Add(asset);
        audit.Record(org.Id, "press_asset.uploaded", nameof(PressAsset), asset.Id.ToString(), after: new { release = releaseId, name, type, size });
        await db.SaveChangesAsync(cancellationToken);
        return asset;
    }

    /// <summary>Links to a release's assets for one reader; call only once the reader may see the release.</summary>
    public async Task<IReadOnlyList<AssetLink>> LinksAsync(Guid releaseId, string? readerId, bool team = false, CancellationToken cancellationToken = default)
    {
        var assets = await db.Set<PressAsset>().Where(a => a.ReleaseId == releaseId).ToListAsync(cancellationToken);
        var expires = clock.GetUtcNow().Add(LinkLifetime);
        return assets.OrderBy(a => a.UploadedAt).Select(a => new AssetLink(a.Id, a.FileName, a.ContentType, a.Size,
            "/press/assets/" + Protector.Protect($"{a.Id:N}|{readerId}|{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}|{(team ? "team" : "reader")}"),
            expires)).ToList();
    }

    /// <summary>
    /// The assets of public releases for the media kit, grouped by release, each with a link anyone may follow;
    /// call only with releases the newsroom lists as public.
    /// </summary>
    public async Task<ILookup<Guid, AssetLink>> PublicLinksAsync(IReadOnlyCollection<Guid> publicReleaseIds, CancellationToken cancellationToken = default)
    {
        var ids = publicReleaseIds.ToList();
        var assets = await db.Set<PressAsset>().Where(a => ids.Contains(a.ReleaseId)).ToListAsync(cancellationToken);
        var expires = clock.GetUtcNow().Add(LinkLifetime);
        return assets.OrderBy(a => a.UploadedAt).ToLookup(a => a.ReleaseId, a => new AssetLink(a.Id, a.FileName, a.ContentType, a.Size,
            "/press/assets/" + Protector.Protect($"{a.Id:N}||{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}|reader"),
            expires));
    }

    /// <summary>
    /// The asset a link names, when the link is genuine, not expired, presented by the reader it was made for, and
    /// that reader may still see the release; null otherwise, whatever the reason, so a link reveals nothing.
    /// </summary>
    public async Task<(PressAsset Asset, bool Embargoed)?> OpenAsync(string token, string? requesterId, CancellationToken cancellationToken = default)
    {
        string payload;
        try
        {
            payload = Protector.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 4 || !Guid.TryParseExact(parts[0], "N", out var assetId) || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var expiresAt)
            || DateTimeOffset.FromUnixTimeSeconds(expiresAt) < clock.GetUtcNow())
        {
            return null;
        }

        var readerId = parts[1].Length == 0 ? null : parts[1];
        var team = parts[3] == "team";
        if (readerId is not null && readerId != requesterId)
        {
            return null;
        }

        var asset = await db.Set<PressAsset>().FirstOrDefaultAsync(a => a.Id == assetId, cancellationToken);
        if (asset is null)
        {
            return null;
        }

        if (team)
        {
            // The communications team's own link: good while the holder is still on the team.
            var onTeam = requesterId is not null && await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == asset.OrganizationId && m.UserId == requesterId && m.Role >= Role.Reviewer, cancellationToken);
            return onTeam ? (asset, true) : null;
        }

        var view = await newsroom.ReadAsync(asset.OrganizationId, asset.ReleaseId, readerId, ("asset " + asset.FileName).Truncate(100), cancellationToken);
        return view is null ? null : (asset, view.Embargoed);
    }
}
