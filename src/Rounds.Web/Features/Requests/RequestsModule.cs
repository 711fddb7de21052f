using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Requests;

public static class RequestsModule
{
    public static IServiceCollection AddRequests(this IServiceCollection services)
    {
        services.AddScoped<RequestWorkflow>();
        services.AddScoped<TrainingRegister>();
        services.AddScoped<ITrainingRecords, RecordedTrainingRecords>();
        return services;
    }
}
