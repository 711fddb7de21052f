using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

public sealed record UploadStart(string? FileName, string? ContentType, long? Size);

/// <summary>Where an upload stands: <c>Offset</c> bytes of <c>Size</c> have arrived; the next chunk starts there.</summary>
public sealed record UploadState(Guid Id, string FileName, string ContentType, long Size, long Offset, DateTimeOffset ExpiresAt);

/// <summary>
/// Resumable uploads of large clips: the team declares the file (name, type, size), sends it in chunks each
/// starting at the offset the server holds, and finishes. A chunk that does not start at that offset is refused
/// with the offset to resume from, so a chunk resent after a lost answer is never written twice. At finish the
/// size must be complete and the first bytes must be of the declared type; a wrong type discards the upload.
/// Unfinished uploads are deleted a day after they began. Parts live in the asset store's own folder, beside the
/// finished files, with the declaration in a small file next to each part.
/// </summary>
public sealed class ChunkedUploads(RoundsDbContext db, PressAssets assets, TimeProvider clock, ILogger<ChunkedUploads> logger)
{
    /// <summary>How long an unfinished upload is kept for resuming.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private sealed record Declaration(Guid OrganizationId, Guid ReleaseId, string FileName, string ContentType, long Size, DateTimeOffset StartedAt);

    private string Parts => Path.Combine(assets.Folder, "partial");

    private string PartPath(Guid id) => Path.Combine(Parts, id.ToString("N") + ".part");

    private string DeclarationPath(Guid id) => Path.Combine(Parts, id.ToString("N") + ".json");

