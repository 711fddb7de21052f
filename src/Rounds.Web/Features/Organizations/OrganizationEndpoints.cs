using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Organizations;

public sealed record OrganizationDto(Guid Id, string Slug, string Name, bool RequireTwoFactorForStaff, string Role, IReadOnlyList<string> Domains);

public sealed record MemberDto(Guid Id, string UserId, string DisplayName, string Email, string Role, string Source, bool TwoFactorEnabled);

public sealed record CreateOrganizationRequest([property: Required, StringLength(200)] string Name, [property: Required, StringLength(64)] string Slug);

public sealed record InviteRequest([property: Required, EmailAddress] string Email, [property: Required] string Role);

public sealed record ChangeRoleRequest([property: Required] string Role);

public sealed record AddDomainRequest([property: Required] string Domain);

public sealed record DomainDto(Guid Id, string Domain);

public static class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/orgs", CreateAsync).WithTags("Organizations").WithName("CreateOrganization").WithSummary("Creates an organization; you become its admin.");
        var org = api.MapGroup("/orgs/{org}").WithTags("Organizations");
        org.MapGet("/", GetAsync).WithName("GetOrganization");
        org.MapGet("/members", ListMembersAsync).WithName("ListMembers").WithSummary("Members and roles (admins).");
        org.MapPatch("/members/{id:guid}", ChangeRoleAsync).WithName("ChangeMemberRole");
        org.MapDelete("/members/{id:guid}", RemoveMemberAsync).WithName("RemoveMember");
        org.MapPost("/invitations", InviteAsync).WithName("InviteMember").WithSummary("Emails an invitation with a role (admins).");
        org.MapGet("/domains", ListDomainsAsync).WithName("ListDomains");
        org.MapPost("/domains", AddDomainAsync).WithName("AddDomain").WithSummary("Verified addresses on the domain join as members.");
        org.MapDelete("/domains/{id:guid}", RemoveDomainAsync).WithName("RemoveDomain");
    }

    public static async Task<Results<Created<OrganizationDto>, ValidationProblem>> CreateAsync(
        CreateOrganizationRequest request, ClaimsPrincipal user, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var created = await settings.CreateAsync(request.Name, request.Slug, user.FindFirstValue(ClaimTypes.NameIdentifier)!, cancellationToken);
        if (!created.Succeeded)
        {
            return TypedResults.ValidationProblem(created.Status.Errors.ToDictionary());
        }

        var o = created.Value!;
        return TypedResults.Created($"/api/v1/orgs/{o.Slug}", new OrganizationDto(o.Id, o.Slug, o.Name, o.RequireTwoFactorForStaff, Roles.Key(Role.Admin), []));
    }

    public static async Task<Results<Ok<OrganizationDto>, ProblemHttpResult>> GetAsync(
        string org, ClaimsPrincipal user, OrgAccess access, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Member, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var c = check.Context!;
        var domains = await settings.DomainsAsync(c, cancellationToken);
        return TypedResults.Ok(new OrganizationDto(c.Id, c.Organization.Slug, c.Organization.Name, c.Organization.RequireTwoFactorForStaff, Roles.Key(c.Role), domains.Select(d => d.Domain).ToList()));
    }

    public static async Task<Results<Ok<List<MemberDto>>, ProblemHttpResult>> ListMembersAsync(
        string org, ClaimsPrincipal user, OrgAccess access, Members members, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var list = await members.ListAsync(check.Context!, cancellationToken);
        return TypedResults.Ok(list.Select(m => new MemberDto(m.MembershipId, m.UserId, m.DisplayName, m.Email, Roles.Key(m.Role), m.Source.ToString().ToLowerInvariant(), m.TwoFactorEnabled)).ToList());
    }

    public static async Task<IResult> ChangeRoleAsync(
        string org, Guid id, ChangeRoleRequest request, ClaimsPrincipal user, OrgAccess access, Members members, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        if (!Roles.TryParse(request.Role, out var role))
        {
            return InvalidRole();
        }

        return (await members.ChangeRoleAsync(check.Context!, id, role, cancellationToken)).ToProblem();
    }

    public static async Task<IResult> RemoveMemberAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, Members members, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        return check.Allowed ? (await members.RemoveAsync(check.Context!, id, cancellationToken)).ToProblem() : check.ToProblem();
    }

    public static async Task<IResult> InviteAsync(
        string org, InviteRequest request, ClaimsPrincipal user, OrgAccess access, Members members, HttpRequest http, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        if (!Roles.TryParse(request.Role, out var role))
        {
            return InvalidRole();
        }

        var outcome = await members.InviteAsync(check.Context!, request.Email, role, $"{http.Scheme}://{http.Host}{http.PathBase}", cancellationToken);
        return outcome.Succeeded ? TypedResults.Accepted((string?)null) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<List<DomainDto>>, ProblemHttpResult>> ListDomainsAsync(
        string org, ClaimsPrincipal user, OrgAccess access, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        return TypedResults.Ok((await settings.DomainsAsync(check.Context!, cancellationToken)).Select(d => new DomainDto(d.Id, d.Domain)).ToList());
    }

    public static async Task<IResult> AddDomainAsync(
        string org, AddDomainRequest request, ClaimsPrincipal user, OrgAccess access, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        return check.Allowed ? (await settings.AddDomainAsync(check.Context!, request.Domain, cancellationToken)).ToProblem() : check.ToProblem();
    }

    public static async Task<IResult> RemoveDomainAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, OrganizationSettings settings, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        return check.Allowed ? (await settings.RemoveDomainAsync(check.Context!, id, cancellationToken)).ToProblem() : check.ToProblem();
    }

    private static ValidationProblem InvalidRole() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["role"] = [$"Use one of: {string.Join(", ", Enum.GetValues<Role>().Select(Roles.Key))}."],
    });
}
