using Microsoft.AspNetCore.Components.Endpoints;

namespace Rounds.Web.Components.Shared;

/// <summary>
/// Refuses an organization's pages to people outside it before the page runs. The page's own check answers a
/// GET with 404, but a form post is dispatched by Blazor only after rendering, and a page that rendered nothing
/// answers "no such form" with 400, which tells the caller the page exists. Deciding here gives every method the
/// same 404 (ADR 0003); roles within the organization stay the page's business.
/// </summary>
internal static class OrgPageGate
{
    public static IApplicationBuilder UseOrgPageGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is { } component
            && component.Type.IsAssignableTo(typeof(OrgPage))
            && context.Request.RouteValues.TryGetValue(nameof(OrgPage.Slug), out var slug) && slug is string text
            && context.User.Identity?.IsAuthenticated == true)
        {
            var access = await context.RequestServices.GetRequiredService<OrgAccess>().CheckAsync(context.User, text, Role.Member, context.RequestAborted);
            if (access.Denial == AccessDenial.NotFound)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
        }

        await next(context);
    });
}
