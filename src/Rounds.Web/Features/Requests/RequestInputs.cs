namespace Rounds.Web.Features.Requests;

/// <summary>The request form's fields; owner and backup are members' email addresses.</summary>
public class RequestInput
{
    public string? Platform { get; set; }

    public string? ProposedHandle { get; set; }

    public string? Kind { get; set; }

    public string? Department { get; set; }

    public string? Justification { get; set; }

    public string? Goals { get; set; }

    public string? Audience { get; set; }

    public string? PatientBenefit { get; set; }

    public string? OwnerEmail { get; set; }

    public string? BackupEmail { get; set; }

    public decimal OwnerFte { get; set; }

    public string? ContentPlan { get; set; }

    public int PostsPerWeek { get; set; }

    public int ResponseHours { get; set; }
}

public sealed record RequirementsInput(bool OwnerAcceptedPolicy, bool BackupAcceptedPolicy, bool OwnerHasSeat, bool BackupHasSeat);

public sealed record PersonRef(string Id, string Name, string Email);

public sealed record RequestView(
    AccountRequest Request,
    PersonRef Requester,
    PersonRef? Owner,
    PersonRef? Backup,
    IReadOnlyList<RequestEvent> History,
    IReadOnlyList<(RequestVote Vote, string Name)> Votes,
    IReadOnlyList<string> UnmetRequirements,
    IReadOnlyList<string> Committee,
    Quorum Quorum,
    int Approvals,
    int ApprovalsNeeded);
