namespace Rounds.Web.Features.Publishing.Contracts;

/// <param name="ApproverIds">The members who may act on the step, before the author is set aside.</param>
/// <param name="EveryoneMustApprove">The step's quorum is "all": every approver but the author; otherwise one is enough.</param>
public sealed record WorkflowStep(int Position, string Name, IReadOnlyList<string> ApproverIds, bool EveryoneMustApprove);

/// <param name="OneApproverManySteps">Whether an admin let one person approve several steps of the same text.</param>
public sealed record AccountWorkflow(IReadOnlyList<WorkflowStep> Steps, bool OneApproverManySteps);

/// <summary>
/// An account's approval workflow as publishing keeps it, for other areas whose text also goes out as the account
/// (the inbox's replies): the same steps and people approve, and nobody configures a second workflow.
/// </summary>
public interface IApprovalWorkflows
{
    Task<AccountWorkflow> ForAccountAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);
}
