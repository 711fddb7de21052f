namespace Rounds.Web.Features.Notifications;

/// <summary>The notification centre and the bell: what happened that concerns a person.</summary>
public sealed class NotificationsArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddScoped<INotifier, Notifier>().AddScoped<NotificationCentre>();

    public IEnumerable<NavEntry> Navigation =>
    [
        new("Notifications", "/notifications", Role.Member, 70, Count: NotificationCentre.Unread),
    ];
}
