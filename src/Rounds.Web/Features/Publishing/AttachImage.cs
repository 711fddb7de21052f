using Microsoft.EntityFrameworkCore;
using Rounds.Networks.Media;
using Rounds.Screening;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Screening;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// Adds images to a post and removes them. Metadata is stripped before anything is stored (a photo's GPS position
/// can identify a patient's home), every image must be described, and the description is screened like the text.
/// Adding or removing an image changes what reviewers approved, so it starts a new revision like an edit.
/// </summary>
public sealed class AttachImage(RoundsDbContext db, IOrganizationScreener screening, RevisionHistory history, IAuditLog audit, TimeProvider clock)
{
    public const int MaxImages = 4;
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxAltText = 1_000;

    /// <summary>
    /// 40 megapixels: above the largest phone and DSLR photos people post (a 48 MP phone saves 12 MP by default),
    /// and about 160 MB once decoded, where a declared 50,000 × 50,000 would need 10 GB in whatever decodes it.
    /// </summary>
    public const long MaxPixels = 40_000_000;

    private static readonly string[] Types = ["image/jpeg", "image/png", "image/webp"];

    public async Task<Outcome<MediaItem>> AddAsync(OrgContext org, Guid postId, string? fileName, string? contentType, byte[] content, string? altText, CancellationToken cancellationToken = default)
    {
        var post = await EditableAsync(org, postId, cancellationToken);
        if (!post.Succeeded)
        {
            return post.Status;
        }

        altText = altText?.Trim() ?? "";
        var type = contentType?.Trim().ToLowerInvariant() ?? "";
        if (altText.Length == 0)
        {
            return Outcome.Invalid("altText", "Describe the image for people who cannot see it (alt text).");
        }

        if (altText.Length > MaxAltText)
        {
            return Outcome.Invalid("altText", $"Keep the description under {MaxAltText:N0} characters.");
        }

        if (!Types.Contains(type))
        {
            return Outcome.Invalid("file", "Attach a JPEG, PNG or WebP image.");
        }

        if (content.Length == 0 || content.Length > MaxBytes)
        {
            return Outcome.Invalid("file", $"The image must be between 1 byte and {MaxBytes / 1024 / 1024} MB.");
        }

        if (ImageSize.Read(content) is var (width, height) && width * height > MaxPixels)
        {
            return Outcome.Invalid("file", $"The image declares {width:N0} × {height:N0} pixels; send one of at most {MaxPixels / 1_000_000} megapixels.");
        }

        if (await db.Set<MediaItem>().CountAsync(m => m.PostId == postId, cancellationToken) >= MaxImages)
        {
            return Outcome.Invalid("file", $"A post carries at most {MaxImages} images, the most any network takes.");
        }

        byte[] clean;
        try
        {
            clean = ImageMetadata.Strip(content, type);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            return Outcome.Invalid("file", $"The file is not a readable {type["image/".Length..].ToUpperInvariant()} image: {e.Message}");
        }

        var verdict = await screening.ScreenAsync(org.Id, new Rounds.Screening.Post(altText), Profile.Social, cancellationToken);
        if (verdict.Verdict == Verdict.Block)
        {
            var finding = verdict.Findings[0];
            return Outcome.Invalid("altText", $"The description would reveal patient information ({finding.Type}): {finding.Message}");
        }

        var item = new MediaItem
        {
            OrganizationId = org.Id, PostId = postId, FileName = Path.GetFileName(fileName ?? "image"), ContentType = type, Content = clean, AltText = altText,
            UploadedBy = await PeopleNames.OfAsync(db, org.UserId, cancellationToken), UploadedAt = clock.GetUtcNow(),
        };
        db.Add(item);
        await NewRevisionAsync(post.Value!, org.UserId, item.UploadedBy, cancellationToken);
        audit.Record(org.Id, "post.image_added", "Post", postId.ToString(), null, new { item.FileName, item.ContentType, Bytes = clean.Length, StrippedBytes = content.Length - clean.Length, item.AltText });
        return await SaveAsync(postId, cancellationToken) is { } refusal ? refusal : new Outcome<MediaItem>(Outcome.Success, item);
    }

