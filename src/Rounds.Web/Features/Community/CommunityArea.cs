namespace Rounds.Web.Features.Community;

/// <summary>
/// The members' discussion board: categories, topics with numbered posts, quotes and mentions, likes, watching,
/// and screening that holds a post with patient details before anyone is told of it
/// (docs/decisions/0028-community-screens-before-fan-out.md).
/// </summary>
public sealed class CommunityArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<BoardMembers>();
        services.AddScoped<BoardQueries>();
        services.AddScoped<BoardAudience>();
        services.AddScoped<FanOut>();
        services.AddSingleton<FanOutSignal>();
        services.AddScoped<BoardDeliveries>();
        services.AddHostedService<FanOutWorker>();
        services.AddScoped<WritePost>();
        services.AddScoped<EditPost>();
        services.AddScoped<LikePost>();
        services.AddScoped<FlagPost>();
        services.AddScoped<Moderate>();
        services.AddScoped<MoveTopics>();
        services.AddScoped<SetWatchLevel>();
        services.AddScoped<Categories>();
        services.AddScoped<TopicTags>();
        services.AddScoped<Groups>();
        services.AddScoped<MentionSuggestions>();
        services.AddScoped<BoardSearch>();
        services.AddScoped<WatchedWords>();
        services.AddScoped<WelcomeMember>();
        services.AddScoped<Digests>();
        services.AddHostedService<DigestJob>();
        services.AddScoped<IDemoData, CommunityDemo>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => CommunityEndpoints.Map(api, app);

    public IEnumerable<NavEntry> Navigation =>
    [
        new("Community", "/community", Role.Member, 65),
        new("Community review", "/community/review", Role.Reviewer, 66, Count: BoardQueries.QueueRows),
        new("Community groups", "/community/groups", Role.Reviewer, 67),
    ];
}
