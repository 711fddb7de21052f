using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

public sealed record AlertRow(
    Guid Id, Guid AccountId, string Account, string PostId, string PostUrl, string FindingType, string FindingMessage,
    DateTimeOffset PostedAt, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt, string ResolvedBy, string ResolutionNote);

public sealed record ResolveInput(string? Note);

/// <param name="Confirm">The reviewer confirms that the post is to be removed from the network.</param>
public sealed record DeletePostInput(bool Confirm);

/// <summary>Alerts on posts the organization's accounts published with a blocking finding; open ones first.</summary>
public sealed class Alerts(RoundsDbContext db, IAccountDirectory accounts, Rounds.Web.Features.Publishing.Contracts.IConnectedAccounts connections, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Removing what an account said is a reviewer's decision, not the account manager's.</summary>
    public const Role DeleteRole = Role.Reviewer;

    public const int PageSize = 200;

    public async Task<IReadOnlyList<AlertRow>> ListAsync(OrgContext org, bool includeResolved, CancellationToken cancellationToken = default)
    {
        var query = db.Set<MonitoringAlert>().AsNoTracking().Where(a => a.OrganizationId == org.Id);
        if (!includeResolved)
        {
            query = query.Where(a => a.ResolvedAt == null);
        }

        var found = await query.OrderBy(a => a.ResolvedAt != null).ThenByDescending(a => a.RaisedAt).Take(PageSize).ToListAsync(cancellationToken);
        return await RowsAsync(org.Id, found, cancellationToken);
    }

    /// <summary>How many alerts wait for someone, counted in the database from the (organization, resolved) index rather than by reading a page of them.</summary>
    public Task<int> OpenCountAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        db.Set<MonitoringAlert>().CountAsync(a => a.OrganizationId == org.Id && a.ResolvedAt == null, cancellationToken);

    public async Task<AlertRow?> FindAsync(OrgContext org, Guid alertId, CancellationToken cancellationToken = default)
    {
        var alert = await db.Set<MonitoringAlert>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == alertId && a.OrganizationId == org.Id, cancellationToken);
        return alert is null ? null : (await RowsAsync(org.Id, [alert], cancellationToken))[0];
    }

    /// <summary>Marks the alert handled, with what was done; resolving twice keeps the first resolution.</summary>
    public async Task<Outcome> ResolveAsync(OrgContext org, Guid alertId, ResolveInput input, CancellationToken cancellationToken = default)
    {
        var alert = await db.Set<MonitoringAlert>().FirstOrDefaultAsync(a => a.Id == alertId && a.OrganizationId == org.Id, cancellationToken);
        if (alert is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Inbox.ViewRole))
        {
            return Outcome.Forbidden("Only account managers, reviewers and admins resolve alerts.");
        }

        var note = input.Note?.Trim() ?? "";
        if (note.Length > 2000)
        {
            return Outcome.Invalid("Note", "A note has at most 2,000 characters.");
        }

        if (alert.ResolvedAt is not null)
        {
            return Outcome.Refused("The alert is already resolved.");
        }

        alert.ResolvedAt = clock.GetUtcNow();
        alert.ResolvedBy = org.UserId;
        alert.ResolutionNote = note;
        audit.Record(org.Id, "monitoring.alert.resolved", nameof(MonitoringAlert), alert.Id.ToString(), after: new { alert.PostId, alert.FindingType, Note = note });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>
    /// Deletes the alerted post through the account's connection, once a reviewer confirms, and resolves every open
    /// alert on that post. Only for accounts Rounds publishes for: others are resolved after the owner acts.
    /// </summary>
    public async Task<Outcome> DeletePostAsync(OrgContext org, Guid alertId, DeletePostInput input, CancellationToken cancellationToken = default)
    {
        var alert = await db.Set<MonitoringAlert>().FirstOrDefaultAsync(a => a.Id == alertId && a.OrganizationId == org.Id, cancellationToken);
        if (alert is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(DeleteRole))
        {
            return Outcome.Forbidden("Only reviewers and admins delete a post from the network.");
        }

        if (!input.Confirm)
        {
            return Outcome.Invalid("Confirm", "Confirm that the post is to be deleted from the network; this cannot be undone.");
        }

        if (alert.ResolvedAt is not null)
        {
            return Outcome.Refused("The alert is already resolved.");
        }

        var connector = await connections.ConnectorForAsync(org.Id, alert.AccountId, cancellationToken);
        if (connector is null)
        {
            return Outcome.Refused("Rounds does not publish for this account, so it cannot delete the post: contact the owner.");
        }

        try
        {
            await connector.DeleteAsync(new Rounds.Networks.PublishedPost(alert.PostId, alert.PostUrl), cancellationToken);
        }
        catch (Exception e) when (e is Rounds.Networks.NetworkException or ArgumentException)
        {
            return Outcome.Refused("The network did not delete the post: " + e.Message);
        }

        var now = clock.GetUtcNow();
        var open = await db.Set<MonitoringAlert>().Where(a => a.AccountId == alert.AccountId && a.PostId == alert.PostId && a.ResolvedAt == null).ToListAsync(cancellationToken);
        foreach (var each in open)
        {
            (each.ResolvedAt, each.ResolvedBy, each.ResolutionNote) = (now, org.UserId, "Deleted from the network through Rounds.");
        }

        audit.Record(org.Id, "monitoring.post.deleted", nameof(MonitoringAlert), alert.Id.ToString(), after: new { alert.AccountId, alert.PostId, Alerts = open.Select(a => a.FindingType) });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private async Task<IReadOnlyList<AlertRow>> RowsAsync(Guid organizationId, IReadOnlyList<MonitoringAlert> alerts, CancellationToken cancellationToken)
    {
        var cards = (await accounts.FindManyAsync(organizationId, alerts.Select(a => a.AccountId).Distinct(), cancellationToken)).ToDictionary(a => a.Id);
        var resolvers = alerts.Where(a => a.ResolvedBy != null).Select(a => a.ResolvedBy!).Distinct().ToList();
        var names = await db.People().Where(p => resolvers.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
        return alerts.Select(a => new AlertRow(
            a.Id, a.AccountId, cards.TryGetValue(a.AccountId, out var card) ? card.Label : "a retired account", a.PostId, a.PostUrl, a.FindingType, a.FindingMessage,
            a.PostedAt, a.RaisedAt, a.ResolvedAt, a.ResolvedBy is { } who && names.TryGetValue(who, out var name) ? name : "", a.ResolutionNote)).ToList();
    }
}
