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
public sealed class OrgAccess(RoundsDbContext db, ViewerTime viewerTime)
{
    public async Task<AccessResult> CheckAsync(ClaimsPrincipal principal, string slug, Role minimum = Role.Member, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return new(null, AccessDenial.NotSignedIn);
        }

        var normalized = slug.ToLowerInvariant();
        var row = await (
            from o in db.Organizations
            join m in db.OrganizationMembers on o.Id equals m.OrganizationId
            join p in db.People() on m.UserId equals p.Id
            where o.Slug == normalized && m.UserId == userId
            select new { Organization = o, OrganizationMember = m, p.TimeZone }).FirstOrDefaultAsync(cancellationToken);

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
        if (row.Organization.RequireTwoFactorForStaff && Roles.NeedsTwoFactor(row.OrganizationMember.Role))
        {
            var twoFactor = await db.People().Where(u => u.Id == userId).Select(u => u.TwoFactorEnabled).FirstAsync(cancellationToken);
            if (!twoFactor)
            {
                return new(null, AccessDenial.TwoFactorRequired);
            }
        }

        db.ScopeTo(row.Organization.Id);
        viewerTime.Use(row.TimeZone, row.Organization.TimeZone);
        return new(context, AccessDenial.None);
    }

    /// <summary>The organizations the person belongs to, for the switcher and <c>/api/v1/me</c>.</summary>
    public async Task<IReadOnlyList<(Organization Organization, Role Role)>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var rows = await (
            from m in db.OrganizationMembers
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.UserId == userId
            orderby o.Name
            select new { o, m.Role }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.o, r.Role)).ToList();
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
