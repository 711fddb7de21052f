namespace Rounds.Web.Features.Learning;

/// <summary>Courses, assessments, credit and certificates; and the training that account requests require.</summary>
public sealed class LearningArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
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
        services.AddScoped<TrainingRegister>();

        // A module counts as done when passed in a course here or recorded by hand.
        services.AddScoped<ITrainingSource, TrainingRecords>();
        services.AddScoped<ITrainingSource, RecordedTrainingRecords>();
        services.AddScoped<ITrainingRecords, CombinedTrainingRecords>();
        services.AddScoped<IModuleTitles, ModuleTitles>();
        services.AddScoped<ICourseGrants, CourseGrants>();
        services.AddScoped<Organizations.Contracts.IMembershipGrounds, CourseGrants>();
        services.AddScoped<ITrainingRequirements>(sp => sp.GetRequiredService<TrainingRequirements>());
        services.AddScoped<IDemoData, LearningDemo>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        LearningEndpoints.Map(api);
        TrainingEndpoints.Map(api);
    }

    public IEnumerable<NavEntry> Navigation => [new("Learning", "/learning", Role.Member, 30)];
}
