using System.Security.Claims;
using System.Text.Json;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Audit;

/// <summary>Who is acting: the signed-in person, or the command line.</summary>
public interface ICurrentActor
{
    string? UserId { get; }

    string Name { get; }
}

internal sealed class HttpCurrentActor(IHttpContextAccessor accessor) : ICurrentActor
{
    public string? UserId => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string Name
    {
        get
        {
            var user = accessor.HttpContext?.User;
            return user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name ?? "system";
        }
    }
}

/// <summary>
/// Adds audit entries to the same unit of work as the change they describe, so that an action and its
/// record are saved together or not at all.
/// </summary>
public sealed class AuditLog(RoundsDbContext db, ICurrentActor actor, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AuditEntry Record(Guid? organizationId, string action, string entityType, string entityId, object? before = null, object? after = null)
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
        return entry;
    }
}
