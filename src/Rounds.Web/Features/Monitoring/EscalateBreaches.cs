using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// Tells a second person when a conversation's answer is about to be late: the policy's escalation contact (or,
/// without one, the admins), never the person it is assigned to, who is the first. Each due time escalates once;
/// a new message that sets a new due time can escalate again.
/// </summary>
public sealed class EscalateBreaches(RoundsDbContext db, IAccountDirectory accounts, INotifier notifier, TimeProvider clock)
{
    /// <summary>Escalates what is due soon in every organization with an escalating policy; returns how many conversations escalated.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var organizations = await db.Set<SlaPolicy>().Where(p => p.EscalateBeforeMinutes != null).Select(p => p.OrganizationId).Distinct().ToListAsync(cancellationToken);
        var escalated = 0;
        foreach (var organizationId in organizations)
        {
            escalated += await RunAsync(organizationId, cancellationToken);
        }

        return escalated;
    }

    public async Task<int> RunAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var policies = await SlaPolicies.ForAccountsAsync(db, organizationId, cancellationToken);
        var waiting = await db.Set<Conversation>().Where(c => c.OrganizationId == organizationId && c.WaitingSince != null).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var slug = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        List<string>? admins = null;
        var escalated = 0;
        foreach (var conversation in waiting)
        {
            var policy = policies.GetValueOrDefault(conversation.AccountId) ?? policies.GetValueOrDefault(Guid.Empty);
            if (policy?.EscalateBeforeMinutes is not { } lead || SlaClock.DueOf(policy, conversation, now) is not { } due
                || due.DueAt == DateTimeOffset.MaxValue || conversation.EscalatedDueAt == due.DueAt || now < due.DueAt.AddMinutes(-lead))
            {
                continue;
            }

            // Answered once, with no next-response target: nothing more is due.
            if (due.Target == SlaTarget.First && conversation.FirstResponseAt is not null)
            {
                continue;
            }

            admins ??= await notifier.MembersAtLeastAsync(organizationId, Role.Admin, cancellationToken);
            var second = (policy.EscalateTo is { } contact ? [contact] : admins).Where(id => id != conversation.AssignedTo).ToList();
            if (second.Count == 0)
            {
                second = admins.Where(id => id != conversation.AssignedTo).ToList();
            }

            var account = await accounts.FindAsync(organizationId, conversation.AccountId, cancellationToken);
            var answer = due.Target == SlaTarget.First ? "first answer" : "next answer";
            var when = due.Breached ? "was due" : "is due";
            await notifier.NotifyAsync(organizationId, second, $"monitoring-escalation:{conversation.Id}:{due.DueAt.ToUnixTimeSeconds()}",
                $"Nobody has answered a conversation on {account?.Label ?? "an account"}; its {answer} {when} at {due.DueAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC",
                $"/o/{slug}/inbox/{conversation.Id}", cancellationToken);
            conversation.EscalatedDueAt = due.DueAt;
            escalated++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return escalated;
    }
}

/// <summary>Looks for answers about to be late every minute, where the instance does monitoring's background work.</summary>
public sealed class EscalationRounds(IServiceScopeFactory scopes, TimeProvider clock, ILogger<EscalationRounds> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override bool Enabled => configuration.GetValue(IngestionRounds.EnabledSetting, true);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<EscalateBreaches>().RunAsync(cancellationToken);
}
