using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Rounds.Web.Features.Identity.Tokens;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Identity;

public sealed record MeOrganizationDto(string Slug, string Name, string Role);

/// <param name="TimeZone">The IANA zone the person chose for their times, or null to use each organization's.</param>
public sealed record MeDto(string Id, string Email, string DisplayName, bool EmailConfirmed, bool TwoFactorEnabled, IReadOnlyList<MeOrganizationDto> Organizations, string? TimeZone);

public sealed record TokenDto(Guid Id, string Name, string Prefix, string? Organization, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreateTokenRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    string? Organization,
    [property: Range(1, 3650)] int? ExpiresInDays);

public sealed record CreatedTokenDto(TokenDto Token, string Secret);

public static class MeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", GetAsync).WithName("GetMe").WithSummary("The signed-in person and their organizations with roles.");
        // A token limited to one organization may not see or revoke the others: it would reach past its organization.
        // It may mint tokens, but none that reach further or live longer than itself (docs/decisions/0018).
        me.MapGet("/tokens", ListTokensAsync).WithName("ListTokens").WithSummary("Your personal access tokens (never the secrets). Not with a token limited to one organization.").RequireWholeAccount();
        me.MapPost("/tokens", CreateTokenAsync).WithName("CreateToken").WithSummary("Mints a personal access token; the secret is in this answer only. A token mints none wider or longer-lived than itself.");
        me.MapDelete("/tokens/{id:guid}", RevokeTokenAsync).WithName("RevokeToken").WithSummary("Revokes one of your tokens. Not with a token limited to one organization.").RequireWholeAccount();
    }

    public static async Task<Results<Ok<MeDto>, UnauthorizedHttpResult>> GetAsync(ClaimsPrincipal principal, UserManager<User> users, OrgAccess access, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        var organizations = await access.ListAsync(user.Id, cancellationToken);
        var tokenOrg = principal.FindFirstValue(BearerTokenDefaults.OrganizationClaim);
        var visible = organizations.Where(o => tokenOrg is null || o.Organization.Id.ToString() == tokenOrg)
            .Select(o => new MeOrganizationDto(o.Organization.Slug, o.Organization.Name, Roles.Key(o.Role))).ToList();
        return TypedResults.Ok(new MeDto(user.Id, user.Email ?? "", user.DisplayName, user.EmailConfirmed, user.TwoFactorEnabled, visible, user.TimeZone));
    }

    public static async Task<Ok<List<TokenDto>>> ListTokensAsync(ClaimsPrincipal principal, AccessTokenService tokens, OrgAccess access, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var slugs = (await access.ListAsync(userId, cancellationToken)).ToDictionary(o => o.Organization.Id, o => o.Organization.Slug);
        var list = await tokens.ListAsync(userId, cancellationToken);
        return TypedResults.Ok(list.Select(t => ToDto(t, t.OrganizationId is { } id ? slugs.GetValueOrDefault(id) : null)).ToList());
    }

    public static async Task<Results<Created<CreatedTokenDto>, ValidationProblem, ProblemHttpResult>> CreateTokenAsync(
        CreateTokenRequest request, ClaimsPrincipal principal, AccessTokenService tokens, OrgAccess access, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
        Guid? organizationId = null;
        if (!string.IsNullOrWhiteSpace(request.Organization))
        {
            var check = await access.CheckAsync(principal, request.Organization, Role.Member, cancellationToken);
            if (!check.Allowed)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["organization"] = ["You are not a member of that organization."] });
            }

            organizationId = check.Context!.Id;
        }

        var expires = request.ExpiresInDays is { } days ? clock.GetUtcNow().AddDays(days) : (DateTimeOffset?)null;
        var outcome = await tokens.MintForAsync(principal, request.Name, organizationId, expires, cancellationToken);
        if (!outcome.Succeeded)
        {
            return TypedResults.Problem(outcome.Status.Message, statusCode: StatusCodes.Status403Forbidden, title: "You may not create this token.");
        }

        var minted = outcome.Value!;
        return TypedResults.Created($"/api/v1/me/tokens/{minted.Token.Id}", new CreatedTokenDto(ToDto(minted.Token, request.Organization), minted.Secret));
    }

    public static async Task<Results<NoContent, NotFound>> RevokeTokenAsync(Guid id, ClaimsPrincipal principal, AccessTokenService tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(principal.FindFirstValue(ClaimTypes.NameIdentifier)!, id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    private static TokenDto ToDto(PersonalAccessToken t, string? organization) =>
        new(t.Id, t.Name, t.Prefix, organization, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
