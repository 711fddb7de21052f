using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

public static class LearningServices
{
    public static IServiceCollection AddLearning(this IServiceCollection services)
    {
        services.AddScoped<CourseCatalog>();
        services.AddScoped<CourseEditor>();
        services.AddScoped<StudyModule>();
        services.AddScoped<SubmitAttempt>();
        services.AddScoped<ClaimCredit>();
        services.AddScoped<IssueCertificate>();
        services.AddScoped<RevokeCertificate>();
        services.AddScoped<Certificates>();
        services.AddScoped<Transcript>();
        services.AddScoped<CreditReport>();
        services.AddScoped<TrainingRequirements>();
        services.AddScoped<ITrainingSource, TrainingRecords>();
        services.AddScoped<ITrainingRequirements>(sp => sp.GetRequiredService<TrainingRequirements>());
        services.AddScoped<LearningDemo>();
        return services;
    }
}
