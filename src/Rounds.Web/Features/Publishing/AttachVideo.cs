using Microsoft.EntityFrameworkCore;
using Rounds.Networks.Media;
using Rounds.Screening;
using Rounds.Web.Data;
using Rounds.Web.Features.Screening;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// Gives a post its one video (sent to YouTube with the title, the copy's text as its description) and takes it
/// away. The upload is streamed to a staging file with the size cap counted as it arrives, and its type is read from
/// the file's first bytes; a refused file is deleted and the post is left as it was. The title is screened like the
/// text, and a new or removed video starts a new revision like an edit, since reviewers approved the post without it.
/// </summary>
public sealed class AttachVideo(RoundsDbContext db, PostVideoStore store, AttachImage images, IOrganizationScreener screening, IAuditLog audit, TimeProvider clock, IConfiguration configuration)
{
    public const int MaxTitle = 100;

    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary><c>Publishing:MaxVideoMegabytes</c>, 256 by default.</summary>
    public long MaxBytes => configuration.GetValue<long?>("Publishing:MaxVideoMegabytes") is { } megabytes and > 0 ? megabytes * 1024 * 1024 : DefaultMaxBytes;

    public async Task<Outcome<PostVideo>> AddAsync(OrgContext org, Guid postId, string? fileName, string? title, Stream content, CancellationToken cancellationToken = default)
    {
        var post = await images.EditableAsync(org, postId, cancellationToken);
        if (!post.Succeeded)
        {
            return post.Status;
        }

        title = title?.Trim() ?? "";
        if (title.Length == 0 || title.Length > MaxTitle || title.Contains('<') || title.Contains('>'))
        {
            return Outcome.Invalid("title", $"Give the video a title of 1 to {MaxTitle} characters, without < or > (YouTube refuses them).");
        }

        if (await db.Set<PostVideo>().AnyAsync(v => v.PostId == postId, cancellationToken))
        {
            return Outcome.Invalid("file", "The post already has a video; remove it first to attach another.");
        }

        var verdict = await screening.ScreenAsync(org.Id, new Rounds.Screening.Post(title), Profile.Social, cancellationToken);
        if (verdict.Verdict == Verdict.Block)
        {
            var finding = verdict.Findings[0];
            return Outcome.Invalid("title", $"The title would reveal patient information ({finding.Type}): {finding.Message}");
        }

        var staged = store.StagingPath();
        string? kept = null;
        try
        {
            var (size, type, problem) = await StageAsync(content, staged, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            var item = new PostVideo
            {
                OrganizationId = org.Id, PostId = postId, Title = title, FileName = Path.GetFileName(fileName?.Trim() is { Length: > 0 } name ? name : "video"), ContentType = type!,
                Size = size, UploadedBy = await PeopleNames.OfAsync(db, org.UserId, cancellationToken), UploadedAt = clock.GetUtcNow(),
            };
            item.FileName = item.FileName.Length > 200 ? item.FileName[..200] : item.FileName;
            item.StorageName = kept = store.Keep(staged);
            db.Add(item);
            await images.NewRevisionAsync(post.Value!, org.UserId, item.UploadedBy, cancellationToken);
            audit.Record(org.Id, "post.video_added", "Post", postId.ToString(), null, new { item.FileName, item.ContentType, item.Size, item.Title });
            if (await images.SaveAsync(postId, cancellationToken) is { } refusal)
            {
                store.Delete(item.StorageName);
                return refusal;
            }

            return new Outcome<PostVideo>(Outcome.Success, item);
        }
        catch (DbUpdateException)
        {
            // Another upload won the race for the post's one video.
            store.Delete(kept ?? "");
            return Outcome.Invalid("file", "The post already has a video; remove it first to attach another.");
        }
        catch
        {
            // A save cut short (the client gone, the database down) keeps no row, so it keeps no file either.
            if (kept is not null)
            {
                store.Delete(kept);
            }

            throw;
        }
        finally
        {
            File.Delete(staged);
        }
    }

    public async Task<Outcome> RemoveAsync(OrgContext org, Guid postId, CancellationToken cancellationToken = default)
    {
        var post = await images.EditableAsync(org, postId, cancellationToken);
        if (!post.Succeeded)
        {
            return post.Status;
        }

        var item = await db.Set<PostVideo>().FirstOrDefaultAsync(v => v.PostId == postId && v.OrganizationId == org.Id, cancellationToken);
        if (item is null)
        {
            return Outcome.NotFound;
        }

        db.Remove(item);
        await images.NewRevisionAsync(post.Value!, org.UserId, await PeopleNames.OfAsync(db, org.UserId, cancellationToken), cancellationToken);
        audit.Record(org.Id, "post.video_removed", "Post", postId.ToString(), new { item.FileName, item.Title }, null);
        if (await images.SaveAsync(postId, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        store.Delete(item.StorageName);
        return Outcome.Success;
    }

    /// <summary>The post's video for someone who can open the post; null otherwise.</summary>
    public async Task<PostVideo?> GetAsync(OrgContext org, Guid postId, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<Post>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        return post is null || !PostQueries.CanSee(org, post)
            ? null
            : await db.Set<PostVideo>().AsNoTracking().FirstOrDefaultAsync(v => v.PostId == postId && v.OrganizationId == org.Id, cancellationToken);
    }

    /// <summary>Copies the upload to the staging file, stopping as soon as it passes the cap, and reads its type.</summary>
    private async Task<(long Size, string? Type, Outcome? Problem)> StageAsync(Stream content, string staged, CancellationToken cancellationToken)
    {
        var max = MaxBytes;
        var header = new byte[VideoFormat.HeaderBytes];
        var headerLength = 0;
        long size = 0;
        await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > max)
                {
                    return (size, null, Outcome.Invalid("file", $"The video is larger than {max / (1024 * 1024):N0} MB."));
                }

                if (headerLength < header.Length)
                {
                    var take = Math.Min(read, header.Length - headerLength);
                    buffer.AsSpan(0, take).CopyTo(header.AsSpan(headerLength));
                    headerLength += take;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        if (size == 0)
        {
            return (0, null, Outcome.Invalid("file", "The video file is empty."));
        }

        return VideoFormat.Detect(header.AsSpan(0, headerLength)) is { } type
            ? (size, type, null)
            : (size, null, Outcome.Invalid("file", "The file is not an MP4, QuickTime or WebM video (Rounds reads the file itself, not its name)."));
    }
}
