using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Requests;

public static class RequestsModule
{
    public static IServiceCollection AddRequests(this IServiceCollection services)
    {
        services.AddScoped<RequestWorkflow>();
        services.AddScoped<TrainingRegister>();
        services.AddScoped<ITrainingSource, RecordedTrainingRecords>();
        services.AddScoped<ITrainingRecords, CombinedTrainingRecords>();
        return services;
    }
}
