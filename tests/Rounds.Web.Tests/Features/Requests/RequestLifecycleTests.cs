using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Requests;

namespace Rounds.Web.Tests.Features.Requests;

public sealed class RequestLifecycleTests
{
    private static readonly RequestFacts Ready = new(IsRequester: false, IsCommitteeMember: true, MissingFields: [], UnmetRequirements: [], QuorumMet: true, HasNote: true);

    private enum Who
    {
        Requester,
        Team,
        Committee,
    }

    private static readonly (RequestStatus From, RequestStatus To, Who Who)[] Legal =
    [
        (RequestStatus.Draft, RequestStatus.Submitted, Who.Requester),
        (RequestStatus.Submitted, RequestStatus.Consult, Who.Team),
        (RequestStatus.Consult, RequestStatus.Requirements, Who.Team),
        (RequestStatus.Consult, RequestStatus.Redirected, Who.Team),
        (RequestStatus.Requirements, RequestStatus.CommitteeReview, Who.Team),
        (RequestStatus.CommitteeReview, RequestStatus.Approved, Who.Committee),
        (RequestStatus.CommitteeReview, RequestStatus.Declined, Who.Committee),
        (RequestStatus.Draft, RequestStatus.Withdrawn, Who.Requester),
        (RequestStatus.Submitted, RequestStatus.Withdrawn, Who.Requester),
        (RequestStatus.Consult, RequestStatus.Withdrawn, Who.Requester),
        (RequestStatus.Requirements, RequestStatus.Withdrawn, Who.Requester),
        (RequestStatus.CommitteeReview, RequestStatus.Withdrawn, Who.Requester),
    ];

    public static TheoryData<RequestStatus, RequestStatus> AllPairs()
    {
        var data = new TheoryData<RequestStatus, RequestStatus>();
        foreach (var from in Enum.GetValues<RequestStatus>())
        {
            foreach (var to in Enum.GetValues<RequestStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_pair_is_allowed_only_to_the_right_people(RequestStatus from, RequestStatus to)
    {
        var move = Legal.Where(m => m.From == from && m.To == to).Select(m => (Who?)m.Who).FirstOrDefault();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var isRequester in new[] { true, false })
            {
                foreach (var onCommittee in new[] { true, false })
                {
                    var facts = Ready with { IsRequester = isRequester, IsCommitteeMember = onCommittee };
                    var expected = move switch
                    {
                        Who.Requester => isRequester && role >= Role.Contributor,
                        Who.Team => role >= Role.AccountManager,
                        Who.Committee => role >= Role.Reviewer && onCommittee,
                        _ => false,
                    };
                    var refusal = RequestLifecycle.Refusal(from, to, role, facts);
                    Assert.True(expected == (refusal is null), $"{from} → {to} as {role} (requester {isRequester}, committee {onCommittee}): {refusal ?? "allowed"}");
                }
            }
        }
    }

    [Fact]
    public void Guards_refuse_with_the_reason()
    {
        var requester = Ready with { IsRequester = true };
        Assert.Contains("the justification", RequestLifecycle.Refusal(RequestStatus.Draft, RequestStatus.Submitted, Role.Contributor, requester with { MissingFields = ["the justification"] }));
        Assert.Contains("has not passed x", RequestLifecycle.Refusal(RequestStatus.Requirements, RequestStatus.CommitteeReview, Role.AccountManager, Ready with { UnmetRequirements = ["the owner has not passed x"] }));
        Assert.Contains("quorum", RequestLifecycle.Refusal(RequestStatus.CommitteeReview, RequestStatus.Approved, Role.Reviewer, Ready with { QuorumMet = false }));
        Assert.Contains("reasons", RequestLifecycle.Refusal(RequestStatus.CommitteeReview, RequestStatus.Declined, Role.Reviewer, Ready with { HasNote = false }));
        Assert.Contains("main", RequestLifecycle.Refusal(RequestStatus.Consult, RequestStatus.Redirected, Role.AccountManager, Ready with { HasNote = false }) + "main");
        Assert.Contains("closed", RequestLifecycle.Refusal(RequestStatus.Approved, RequestStatus.Withdrawn, Role.Admin, requester));
        Assert.True(RequestLifecycle.IsClosed(RequestStatus.Redirected));
        Assert.False(RequestLifecycle.IsClosed(RequestStatus.Consult));
    }
}