    public async Task<Outcome<UploadState>> StartAsync(OrgContext org, Guid releaseId, UploadStart input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) adds assets.");
        }

        if (!await db.Set<PressRelease>().AnyAsync(r => r.Id == releaseId && r.OrganizationId == org.Id, cancellationToken))
        {
            return Outcome.NotFound;
        }

        var (name, type, problem) = PressAssets.CheckFile(input.FileName, input.ContentType);
        if (problem is not null)
        {
            return problem;
        }

        if (input.Size is not { } size || size <= 0 || size > assets.MaxBytes)
        {
            return Outcome.Invalid("Size", $"Declare the file's size in bytes, from 1 to {assets.MaxBytes}.");
        }

        SweepStale();
        Directory.CreateDirectory(Parts);
        var id = Guid.NewGuid();
        var declaration = new Declaration(org.Id, releaseId, name, type, size, clock.GetUtcNow());
        await File.WriteAllBytesAsync(DeclarationPath(id), JsonSerializer.SerializeToUtf8Bytes(declaration), cancellationToken);
        await using (File.Create(PartPath(id)))
        {
        }

        return new Outcome<UploadState>(Outcome.Success, State(id, declaration, 0));
    }

    public async Task<Outcome<UploadState>> StatusAsync(OrgContext org, Guid releaseId, Guid uploadId, CancellationToken cancellationToken = default)
    {
        var declaration = await ReadAsync(org, releaseId, uploadId, cancellationToken);
        return declaration is null ? Outcome.NotFound : new Outcome<UploadState>(Outcome.Success, State(uploadId, declaration, new FileInfo(PartPath(uploadId)).Length));
    }

    /// <summary>Appends <paramref name="chunk"/> when it starts at the offset held; refuses it whole otherwise.</summary>
    public async Task<Outcome<UploadState>> AppendAsync(OrgContext org, Guid releaseId, Guid uploadId, long? offset, Stream chunk, CancellationToken cancellationToken = default)
    {
        var declaration = await ReadAsync(org, releaseId, uploadId, cancellationToken);
        if (declaration is null)
        {
            return Outcome.NotFound;
        }

        FileStream file;
        try
        {
            file = new FileStream(PartPath(uploadId), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true);
        }
        catch (IOException)
        {
            return Outcome.Refused("Another chunk of this upload is being written; ask for the offset and send from there.");
        }

        await using (file)
        {
            var held = file.Length;
            if (offset != held)
            {
                return Outcome.Refused($"The upload holds {held} bytes; send the chunk that starts at offset {held}.");
            }

            file.Seek(held, SeekOrigin.Begin);
            var buffer = new byte[81920];
            var written = held;
            int read;
            while ((read = await chunk.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (written + read > declaration.Size)
                {
                    // Nothing of a chunk that overruns is kept: the upload stays where it was.
                    file.SetLength(held);
                    return Outcome.Invalid("Content", $"The chunk runs past the declared size of {declaration.Size} bytes.");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written += read;
            }

            return new Outcome<UploadState>(Outcome.Success, State(uploadId, declaration, written));
        }
    }

    /// <summary>Makes the complete upload an asset of the release, after checking its size and its first bytes.</summary>
    public async Task<Outcome<PressAsset>> FinishAsync(OrgContext org, Guid releaseId, Guid uploadId, CancellationToken cancellationToken = default)
    {
        var declaration = await ReadAsync(org, releaseId, uploadId, cancellationToken);
        if (declaration is null)
        {
            return Outcome.NotFound;
        }

        // A finish retried after a lost answer may arrive while the first is still storing the file: the part is
        // claimed by renaming it, which only one of them can do, so the release never gets the file twice.
        var part = PartPath(uploadId);
        var claimed = part + "." + Guid.NewGuid().ToString("N");
        try
        {
            File.Move(part, claimed);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException)
        {
            return Outcome.NotFound;
        }

        var held = new FileInfo(claimed).Length;
        if (held != declaration.Size)
        {
            File.Move(claimed, part);
            return Outcome.Invalid("Size", $"{held} of {declaration.Size} bytes have arrived; send the rest from offset {held}, then finish.");
        }

        var head = new byte[16];
        await using (var file = File.OpenRead(claimed))
        {
            await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }

        if (!FileSignatures.Match(declaration.ContentType, head))
        {
            File.Delete(claimed);
            Discard(uploadId);
            return Outcome.Invalid("ContentType", $"The file's contents are not {declaration.ContentType}; the upload was discarded. Start again with the right type.");
        }

        var storage = Guid.NewGuid().ToString("N");
        await assets.Store.SaveAsync(storage, claimed, declaration.ContentType, cancellationToken);
        File.Delete(DeclarationPath(uploadId));
        return new Outcome<PressAsset>(Outcome.Success, await assets.AddAsync(org, releaseId, declaration.FileName, declaration.ContentType, declaration.Size, storage, cancellationToken));
    }

    public async Task<Outcome> AbortAsync(OrgContext org, Guid releaseId, Guid uploadId, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(org, releaseId, uploadId, cancellationToken) is null)
        {
            return Outcome.NotFound;
        }

        Discard(uploadId);
        return Outcome.Success;
    }

    /// <summary>Deletes uploads begun longer ago than <see cref="Lifetime"/>; run when an upload starts and by the lift job.</summary>
    public int SweepStale()
    {
        if (!Directory.Exists(Parts))
        {
            return 0;
        }

        var swept = 0;
        var cutoff = clock.GetUtcNow() - Lifetime;
        foreach (var path in Directory.EnumerateFiles(Parts, "*.json"))
        {
            try
            {
                var declaration = JsonSerializer.Deserialize<Declaration>(File.ReadAllBytes(path));
                if (declaration is not null && declaration.StartedAt >= cutoff)
                {
                    continue;
                }
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                logger.LogWarning(e, "Unreadable upload declaration {Path} is removed with its part.", path);
            }

            if (Guid.TryParseExact(Path.GetFileNameWithoutExtension(path), "N", out var id))
            {
                Discard(id);
                swept++;
            }
        }

        return swept;
    }

    private void Discard(Guid uploadId)
    {
        File.Delete(PartPath(uploadId));
        File.Delete(DeclarationPath(uploadId));
    }

    private async Task<Declaration?> ReadAsync(OrgContext org, Guid releaseId, Guid uploadId, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Role.Reviewer) || !File.Exists(DeclarationPath(uploadId)) || !File.Exists(PartPath(uploadId)))
        {
            return null;
        }

        var declaration = JsonSerializer.Deserialize<Declaration>(await File.ReadAllBytesAsync(DeclarationPath(uploadId), cancellationToken));
        // An upload is found only through its own organization and release, and not after its day is over.
        return declaration is not null && declaration.OrganizationId == org.Id && declaration.ReleaseId == releaseId && declaration.StartedAt + Lifetime > clock.GetUtcNow()
            ? declaration
            : null;
    }

    private static UploadState State(Guid id, Declaration declaration, long offset) =>
        new(id, declaration.FileName, declaration.ContentType, declaration.Size, offset, declaration.StartedAt + Lifetime);
}

/// <summary>The first bytes each accepted type starts with, so a file declared as one type is not another.</summary>
internal static class FileSignatures
{
    public static bool Match(string contentType, ReadOnlySpan<byte> head) => contentType switch
    {
        "image/jpeg" => head.StartsWith((byte[])[0xFF, 0xD8, 0xFF]),
        "image/png" => head.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/webp" => Riff(head, "WEBP"u8),
        "audio/wav" => Riff(head, "WAVE"u8),
        "audio/mpeg" => head.StartsWith("ID3"u8) || (head.Length > 1 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0),
        "audio/mp4" or "video/mp4" => Box(head, "ftyp"u8),
        // QuickTime files may open with any of the classic atoms rather than ftyp.
        "video/quicktime" => Box(head, "ftyp"u8) || Box(head, "moov"u8) || Box(head, "mdat"u8) || Box(head, "wide"u8) || Box(head, "free"u8),
        _ => false,
    };

    private static bool Riff(ReadOnlySpan<byte> head, ReadOnlySpan<byte> form) => head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual(form);

    private static bool Box(ReadOnlySpan<byte> head, ReadOnlySpan<byte> kind) => head.Length >= 8 && head[4..8].SequenceEqual(kind);
}
