using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Audit;

/// <summary>
/// Two years of governance actions for <c>./rounds seed</c>, in the proportions a busy organization leaves:
/// mostly posts moving through review, some account and membership changes.
/// </summary>
internal sealed class SeedAudit(RoundsDbContext db) : ISeedData
{
    private static readonly (string Action, string EntityType, int Weight)[] Actions =
    [
        ("post.created", "Post", 20), ("post.edited", "Post", 12), ("post.submitted", "Post", 18), ("post.approved_step", "Post", 16),
        ("post.changes_requested", "Post", 4), ("post.rejected", "Post", 2), ("post.rescheduled", "Post", 4), ("post.screening_overridden", "Post", 1),
        ("account.updated", "SocialAccount", 3), ("account.connected", "SocialAccount", 1), ("account.dormant", "SocialAccount", 1),
        ("member.role_changed", "OrganizationMember", 1), ("organization.updated", "Organization", 1),
    ];

    private const int RowsPerTransaction = 50_000;

    public int Order => 90;

    public async Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan.AuditEntries <= 0 || plan.Members.Count == 0)
        {
            return;
        }

        var weighted = Actions.SelectMany(a => Enumerable.Repeat(a, a.Weight)).ToArray();
        var random = new Random(plan.Seed + 1);
        var span = TimeSpan.FromDays(730);
        await db.Database.OpenConnectionAsync(cancellationToken);
        for (var start = 0; start < plan.AuditEntries; start += RowsPerTransaction)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await using var entries = new BulkInsert<AuditEntry>(db, transaction.GetDbTransaction());
            var end = Math.Min(plan.AuditEntries, start + RowsPerTransaction);
            for (var n = start; n < end; n++)
            {
                var (action, entityType, _) = weighted[random.Next(weighted.Length)];
                var actor = plan.Members[random.Next(plan.Members.Count)];
                entries.Add(new AuditEntry
                {
                    OrganizationId = plan.OrganizationId, ActorId = actor.UserId, ActorName = actor.Name, Action = action, EntityType = entityType,
                    EntityId = Guid.NewGuid().ToString(), After = $$"""{"revision":{{1 + random.Next(3)}}}""",
                    // In time order, as the log fills up.
                    At = plan.Now - span + TimeSpan.FromTicks(span.Ticks / plan.AuditEntries * n),
                });
            }

            await entries.FlushAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
