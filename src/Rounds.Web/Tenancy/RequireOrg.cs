using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Rounds.Web.Tenancy;

/// <summary>Marks an endpoint (or group) as acting in the organization named by its <c>{org}</c> route value.</summary>
public sealed record RequireOrgMetadata(Role Minimum);

public static class RequireOrgExtensions
{
    private const string CheckKey = "Rounds.OrgAccess";

    /// <summary>
    /// Resolves the organization of <c>{org}</c> for the caller and demands at least <paramref name="minimum"/>,
    /// once for every endpoint under the builder. A refusal is answered as ProblemDetails (an organization one
    /// may not see is simply not found) and the handler never runs; a handler receives the organization by
    /// declaring an <see cref="OrgContext"/> parameter.
    /// </summary>
    public static TBuilder RequireOrg<TBuilder>(this TBuilder builder, Role minimum = Role.Member) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequireOrgMetadata(minimum));
        builder.AddEndpointFilter(async (context, next) =>
        {
            // Filters run even when binding has failed (a missing body, say). Such a request stays a 400 for
            // everyone, like malformed JSON, which the framework refuses before any filter runs.
            if (context.HttpContext.Response.StatusCode == StatusCodes.Status400BadRequest)
            {
                return await next(context);
            }

            var check = await CheckAsync(context.HttpContext);
            return check.Allowed ? await next(context) : check.ToProblem();
        });
        return builder;
    }

    /// <summary>
    /// Keeps <c>{org}</c> in the API description of every RequireOrg endpoint. The API explorer leaves out a route
    /// value that the handler takes as an <see cref="OrgContext"/>, so without this the parameter would vanish from
    /// the operation. It goes first, as <c>{org}</c> comes first in every such route.
    /// </summary>
    public static Task DescribeOrgParameterAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequireOrgMetadata>().Any()
            && operation.Parameters?.Any(p => p.Name == "org" && p.In == ParameterLocation.Path) != true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Insert(0, new OpenApiParameter { Name = "org", In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        return Task.CompletedTask;
    }

    /// <summary>The access check of this request, made once whether the binder or the filter asks first.</summary>
    internal static async Task<AccessResult> CheckAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(CheckKey, out var done) && done is AccessResult result)
        {
            return result;
        }

        // The innermost metadata wins, so an endpoint may demand more than its group.
        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<RequireOrgMetadata>()
            ?? throw new InvalidOperationException("An endpoint that takes the organization must be marked with RequireOrg.");
        var slug = http.GetRouteValue("org") as string ?? "";
        var access = http.RequestServices.GetRequiredService<OrgAccess>();
        result = await access.CheckAsync(http.User, slug, metadata.Minimum, http.RequestAborted);
        http.Items[CheckKey] = result;
        return result;
    }
}

public sealed partial record OrgContext
{
    /// <summary>
    /// Binds a handler's organization parameter. Binding runs before endpoint filters, so a refused caller
    /// gets a placeholder that the RequireOrg filter never lets reach the handler.
    /// </summary>
    public static async ValueTask<OrgContext?> BindAsync(HttpContext http, ParameterInfo parameter)
    {
        var check = await RequireOrgExtensions.CheckAsync(http);
        return check.Context ?? Refused;
    }

    private static readonly OrgContext Refused = new(new Organization { Slug = "" }, new OrganizationMember { Role = Role.Member }, "");
}
