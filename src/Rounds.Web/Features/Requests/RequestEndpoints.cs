using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Requests;

public sealed record RequestDto(
    Guid Id, string Status, string Platform, string ProposedHandle, string Kind, string Department, string Justification, string Goals, string Audience,
    string PatientBenefit, string? OwnerId, string? BackupId, decimal OwnerFte, string ContentPlan, int PostsPerWeek, int ResponseHours,
    string ConsultNotes, string DecisionReasons, Guid? AccountId, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt);

public sealed record CreateRequestBody(RequestInput Request, bool Submit);

public sealed record TransitionBody(string? To, string? Note);

public sealed record VoteBody(bool Approve, string? Comment);

/// <summary>
/// The account-request API. Contributors create and submit requests and see their own; the communications
/// team (account managers and above) sees all and runs the steps; the committee decides. The state machine
/// refuses what the role or the request's state does not allow, with the reason.
/// </summary>
public static class RequestEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/requests").WithTags("Account requests").RequireOrg(Role.Contributor);
        group.MapGet("/", ListAsync).WithName("ListAccountRequests");
        group.MapPost("/", CreateAsync).WithName("CreateAccountRequest").WithSummary("Saves a request as a draft, or submits it with submit=true.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAccountRequest");
        // Members pass the filter so that the refusal (after their body is checked) says why, rather than a bare 403.
        group.MapPost("/{id:guid}/transitions", TransitionAsync).WithName("TransitionAccountRequest").WithSummary("Moves the request: {\"to\":\"consult\",\"note\":\"…\"}.")
            .RequireOrg(Role.Member);
        group.MapPost("/{id:guid}/requirements", RequirementsAsync).WithName("RecordAccountRequestRequirements");
        group.MapPost("/{id:guid}/votes", VoteAsync).WithName("VoteOnAccountRequest");
    }

    public static RequestDto ToDto(AccountRequest r) => new(
        r.Id, RequestLifecycle.Key(r.Status), AccountNames.Key(r.Platform), r.ProposedHandle, AccountNames.Key(r.Kind), r.Department, r.Justification, r.Goals,
        r.Audience, r.PatientBenefit, r.OwnerId, r.BackupId, r.OwnerFte, r.ContentPlan, r.PostsPerWeek, r.ResponseHours, r.ConsultNotes, r.DecisionReasons,
        r.AccountId, r.CreatedAt, r.SubmittedAt);

    public static async Task<IResult> ListAsync(OrgContext org, RequestQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok((await queries.ListAsync(org, cancellationToken: cancellationToken)).Select(ToDto).ToList());

    public static async Task<IResult> CreateAsync(OrgContext org, CreateRequestBody body, DraftRequest draft, CancellationToken cancellationToken)
    {
        var created = await draft.CreateAsync(org, body.Request ?? new RequestInput(), body.Submit, cancellationToken);
        if (created.Value is null)
        {
            return created.Status.ToProblem();
        }

        // The draft was saved but the step after it refused (a rule of the lifecycle): say so with its id.
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/requests/{created.Value.Id}", ToDto(created.Value))
            : TypedResults.Problem(created.Status.Message + $" The draft is saved as {created.Value.Id}.", statusCode: StatusCodes.Status409Conflict, title: "The action is not allowed.");
    }

    public static async Task<IResult> GetAsync(OrgContext org, Guid id, RequestQueries queries, CancellationToken cancellationToken)
    {
        var view = await queries.GetAsync(org, id, cancellationToken);
        return view is null ? TypedResults.Problem("No such request.", statusCode: StatusCodes.Status404NotFound) : TypedResults.Ok(ToDto(view.Request));
    }

    public static async Task<IResult> TransitionAsync(OrgContext org, Guid id, TransitionBody body, MoveRequest move, RequestQueries queries, CancellationToken cancellationToken)
    {
        if (!AccountNames.TryParse<RequestStatus>(body.To, out var to))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [$"Use one of: {AccountNames.Choices<RequestStatus>()}."] });
        }

        if (!org.IsAtLeast(Role.Contributor))
        {
            return TypedResults.Problem("Members read the registry; only contributors and above take part in account requests.", statusCode: StatusCodes.Status403Forbidden);
        }

        var outcome = await move.TransitionAsync(org, id, to, body.Note, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.ToProblem();
        }

        var view = await queries.GetAsync(org, id, cancellationToken);
        return TypedResults.Ok(ToDto(view!.Request));
    }

    public static async Task<IResult> RequirementsAsync(OrgContext org, Guid id, RequirementsInput body, RecordRequirements requirements, CancellationToken cancellationToken) =>
        (await requirements.RecordAsync(org, id, body, cancellationToken)).ToProblem();

    public static async Task<IResult> VoteAsync(OrgContext org, Guid id, VoteBody body, VoteOnRequest vote, CancellationToken cancellationToken) =>
        (await vote.VoteAsync(org, id, body.Approve, body.Comment, cancellationToken)).ToProblem();
}
