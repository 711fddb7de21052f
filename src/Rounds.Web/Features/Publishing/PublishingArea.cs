using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Sections;
using Rounds.Web.Features.Publishing.Submissions;

namespace Rounds.Web.Features.Publishing;

/// <summary>Posts drafted by staff, approved by communications, published to the accounts.</summary>
public sealed class PublishingArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<PostRules>();
        services.AddScoped<ComposePost>();
        services.AddScoped<ReviewPost>();
        services.AddScoped<ApprovalSteps>();
        services.AddScoped<Contracts.IApprovalWorkflows, ApprovalWorkflows>();
        services.AddScoped<PostQueries>();
        services.AddScoped<RevisionHistory>();
        services.AddScoped<AttachImage>();
        services.AddScoped<AttachVideo>();
        services.AddSingleton(sp => PostVideoStore.FromConfiguration(configuration, sp.GetRequiredService<IHostEnvironment>()));
        services.AddDelivery();
        services.AddScoped<PublishingCalendar>();
        services.AddScoped<ReschedulePost>();
        services.AddScoped<CalendarFeeds>();
        services.AddScoped<LibraryCatalog>();
        services.AddScoped<SaveToLibrary>();
        services.AddScoped<MainChannelOffers>();
        services.AddScoped<IDemoData, DemoPosts>();
        services.AddScoped<ISeedData, SeedPosts>();
    }

    /// <summary>The API under <c>/api/v1</c>, and the few addresses outside it (a calendar feed is fetched by a calendar program, and a post's image by the network it goes to, not by a signed-in person).</summary>
    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        PostEndpoints.Map(api);
        RevisionEndpoints.Map(api);
        DeliveryEndpoints.Map(api);
        DeliveryEndpoints.MapPublic(app);
        CalendarEndpoints.Map(api, app);
        LibraryEndpoints.Map(api);
        SubmissionEndpoints.Map(api);
    }

    public IEnumerable<NavEntry> Navigation =>
    [
        new("Posts", "/posts", Role.Contributor, 10),
        new("Calendar", "/calendar", Role.Contributor, 60, Group: "Publishing"),
        new("Library", "/library", Role.Contributor, 61, Group: "Publishing"),
        new("Main channels", "/submissions", Role.Contributor, 62, Group: "Publishing"),
    ];

    public IEnumerable<PageSection> Sections =>
    [
        new(PageSlots.AccountPage, typeof(AccountPublishingSection), 0),
        new(PageSlots.AccountPage, typeof(ConnectionSection), 10),
        new(PageSlots.OrganizationSettings, typeof(PublishingSettingsSection), 10),
        new(PageSlots.OrganizationHome, typeof(ReviewHomeSection), 0),
        new(PageSlots.OrganizationHome, typeof(ReconnectHomeSection), 20),
        new(PageSlots.OrganizationHome, typeof(PostingTasksHomeSection), 5),
    ];
}
