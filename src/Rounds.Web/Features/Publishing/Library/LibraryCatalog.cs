using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Library;

/// <summary>What a person may set on a library item; tags are comma separated.</summary>
public sealed record LibraryInput(string? Title, string? Text, string? Tags);

/// <summary>
/// The content library: approved posts kept for reuse. Everyone who drafts posts reads it; the communications
/// team (reviewers and admins) decides what goes in, since whatever is in it counts as approved wording.
/// </summary>
public sealed class LibraryCatalog(RoundsDbContext db, IAuditLog audit, ICurrentActor actor, TimeProvider clock)
{
    public const Role ViewRole = Role.Contributor;

    public const Role EditRole = Role.Reviewer;

    private const int MaxTags = 20;

    private const int MaxTagLength = 40;

    /// <summary>How many items one page of the library (page and API) holds.</summary>
    public const int PageSize = 50;

    /// <summary>The newest items whose tags fill the tag filter's choices, so a view costs the same however large the library.</summary>
    public const int TagSample = 500;

    /// <summary>
    /// A page of the items whose title, text or tags hold every word of <paramref name="query"/>, optionally with
    /// one tag, newest first (the id breaks ties), after <paramref name="after"/>. The database walks the
    /// (organization, created) index and stops at a page: a common word costs one page of reading, not the library.
    /// Plain LIKE on lower-cased columns works the same on SQLite and PostgreSQL (on SQLite too, whose lower() Rounds replaces with one that folds every script).
    /// </summary>
    public async Task<(List<LibraryItem> Items, PageCursor? Next)> SearchAsync(
        OrgContext org, string? query, string? tag, PageCursor? after = null, CancellationToken cancellationToken = default)
    {
        var items = db.Set<LibraryItem>().AsNoTracking().Where(l => l.OrganizationId == org.Id);
        foreach (var word in (query ?? "").ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct().Take(10))
        {
            items = items.Where(l => l.Title.ToLower().Contains(word) || l.Text.ToLower().Contains(word) || l.Tags.Contains(word));
        }

        var wanted = NormalizeTag(tag);
        if (wanted.Length > 0)
        {
            var bounded = "," + wanted + ",";
            items = items.Where(l => ("," + l.Tags + ",").Contains(bounded));
        }

        if (after is { } cursor)
        {
            var (at, id) = (cursor.At, cursor.Id);
            items = items.Where(l => l.CreatedAt < at || (l.CreatedAt == at && l.Id.CompareTo(id) < 0));
        }

        var rows = await items.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        if (rows.Count <= PageSize)
        {
            return (rows, null);
        }

        rows.RemoveAt(PageSize);
        return (rows, new PageCursor(rows[^1].CreatedAt, rows[^1].Id));
    }

    /// <summary>One item of the organization, for the composer's "use this" and the edit page.</summary>
    public Task<LibraryItem?> GetAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default) =>
        db.Set<LibraryItem>().FirstOrDefaultAsync(l => l.Id == id && l.OrganizationId == org.Id, cancellationToken);

    /// <summary>The tags of the newest <see cref="TagSample"/> items; an older tag is still reached from an item's tag link.</summary>
    public async Task<List<string>> TagsAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var recent = await db.Set<LibraryItem>().Where(l => l.OrganizationId == org.Id).OrderByDescending(l => l.CreatedAt).Take(TagSample)
            .Where(l => l.Tags != "").Select(l => l.Tags).ToListAsync(cancellationToken);
        return recent.SelectMany(t => t.Split(',')).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public async Task<Outcome<LibraryItem>> CreateAsync(OrgContext org, LibraryInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only reviewers and admins add to the library: what is in it counts as approved wording.");
        }

        var item = new LibraryItem { OrganizationId = org.Id, CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow() };
        if (Apply(item, input) is { } invalid)
        {
            return invalid;
        }

        return await AddAsync(org, item, "library_item.created", cancellationToken);
    }

    /// <summary>Adds a validated item; shared with <see cref="SaveToLibrary"/>.</summary>
    internal async Task<Outcome<LibraryItem>> AddAsync(OrgContext org, LibraryItem item, string action, CancellationToken cancellationToken)
    {
        db.Add(item);
        audit.Record(org.Id, action, "LibraryItem", item.Id.ToString(), after: Snapshot(item));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<LibraryItem>(Outcome.Success, item);
    }

    public async Task<Outcome> UpdateAsync(OrgContext org, Guid id, LibraryInput input, CancellationToken cancellationToken = default)
    {
        var item = await GetAsync(org, id, cancellationToken);
        if (item is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only reviewers and admins edit the library.");
        }

        var before = Snapshot(item);
        if (Apply(item, input) is { } invalid)
        {
            db.Entry(item).State = EntityState.Detached;
            return invalid;
        }

        audit.Record(org.Id, "library_item.updated", "LibraryItem", item.Id.ToString(), before, Snapshot(item));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> DeleteAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        var item = await GetAsync(org, id, cancellationToken);
        if (item is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Refused("Only reviewers and admins remove items from the library.");
        }

        db.Remove(item);
        audit.Record(org.Id, "library_item.deleted", "LibraryItem", item.Id.ToString(), before: Snapshot(item));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Lower case, no leading '#', inner spaces as hyphens: "#Flu Season" and "flu-season" are one tag.</summary>
    public static string NormalizeTag(string? tag) =>
        string.Join('-', (tag ?? "").Trim().TrimStart('#').ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal static Outcome? Apply(LibraryItem item, LibraryInput input)
    {
        var title = (input.Title ?? "").Trim();
        if (title.Length is 0 or > 200)
        {
            return Outcome.Invalid("Title", "Give the item a title of at most 200 characters.");
        }

        var text = (input.Text ?? "").Trim();
        if (text.Length is 0 or > 70_000)
        {
            return Outcome.Invalid("Text", "Enter the text to reuse (at most 70,000 characters).");
        }

        var tags = (input.Tags ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries).Select(NormalizeTag).Where(t => t.Length > 0).Distinct().ToList();
        if (tags.Count > MaxTags || tags.Any(t => t.Length > MaxTagLength))
        {
            return Outcome.Invalid("Tags", $"Use at most {MaxTags} tags of at most {MaxTagLength} characters each, separated by commas.");
        }

        item.Title = title;
        item.Text = text;
        item.Tags = string.Join(',', tags);
        return null;
    }

    private static object Snapshot(LibraryItem item) => new { item.Title, item.Text, item.Tags, item.SourcePostId };
}
