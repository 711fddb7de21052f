using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing;

public static class PublishingModule
{
    public static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddScoped<PostRules>();
        services.AddScoped<ComposePost>();
        services.AddScoped<ReviewPost>();
        services.AddScoped<ApprovalSteps>();
        services.AddScoped<PostQueries>();
        services.AddSingleton<OrganizationTime>();
        services.AddDelivery();
        return services;
    }

    /// <summary>The API under <c>/api/v1</c>, and the few addresses outside it (a calendar feed is fetched by a calendar program, not a signed-in person).</summary>
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        PostEndpoints.Map(api);
        DeliveryEndpoints.Map(api);
    }
}
