using Rounds.Web.Features.Requests.Sections;

namespace Rounds.Web.Features.Requests;

/// <summary>Account requests: the governed intake from a department's wish to a trial.</summary>
public sealed class RequestsArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<RequestQueries>();
        services.AddScoped<DraftRequest>();
        services.AddScoped<MoveRequest>();
        services.AddScoped<RecordRequirements>();
        services.AddScoped<VoteOnRequest>();
        services.AddScoped<IDemoData, RequestsDemo>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => RequestEndpoints.Map(api);

    public IEnumerable<NavEntry> Navigation => [new("Requests", "/requests", Role.Contributor, 50)];

    public IEnumerable<PageSection> Sections =>
    [
        new(PageSlots.AccountsDashboard, typeof(RequestsWaitingSection)),
        new(PageSlots.OrganizationHome, typeof(RequestsHomeSection), 30),
    ];
}
