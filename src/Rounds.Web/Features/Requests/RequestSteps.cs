namespace Rounds.Web.Features.Requests;

/// <summary>
/// The steps a request goes through, as a tracker shows them: each done, current, still to come, or where it
/// ended (declined, redirected, withdrawn). A requester sees where the request stands and what comes next.
/// </summary>
public static class RequestSteps
{
    private static readonly (RequestStatus Status, string Label)[] Path =
    [
        (RequestStatus.Draft, "Draft"),
        (RequestStatus.Submitted, "Submitted"),
        (RequestStatus.Consult, "Consult"),
        (RequestStatus.Requirements, "Requirements"),
        (RequestStatus.CommitteeReview, "Committee review"),
        (RequestStatus.Approved, "Approved: trial account"),
    ];

    /// <summary>Each step's label and state: <c>done</c>, <c>current</c>, <c>todo</c> or <c>ended</c>.</summary>
    /// <remarks>While the committee decides, its step says how many approvals it has of how many it needs.</remarks>
    public static IReadOnlyList<(string Label, string State)> Of(RequestStatus status, int approvals = 0, int approvalsNeeded = 0)
    {
        var position = Array.FindIndex(Path, p => p.Status == status);
        if (position >= 0)
        {
            // The last step reached is done rather than waiting once the request is approved.
            return Path.Select((p, i) => (
                p.Status == RequestStatus.CommitteeReview && status == RequestStatus.CommitteeReview && approvalsNeeded > 0
                    ? $"{p.Label}: {approvals} of {approvalsNeeded} approvals"
                    : p.Label,
                i < position || status == RequestStatus.Approved ? "done" : i == position ? "current" : "todo")).ToList();
        }

        var ending = status switch
        {
            RequestStatus.Declined => "Declined",
            RequestStatus.Redirected => "Redirected to the main channels",
            _ => "Withdrawn",
        };
        return status == RequestStatus.Withdrawn
            ? [("Draft", "done"), (ending, "ended")]
            : [("Draft", "done"), ("Submitted", "done"), (ending, "ended")];
    }
}