    public async Task<Outcome> RemoveAsync(OrgContext org, Guid postId, Guid mediaId, CancellationToken cancellationToken = default)
    {
        var post = await EditableAsync(org, postId, cancellationToken);
        if (!post.Succeeded)
        {
            return post.Status;
        }

        var item = await db.Set<MediaItem>().FirstOrDefaultAsync(m => m.Id == mediaId && m.PostId == postId && m.OrganizationId == org.Id, cancellationToken);
        if (item is null)
        {
            return Outcome.NotFound;
        }

        db.Remove(item);
        await NewRevisionAsync(post.Value!, org.UserId, await PeopleNames.OfAsync(db, org.UserId, cancellationToken), cancellationToken);
        audit.Record(org.Id, "post.image_removed", "Post", postId.ToString(), new { item.FileName, item.AltText }, null);
        return await SaveAsync(postId, cancellationToken) ?? Outcome.Success;
    }

    public Task<List<MediaItem>> ListAsync(Guid organizationId, Guid postId, CancellationToken cancellationToken = default) =>
        db.Set<MediaItem>().Where(m => m.OrganizationId == organizationId && m.PostId == postId).OrderBy(m => m.UploadedAt).AsNoTracking().ToListAsync(cancellationToken);

    public Task<MediaItem?> GetAsync(OrgContext org, Guid postId, Guid mediaId, CancellationToken cancellationToken = default) =>
        db.Set<MediaItem>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == mediaId && m.PostId == postId && m.OrganizationId == org.Id, cancellationToken);

    /// <summary>The post, when this person may change its media now; shared with <see cref="AttachVideo"/>.</summary>
    internal async Task<Outcome<Post>> EditableAsync(OrgContext org, Guid postId, CancellationToken cancellationToken)
    {
        var post = await db.Set<Post>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        if (post is null || !PostQueries.CanSee(org, post))
        {
            return Outcome.NotFound;
        }

        if (post.AuthorId != org.UserId && !org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Refused("Only the author or a reviewer can change this post's images and video.");
        }

        if (!PostLifecycle.IsEditable(post.Status))
        {
            return Outcome.Refused($"A {PostLifecycle.Describe(post.Status)} post cannot be changed.");
        }

        // A copy with its owner has the approved images in someone's hands; changing them now would not match what they post.
        return await db.Set<PostTarget>().AnyAsync(t => t.PostId == postId && (t.Status == DeliveryStatus.Sending || t.Status == DeliveryStatus.Published || t.Status == DeliveryStatus.WithOwner), cancellationToken)
            ? Outcome.Refused("Part of this post is already going out or published, so its images and video can no longer change.")
            : new Outcome<Post>(Outcome.Success, post);
    }

    /// <summary>
    /// Saves the image change with the post's new revision. The post's stamp is checked in the same save, so a
    /// change that loses the race with the publisher's claim (the old images are going out) is refused whole.
    /// </summary>
    internal async Task<Outcome?> SaveAsync(Guid postId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refused(await ComposePost.WhyNotSavedAsync(db, postId, cancellationToken));
        }
    }

    /// <summary>Approvals were given to the post as it was; a changed set of images needs them again, and the history keeps the texts.</summary>
    internal async Task NewRevisionAsync(Post post, string editorId, string editorName, CancellationToken cancellationToken)
    {
        post.StartRevision(clock.GetUtcNow());

        var variants = await db.Set<PostTarget>().Where(t => t.PostId == post.Id && t.Text != null).ToDictionaryAsync(t => t.AccountId, t => t.Text!, cancellationToken);
        await history.AddAsync(post, variants, editorId, editorName, null, cancellationToken);
    }
}
