using System.Security.Claims;

namespace Rounds.Web.Features.Identity.Contracts;

/// <summary>
/// Actions that reach beyond one organization (managing access tokens, creating organizations) need the whole
/// account: a signed-in session or a token not limited to an organization. A token limited to one organization
/// that could do them would lift its own limit.
/// </summary>
public static class WholeAccount
{
    public const string RefusalMessage = "This needs a signed-in session or an access token that is not limited to one organization.";

    public static bool IsLimitedToOneOrganization(ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == SignInClaims.TokenOrganization);

    /// <summary>Answers 403 with a problem that says why to a caller whose token is limited to one organization.</summary>
    public static TBuilder RequireWholeAccount<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => IsLimitedToOneOrganization(context.HttpContext.User)
            ? TypedResults.Problem(RefusalMessage, statusCode: StatusCodes.Status403Forbidden, title: "You may not do this with this token.")
            : await next(context));
}
