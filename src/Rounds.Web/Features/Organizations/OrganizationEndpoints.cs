using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Organizations;

/// <param name="TimeZone">The IANA zone the organization's pages show times in: its own, else the installation's.</param>
public sealed record OrganizationDto(Guid Id, string Slug, string Name, bool RequireTwoFactorForStaff, string Role, IReadOnlyList<string> Domains, string TimeZone);

/// <summary>A member; <see cref="TwoFactorEnabled"/> is told to admins only, and is null for anyone else.</summary>
public sealed record MemberDto(Guid Id, string UserId, string DisplayName, string Email, string Role, string Source, bool? TwoFactorEnabled);

public sealed record CreateOrganizationRequest([property: Required, StringLength(200)] string Name, [property: Required, StringLength(64)] string Slug);

public sealed record InviteRequest([property: Required, EmailAddress] string Email, [property: Required] string Role);

public sealed record ChangeRoleRequest([property: Required] string Role);

public sealed record AddDomainRequest([property: Required] string Domain);

/// <summary>
/// A claimed email domain: <c>pending</c> until the TXT record <see cref="VerificationRecord"/> is found on it,
/// then <c>verified</c>, when its addresses join.
/// </summary>
public sealed record DomainDto(Guid Id, string Domain, string Status, string VerificationRecord, DateTimeOffset? VerifiedAt)
{
    public static DomainDto Of(OrganizationDomain d) => new(d.Id, d.Domain, d.IsVerified ? "verified" : "pending", d.TxtRecord, d.VerifiedAt);
}

public static class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/orgs", CreateAsync).WithTags("Organizations").WithName("CreateOrganization").WithSummary("Creates an organization; you become its admin. Where only operators create organizations (Organizations:Creation), others get 403, as does a token limited to one organization.").RequireWholeAccount();
        var org = api.MapGroup("/orgs/{org}").WithTags("Organizations").RequireOrg(Role.Admin);
        // Every member may see the organization itself; the rest is administration.
        org.MapGet("/", GetAsync).WithName("GetOrganization").RequireOrg(Role.Member);
        org.MapGet("/members", ListMembersAsync).WithName("ListMembers").WithSummary("Members and roles (admins).");
        org.MapPatch("/members/{id:guid}", ChangeRoleAsync).WithName("ChangeMemberRole");
        org.MapDelete("/members/{id:guid}", RemoveMemberAsync).WithName("RemoveMember");
        org.MapPost("/invitations", InviteAsync).WithName("InviteMember").WithSummary("Emails an invitation with a role (admins).");
        org.MapGet("/domains", ListDomainsAsync).WithName("ListDomains");
        org.MapPost("/domains", AddDomainAsync).WithName("AddDomain").WithSummary("Claims an email domain; it stays pending until its TXT record is verified.");
        org.MapPost("/domains/{id:guid}/verification", VerifyDomainAsync).WithName("VerifyDomain").WithSummary("Looks for the domain's TXT record; once verified, confirmed addresses on it join as members.");
        org.MapDelete("/domains/{id:guid}", RemoveDomainAsync).WithName("RemoveDomain");
    }

    public static async Task<Results<Created<OrganizationDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateOrganizationRequest request, ClaimsPrincipal user, OrganizationSettings settings, TimeZones zones, CancellationToken cancellationToken)
    {
        var created = await settings.CreateAsync(request.Name, request.Slug, user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        if (created.Status.Kind == OutcomeKind.Forbidden)
        {
            return TypedResults.Problem(created.Status.Message, statusCode: StatusCodes.Status403Forbidden, title: "You may not create organizations here.");
        }

        if (!created.Succeeded)
        {
            return TypedResults.ValidationProblem(created.Status.Errors.ToDictionary());
        }

        var o = created.Value!;
        return TypedResults.Created($"/api/v1/orgs/{o.Slug}", new OrganizationDto(o.Id, o.Slug, o.Name, o.RequireTwoFactorForStaff, Roles.Key(Role.Admin), [], zones.Effective(null, o.TimeZone).Id));
    }

    public static async Task<Ok<OrganizationDto>> GetAsync(OrgContext org, OrganizationSettings settings, TimeZones zones, CancellationToken cancellationToken)
    {
        var domains = await settings.DomainsAsync(org, cancellationToken);
        return TypedResults.Ok(new OrganizationDto(org.Id, org.Organization.Slug, org.Organization.Name, org.Organization.RequireTwoFactorForStaff, Roles.Key(org.Role), domains.Where(d => d.IsVerified).Select(d => d.Domain).ToList(), zones.Effective(null, org.Organization.TimeZone).Id));
    }

    public static async Task<Ok<List<MemberDto>>> ListMembersAsync(OrgContext org, Members members, CancellationToken cancellationToken)
    {
        var list = await members.ListAsync(org, cancellationToken);
        return TypedResults.Ok(list.Select(m => new MemberDto(m.MembershipId, m.UserId, m.DisplayName, m.Email, Roles.Key(m.Role), m.Source.ToString().ToLowerInvariant(), m.TwoFactorEnabled)).ToList());
    }

    public static async Task<IResult> ChangeRoleAsync(OrgContext org, Guid id, ChangeRoleRequest request, Members members, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            return InvalidRole();
        }

        return (await members.ChangeRoleAsync(org, id, role, cancellationToken)).ToProblem();
    }

    public static async Task<IResult> RemoveMemberAsync(OrgContext org, Guid id, Members members, CancellationToken cancellationToken) =>
        (await members.RemoveAsync(org, id, cancellationToken)).ToProblem();

    public static async Task<IResult> InviteAsync(OrgContext org, InviteRequest request, Members members, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            return InvalidRole();
        }

        var outcome = await members.InviteAsync(org, request.Email, role, cancellationToken);
        return outcome.Succeeded ? TypedResults.Accepted((string?)null) : outcome.ToProblem();
    }

    public static async Task<Ok<List<DomainDto>>> ListDomainsAsync(OrgContext org, OrganizationSettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok((await settings.DomainsAsync(org, cancellationToken)).Select(DomainDto.Of).ToList());

    public static async Task<IResult> AddDomainAsync(OrgContext org, AddDomainRequest request, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var added = await settings.AddDomainAsync(org, request.Domain, cancellationToken);
        return added.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/domains/{added.Value!.Id}", DomainDto.Of(added.Value))
            : added.Status.ToProblem();
    }

    public static async Task<IResult> VerifyDomainAsync(OrgContext org, Guid id, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var verified = await settings.VerifyDomainAsync(org, id, cancellationToken);
        return verified.Succeeded ? TypedResults.Ok(DomainDto.Of(verified.Value!)) : verified.Status.ToProblem();
    }

    public static async Task<IResult> RemoveDomainAsync(OrgContext org, Guid id, OrganizationSettings settings, CancellationToken cancellationToken) =>
        (await settings.RemoveDomainAsync(org, id, cancellationToken)).ToProblem();

    private static ValidationProblem InvalidRole() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["role"] = [$"Use one of: {string.Join(", ", Enum.GetValues<Role>().Select(Roles.Key))}."],
    });
}
