using Microsoft.Extensions.Options;
using Rounds.Networks.Outbound;

namespace Rounds.Web.Features.Publishing.Delivery;

public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration("Publishing");
        services.AddOptions<NetworkAccessOptions>().BindConfiguration(NetworkAccessOptions.Section);
        services.AddHttpClient(LibraryConnectorFactory.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundHttp.CreateHandler(sp.GetRequiredService<IOptions<NetworkAccessOptions>>().Value.AllowPrivateAddresses));
        services.AddSingleton<IConnectorFactory, LibraryConnectorFactory>();
        services.AddSingleton(sp => DeliveryInstance.Create(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.InstanceId));
        services.AddSingleton<AccountThrottle>();
        services.AddSingleton<ConnectionSecrets>();
        services.AddScoped<AccountConnections>();
        services.AddScoped<Contracts.IConnectedAccounts, ConnectedAccounts>();
        services.AddScoped<DeliverySettings>();
        services.AddScoped<PostOutcomes>();
        services.AddScoped<DeliverCopy>();
        services.AddScoped<PublicImages>();
        services.AddScoped<PublishingPaths>();
        services.AddScoped<PostByHand>();
        services.AddScoped<Accounts.Contracts.IAccountRetirementListener, StopRetiredAccount>();
        services.AddScoped<PublishDuePosts>();
        services.AddScoped<WarnExpiringConnections>();
        services.AddHostedService<Publisher>();
        return services;
    }
}
