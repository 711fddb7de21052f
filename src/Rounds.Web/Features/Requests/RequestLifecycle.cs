using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Requests;

/// <summary>
/// The facts a request's moves depend on, gathered by the workflow before it asks the state machine.
/// <paramref name="MissingFields"/> and <paramref name="UnmetRequirements"/> are empty when all is in place.
/// </summary>
public sealed record RequestFacts(
    bool IsRequester,
    bool IsCommitteeMember,
    IReadOnlyList<string> MissingFields,
    IReadOnlyList<string> UnmetRequirements,
    bool QuorumMet,
    bool HasNote);

/// <summary>
/// The request state machine: draft → submitted → consult → requirements → committee review → approved or
/// declined, with the consult's redirect to the main channels and the requester's withdrawal. Pure, so that
/// every legal and illegal move is unit tested (docs/decisions/0006-account-and-request-state-machines.md).
/// </summary>
public static class RequestLifecycle
{
    private enum Who
    {
        Requester,
        CommsTeam,
        Committee,
    }

    private sealed record Move(RequestStatus From, RequestStatus To, Who Who, bool NeedsNote = false);

    private static readonly Move[] Moves =
    [
        new(RequestStatus.Draft, RequestStatus.Submitted, Who.Requester),
        new(RequestStatus.Submitted, RequestStatus.Consult, Who.CommsTeam),
        new(RequestStatus.Consult, RequestStatus.Requirements, Who.CommsTeam),
        new(RequestStatus.Consult, RequestStatus.Redirected, Who.CommsTeam, NeedsNote: true),
        new(RequestStatus.Requirements, RequestStatus.CommitteeReview, Who.CommsTeam),
        new(RequestStatus.CommitteeReview, RequestStatus.Approved, Who.Committee, NeedsNote: true),
        new(RequestStatus.CommitteeReview, RequestStatus.Declined, Who.Committee, NeedsNote: true),
        new(RequestStatus.Draft, RequestStatus.Withdrawn, Who.Requester),
        new(RequestStatus.Submitted, RequestStatus.Withdrawn, Who.Requester),
        new(RequestStatus.Consult, RequestStatus.Withdrawn, Who.Requester),
        new(RequestStatus.Requirements, RequestStatus.Withdrawn, Who.Requester),
        new(RequestStatus.CommitteeReview, RequestStatus.Withdrawn, Who.Requester),
    ];

    public static bool IsClosed(RequestStatus status) => !Moves.Any(m => m.From == status);

    public static IReadOnlyList<RequestStatus> Next(RequestStatus from) => Moves.Where(m => m.From == from).Select(m => m.To).ToList();

    /// <summary>Null when <paramref name="role"/> may move the request; otherwise why not.</summary>
    public static string? Refusal(RequestStatus from, RequestStatus to, Role role, RequestFacts facts)
    {
        var move = Moves.FirstOrDefault(m => m.From == from && m.To == to);
        if (move is null)
        {
            var next = Next(from);
            return next.Count == 0
                ? $"The request is {Label(from)}; it is closed and cannot change."
                : $"A request that is {Label(from)} cannot become {Label(to)}; next it can become {string.Join(" or ", next.Select(Label))}.";
        }

        var who = move.Who switch
        {
            Who.Requester when !facts.IsRequester => "Only the person who made the request can do this.",
            Who.Requester when role < Role.Contributor => "Only contributors and above can make account requests.",
            Who.CommsTeam when role < Role.AccountManager => $"Only the communications team (account managers, reviewers, admins) runs this step; you are {Roles.Label(role).ToLowerInvariant()}.",
            Who.Committee when role < Role.Reviewer || !facts.IsCommitteeMember => "Only members of the account committee decide requests.",
            _ => null,
        };
        if (who is not null)
        {
            return who;
        }

        if (move.NeedsNote && !facts.HasNote)
        {
            return to == RequestStatus.Redirected
                ? "Say where the content should go instead (a note is required to redirect)."
                : "Give the reasons for the decision; they are sent to the requester.";
        }

        if (to == RequestStatus.Submitted && facts.MissingFields.Count > 0)
        {
            return "Complete the request before submitting it: " + string.Join(", ", facts.MissingFields) + ".";
        }

        if (to == RequestStatus.CommitteeReview && facts.UnmetRequirements.Count > 0)
        {
            return "The requirements are not met: " + string.Join("; ", facts.UnmetRequirements) + ".";
        }

        if (to == RequestStatus.Approved && !facts.QuorumMet)
        {
            return "The committee has not reached its quorum of approving votes.";
        }

        return null;
    }

    public static string Label(RequestStatus status) => status switch
    {
        RequestStatus.CommitteeReview => "in committee review",
        RequestStatus.Consult => "in consult",
        RequestStatus.Requirements => "checking requirements",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The status as the API spells it.</summary>
    public static string Key(RequestStatus status) => AccountNames.Key(status);
}
