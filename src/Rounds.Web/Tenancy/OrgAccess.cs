using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Tenancy;

/// <summary>The organization a request acts in, and the caller's role there.</summary>
public sealed partial record OrgContext(Organization Organization, OrganizationMember OrganizationMember, string UserId)
{
    public Guid Id => Organization.Id;

    public Role Role => OrganizationMember.Role;

    public bool IsAtLeast(Role role) => Role >= role;
}

public enum AccessDenial
{
    None,
    NotSignedIn,
    NotFound,
    Forbidden,
    TwoFactorRequired,
}

public sealed record AccessResult(OrgContext? Context, AccessDenial Denial)
{
    public bool Allowed => Context is not null;

    /// <summary>The API answer for a refusal; an organization one may not see is simply not found.</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToProblem() => Denial switch
    {
        AccessDenial.NotSignedIn => TypedResults.Problem("Sign in or send a personal access token.", statusCode: StatusCodes.Status401Unauthorized),
        AccessDenial.Forbidden => TypedResults.Problem("Your role in this organization does not allow this.", statusCode: StatusCodes.Status403Forbidden),
        AccessDenial.TwoFactorRequired => TypedResults.Problem("This organization requires two-factor sign-in for your role; turn it on under Account › Two-factor authentication.", statusCode: StatusCodes.Status403Forbidden),
        AccessDenial.NotFound or AccessDenial.None => TypedResults.Problem("No such organization.", statusCode: StatusCodes.Status404NotFound),
    };
}

/// <summary>
/// Every organization page and endpoint resolves its organization here. An organization the caller does
/// not belong to is reported as not found, so that its existence does not leak across tenants.
/// </summary>
/// <remarks>
/// One instance serves one request. The caller's memberships (each organization with the role there, and the
/// person's zone and second factor) are read once, in one command, and kept for the rest of the request: a page
/// is checked by the gate before it runs and again by the page itself, and the menu lists the same organizations,
/// so reading them each time was three commands per page for the same rows.
/// </remarks>
public sealed class OrgAccess(RoundsDbContext db, ViewerTime viewerTime)
{
    private sealed record Membership(Organization Organization, OrganizationMember OrganizationMember, string? TimeZone, bool TwoFactorEnabled);

    private string? readFor;
    private List<Membership> memberships = [];

    public async Task<AccessResult> CheckAsync(ClaimsPrincipal principal, string slug, Role minimum = Role.Member, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return new(null, AccessDenial.NotSignedIn);
        }

        var normalized = slug.ToLowerInvariant();
        var row = (await MembershipsAsync(userId, cancellationToken)).FirstOrDefault(m => m.Organization.Slug == normalized);
        if (row is null)
        {
            return new(null, AccessDenial.NotFound);
        }

        // A token minted for one organization cannot be used in another.
        var tokenOrg = principal.FindFirstValue(SignInClaims.TokenOrganization);
        if (tokenOrg is not null && tokenOrg != row.Organization.Id.ToString())
        {
            return new(null, AccessDenial.NotFound);
        }

        var context = new OrgContext(row.Organization, row.OrganizationMember, userId);
        if (!context.IsAtLeast(minimum))
        {
            return new(null, AccessDenial.Forbidden);
        }

        // Tokens are held to the same rule: otherwise a token would be a way around the second factor.
        if (row.Organization.RequireTwoFactorForStaff && Roles.NeedsTwoFactor(row.OrganizationMember.Role) && !row.TwoFactorEnabled)
        {
            return new(null, AccessDenial.TwoFactorRequired);
        }

        db.ScopeTo(row.Organization.Id);
        viewerTime.Use(row.TimeZone, row.Organization.TimeZone);
        return new(context, AccessDenial.None);
    }

    /// <summary>The organizations the person belongs to, for the switcher and <c>/api/v1/me</c>.</summary>
    public async Task<IReadOnlyList<(Organization Organization, Role Role)>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        List(await MembershipsAsync(userId, cancellationToken));

    /// <summary>
    /// The same list when this request has already read it, else null: the menu renders beside the page and must
    /// not use the request's database context while the page does, so it reads for itself only when it has to.
    /// </summary>
    public IReadOnlyList<(Organization Organization, Role Role)>? ListIfRead(string userId) => readFor == userId ? List(memberships) : null;

    private static List<(Organization Organization, Role Role)> List(List<Membership> rows) =>
        rows.Select(r => (r.Organization, r.OrganizationMember.Role)).ToList();

    /// <summary>
    /// The person's memberships in name order, as the switcher lists them; the entities stay tracked, as a page may
    /// change its organization (said in the query: a compiled query keeps the tracking of the context it first ran on). Compiled once: every organization page and endpoint runs it, and building its
    /// expression and turning it into a cache key again on each request cost more CPU than the command itself.
    /// </summary>
    private static readonly CompiledPerModel<Func<RoundsDbContext, string, IAsyncEnumerable<Membership>>> ReadMemberships = new(() => EF.CompileAsyncQuery(
        (RoundsDbContext db, string userId) =>
            (from m in db.OrganizationMembers
             join o in db.Organizations on m.OrganizationId equals o.Id
             join p in db.People() on m.UserId equals p.Id
             where m.UserId == userId
             orderby o.Name
             select new Membership(o, m, p.TimeZone, p.TwoFactorEnabled)).AsTracking()));

    private async Task<List<Membership>> MembershipsAsync(string userId, CancellationToken cancellationToken)
    {
        if (readFor != userId)
        {
            memberships = await ReadMemberships.For(db)(db, userId).ToListAsync(cancellationToken);
            readFor = userId;
        }

        return memberships;
    }

    /// <summary>Where "home" is for a person: the organization they last worked in, else the one they joined first.</summary>
    public async Task<string?> HomeSlugAsync(string userId, string? lastSlug, CancellationToken cancellationToken = default)
    {
        var slugs = await (
            from m in db.OrganizationMembers
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.UserId == userId
            orderby m.CreatedAt, o.Name
            select o.Slug).ToListAsync(cancellationToken);
        return slugs.Contains(lastSlug ?? "") ? lastSlug : slugs.FirstOrDefault();
    }
}
