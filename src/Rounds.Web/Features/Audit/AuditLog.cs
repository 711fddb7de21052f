using System.Text.Json;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit.Contracts;

namespace Rounds.Web.Features.Audit;

/// <summary>
/// Adds audit entries to the same unit of work as the change they describe, so that an action and its
/// record are saved together or not at all.
/// </summary>
internal sealed class AuditLog(RoundsDbContext db, ICurrentActor actor, TimeProvider clock) : IAuditLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(Guid? organizationId, string action, string entityType, string entityId, object? before = null, object? after = null)
    {
        var entry = new AuditEntry
        {
            OrganizationId = organizationId,
            ActorId = actor.UserId,
            ActorName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
            At = clock.GetUtcNow(),
        };
        db.AuditEntries.Add(entry);
    }
}
