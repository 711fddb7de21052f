namespace Rounds.Web.Features.Audit.Contracts;

/// <summary>
/// Records a governance action in the append-only audit log. The entry joins the caller's unit of work, so an
/// action and its record are saved together or not at all.
/// </summary>
public interface IAuditLog
{
    /// <param name="organizationId">The organization acted in; null for instance-wide actions such as sign-in.</param>
    /// <param name="action">A stable dotted name such as <c>post.approved</c>.</param>
    /// <param name="before">What the entity looked like before, serialized as JSON; null for a creation.</param>
    /// <param name="after">What it looks like after; null for a deletion.</param>
    void Record(Guid? organizationId, string action, string entityType, string entityId, object? before = null, object? after = null);
}
