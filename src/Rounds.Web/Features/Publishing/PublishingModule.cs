using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;

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
        services.AddScoped<AttachImage>();
        services.AddDelivery();
        services.AddSingleton<PublishingTimeZone>();
        services.AddScoped<PublishingCalendar>();
        services.AddScoped<ReschedulePost>();
        services.AddScoped<CalendarFeeds>();
        services.AddScoped<LibraryCatalog>();
        services.AddScoped<SaveToLibrary>();
        services.AddScoped<MainChannelOffers>();
        return services;
    }

    /// <summary>The API under <c>/api/v1</c>, and the few addresses outside it (a calendar feed is fetched by a calendar program, not a signed-in person).</summary>
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        PostEndpoints.Map(api);
        DeliveryEndpoints.Map(api);
        CalendarEndpoints.Map(api, app);
        LibraryEndpoints.Map(api);
        SubmissionEndpoints.Map(api);
    }
}
