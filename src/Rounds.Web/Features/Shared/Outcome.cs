namespace Rounds.Web.Features.Shared;

public enum OutcomeKind
{
    Success,
    Invalid,
    Refused,
    Forbidden,
    NotFound,
}

/// <summary>
/// What a use case reports back: success, field errors (bad input), a refusal with its reason (a rule
/// forbids it), forbidden (this person may not do it at all), or not found. Pages show the errors beside the fields; endpoints turn them into ProblemDetails.
/// </summary>
public sealed record Outcome(OutcomeKind Kind, IReadOnlyDictionary<string, string[]> Errors, string? Message)
{
    private static readonly Dictionary<string, string[]> None = [];

    public static Outcome Success { get; } = new(OutcomeKind.Success, None, null);

    public static Outcome NotFound { get; } = new(OutcomeKind.NotFound, None, "Not found.");

    public bool Succeeded => Kind == OutcomeKind.Success;

    public static Outcome Invalid(string field, string message) => new(OutcomeKind.Invalid, new Dictionary<string, string[]> { [field] = [message] }, message);

    public static Outcome Refused(string message) => new(OutcomeKind.Refused, None, message);

    public static Outcome Forbidden(string message) => new(OutcomeKind.Forbidden, None, message);

    public IResult ToProblem() => Kind switch
    {
        OutcomeKind.Success => TypedResults.NoContent(),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(Errors.ToDictionary(), title: "The request is not valid."),
        OutcomeKind.Refused => TypedResults.Problem(Message, statusCode: StatusCodes.Status409Conflict, title: "The action is not allowed."),
        OutcomeKind.Forbidden => TypedResults.Problem(Message, statusCode: StatusCodes.Status403Forbidden, title: "You may not do this."),
        OutcomeKind.NotFound => TypedResults.Problem(Message, statusCode: StatusCodes.Status404NotFound, title: "Not found."),
    };
}

public sealed record Outcome<T>(Outcome Status, T? Value)
{
    public bool Succeeded => Status.Succeeded;

    public static implicit operator Outcome<T>(Outcome status) => new(status, default);
}
