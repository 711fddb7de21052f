namespace Rounds.Web.Features.Learning;

public sealed record TrainingBody(string? Email, string? ModuleKey, DateOnly? CompletedOn, string? Note = null);

public sealed record TrainingDto(Guid Id, string UserId, string Person, string ModuleKey, DateOnly CompletedOn, string RecordedBy, string Note);

/// <summary>Training recorded by hand (a course taken elsewhere); it counts for account requests like a passed module.</summary>
public static class TrainingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // The tag keeps the operations where API users found them before training moved to Learning.
        var training = api.MapGroup("/orgs/{org}/training").WithTags("Account requests").RequireOrg(Role.Reviewer);
        training.MapGet("/", ListAsync).WithName("ListTrainingCompletions").WithSummary("Training completions recorded by hand (reviewers and admins).");
        training.MapPost("/", RecordAsync).WithName("RecordTrainingCompletion")
            .WithSummary("Records a module a member completed elsewhere: {\"email\",\"moduleKey\",\"completedOn\",\"note\"}. Reviewers must give the note (where, and on what evidence); it is audited.");
    }

    public static async Task<IResult> ListAsync(OrgContext org, TrainingRegister register, CancellationToken cancellationToken) =>
        TypedResults.Ok((await register.ListAsync(org, cancellationToken)).Select(t => new TrainingDto(t.Id, t.UserId, t.Person, t.ModuleKey, t.CompletedOn, t.RecordedBy, t.Note)).ToList());

    public static async Task<IResult> RecordAsync(TrainingBody body, OrgContext org, TrainingRegister register, CancellationToken cancellationToken) =>
        (await register.RecordAsync(org, body.Email, body.ModuleKey, body.CompletedOn, body.Note, cancellationToken)).ToProblem();
}
