using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Library;

/// <summary>
/// Keeps an approved or published post in the library ("Save to library" on the post's page). Only wording
/// that passed review may go in, and each post goes in once.
/// </summary>
public sealed class SaveToLibrary(RoundsDbContext db, LibraryCatalog catalog, ICurrentActor actor, TimeProvider clock)
{
    public async Task<Outcome<LibraryItem>> RunAsync(OrgContext org, Guid postId, string? title = null, string? tags = null, CancellationToken cancellationToken = default)
    {
        var post = await db.Set<Post>().FirstOrDefaultAsync(p => p.Id == postId && p.OrganizationId == org.Id, cancellationToken);
        if (post is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(LibraryCatalog.EditRole))
        {
            return Outcome.Refused("Only reviewers and admins add to the library: what is in it counts as approved wording.");
        }

        if (post.Status is not (PostStatus.Approved or PostStatus.Published))
        {
            return Outcome.Refused($"Only approved or published posts go into the library; this one is {PostLifecycle.Describe(post.Status)}.");
        }

        if (await db.Set<LibraryItem>().AnyAsync(l => l.OrganizationId == org.Id && l.SourcePostId == postId, cancellationToken))
        {
            return Outcome.Refused("This post is already in the library.");
        }

        var item = new LibraryItem { OrganizationId = org.Id, SourcePostId = postId, CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow() };
        var input = new LibraryInput(string.IsNullOrWhiteSpace(title) ? Excerpt.Of(post.Text, 60) : title, post.Text, tags);
        if (LibraryCatalog.Apply(item, input) is { } invalid)
        {
            return invalid;
        }

        return await catalog.AddAsync(org, item, "library_item.saved_from_post", cancellationToken);
    }
}
