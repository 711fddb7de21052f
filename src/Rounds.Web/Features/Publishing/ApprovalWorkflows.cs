using Rounds.Web.Features.Publishing.Contracts;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing;

internal sealed class ApprovalWorkflows(ApprovalSteps steps) : IApprovalWorkflows
{
    public async Task<AccountWorkflow> ForAccountAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default)
    {
        var resolved = await steps.ResolveAsync(organizationId, [accountId], cancellationToken);
        return new AccountWorkflow(
            resolved.Select(s => new WorkflowStep(s.Position, s.Name, s.ApproverIds, s.Quorum == Quorum.All)).ToList(),
            await steps.OneApproverManyStepsAsync(organizationId, accountId, cancellationToken));
    }
}
