using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>A release as a reader outside the team sees it; <paramref name="Embargoed"/> when it has not lifted yet.</summary>
public sealed record ReleaseView(PressRelease Release, bool Embargoed);

/// <summary>
/// What a reader outside the communications team may see of an organization's press room. Every channel
/// (pages, feed, API) asks here, so the rule is in one place: a release is public from its lift instant by the
/// clock, whether or not the lift job has run yet; before it, only a currently accredited journalist in its
/// audience sees it, and each such reading is recorded.
/// </summary>
public sealed class Newsroom(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public static Task<Organization?> FindOrganizationAsync(RoundsDbContext db, string? slug, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").Trim().ToLowerInvariant();
        return normalized.Length is 0 or > 64 ? Task.FromResult<Organization?>(null) : db.Organizations.FirstOrDefaultAsync(o => o.Slug == normalized, cancellationToken);
    }

    public Task<Organization?> OrganizationAsync(string? slug, CancellationToken cancellationToken = default) => FindOrganizationAsync(db, slug, cancellationToken);

    /// <summary>How many public releases one page of the newsroom (page and API) holds.</summary>
    public const int PageSize = 50;

    /// <summary>The newest releases anyone may read, newest lift first: the first page of <see cref="PublicPageAsync"/>.</summary>
    public async Task<IReadOnlyList<PressRelease>> PublicAsync(Guid organizationId, int take = PageSize, CancellationToken cancellationToken = default) =>
        (await PublicPageAsync(organizationId, null, take, cancellationToken)).Items;

    /// <summary>
    /// A page of the releases anyone may read, newest lift first (the id breaks ties), after <paramref name="after"/>,
    /// read in order from the (organization, lift, id) index; <c>Next</c> is where the following page starts.
    /// </summary>
    public async Task<(List<PressRelease> Items, PageCursor? Next)> PublicPageAsync(Guid organizationId, PageCursor? after, int take = PageSize, CancellationToken cancellationToken = default)
    {
        // A release becomes public only by being scheduled, so every public one has a lift instant; saying so keeps
        // drafts that were never scheduled out of the index range.
        var query = Lifted(organizationId, clock.GetUtcNow()).AsNoTracking().Where(r => r.LiftAt != null);
        if (after is { } cursor)
        {
            var (at, id) = ((DateTimeOffset?)cursor.At, cursor.Id);
            query = query.Where(r => r.LiftAt < at || (r.LiftAt == at && r.Id.CompareTo(id) < 0));
        }

        var rows = await query.OrderByDescending(r => r.LiftAt).ThenByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        if (rows.Count <= take)
        {
            return (rows, null);
        }

        rows.RemoveAt(take);
        return (rows, new PageCursor(rows[^1].LiftAt!.Value, rows[^1].Id));
    }

    /// <summary>Releases under embargo that <paramref name="userId"/> may read now, soonest lift first; empty for anyone not accredited.</summary>
    public async Task<IReadOnlyList<PressRelease>> EmbargoedForAsync(Guid organizationId, string? userId, CancellationToken cancellationToken = default)
    {
        if (userId is null)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var rows = await Embargoed(organizationId, userId, now).ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.LiftAt).ToList();
    }

    /// <summary>
    /// One release for a reader, or null when they may not see it (then nobody learns whether it exists). A reading
    /// under embargo is recorded against the release with its channel, and in the audit log.
    /// </summary>
    public async Task<ReleaseView?> ReadAsync(Guid organizationId, Guid releaseId, string? userId, string channel, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var lifted = await Lifted(organizationId, now).FirstOrDefaultAsync(r => r.Id == releaseId, cancellationToken);
        if (lifted is not null)
        {
            return new ReleaseView(lifted, false);
        }

        if (userId is null)
        {
            return null;
        }

        var embargoed = await Embargoed(organizationId, userId, now).FirstOrDefaultAsync(r => r.Id == releaseId, cancellationToken);
        if (embargoed is null)
        {
            return null;
        }

        RecordView(embargoed, userId, channel, now);
        await db.SaveChangesAsync(cancellationToken);
        return new ReleaseView(embargoed, true);
    }

    /// <summary>Whether the person may read the release now (public, or embargoed with them in its audience).</summary>
    public async Task<bool> MayReadAsync(Guid releaseId, string? userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var release = await db.Set<PressRelease>().Where(r => r.Id == releaseId).Select(r => new { r.OrganizationId }).FirstOrDefaultAsync(cancellationToken);
        if (release is null)
        {
            return false;
        }

        return await Lifted(release.OrganizationId, now).AnyAsync(r => r.Id == releaseId, cancellationToken)
            || (userId is not null && await Embargoed(release.OrganizationId, userId, now).AnyAsync(r => r.Id == releaseId, cancellationToken));
    }

    internal void RecordView(PressRelease release, string userId, string channel, DateTimeOffset now)
    {
        db.Add(new EmbargoView { OrganizationId = release.OrganizationId, ReleaseId = release.Id, UserId = userId, Channel = channel, At = now });
        audit.Record(release.OrganizationId, "press_release.viewed_under_embargo", nameof(PressRelease), release.Id.ToString(), after: new { channel, userId });
    }

    private IQueryable<PressRelease> Lifted(Guid organizationId, DateTimeOffset now) =>
        db.Set<PressRelease>().Where(r => r.OrganizationId == organizationId
            && (r.Status == ReleaseStatus.Public || (r.Status == ReleaseStatus.Scheduled && r.LiftAt <= now)));

    private IQueryable<PressRelease> Embargoed(Guid organizationId, string userId, DateTimeOffset now) =>
        db.Set<PressRelease>().Where(r => r.OrganizationId == organizationId && r.Status == ReleaseStatus.Scheduled && r.LiftAt > now
            && db.Set<PressAccreditation>().Any(a => a.OrganizationId == organizationId && a.UserId == userId && a.Status == AccreditationStatus.Approved && a.ExpiresAt > now)
            && (r.Audience == EmbargoAudience.AllAccredited || db.Set<EmbargoReader>().Any(x => x.ReleaseId == r.Id && x.UserId == userId)));
}
