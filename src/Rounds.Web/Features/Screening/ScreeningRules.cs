using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Screening.Rules;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Screening;

/// <summary>
/// Each organization's screener. Building a screener compiles the rule set, so screeners are kept per
/// organization and rebuilt only when its rules change.
/// </summary>
public sealed class ScreenerCache
{
    private readonly ConcurrentDictionary<Guid, (string Json, Screener Screener)> screeners = new();

    public static Screener Default { get; } = new();

    public Screener For(Guid organizationId, string? json)
    {
        if (json is null)
        {
            return Default;
        }

        if (screeners.TryGetValue(organizationId, out var cached) && cached.Json == json)
        {
            return cached.Screener;
        }

        // Stored rules were validated when saved; a rule set that no longer parses falls back to the defaults.
        var parsed = RuleSet.Parse(json);
        var screener = parsed.IsValid ? new Screener(parsed.RuleSet) : Default;
        screeners[organizationId] = (json, screener);
        return screener;
    }
}

/// <summary>Reads, validates and saves an organization's screening rules, and screens posts with them.</summary>
public sealed class ScreeningRules(RoundsDbContext db, ScreenerCache cache, IAuditLog audit, ICurrentActor actor, TimeProvider clock) : IOrganizationScreener
{
    /// <summary>Room for the largest valid rule set written out with generous indentation and every rule listed.</summary>
    public const int MaxJsonLength = 2_000_000;

    public async Task<string?> StoredJsonAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await db.Set<OrganizationRuleSet>().Where(r => r.OrganizationId == organizationId).Select(r => r.Json).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The default rules written out in full, every rule with its default severity, so that an editor sees
    /// every rule there is to switch off or tune.
    /// </summary>
    public static string DefaultJson { get; } = new RuleSet(RuleCatalog.All.ToDictionary(r => r.Id, r => new RuleSettings(true, r.DefaultSeverity))).ToJson();

    /// <summary>The rules in force: the organization's own, or the default set.</summary>
    public async Task<string> EffectiveJsonAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await StoredJsonAsync(organizationId, cancellationToken) ?? DefaultJson;

    public async Task<ScreeningResult> ScreenAsync(Guid organizationId, Post post, Profile profile, CancellationToken cancellationToken = default)
    {
        var screener = cache.For(organizationId, await StoredJsonAsync(organizationId, cancellationToken));
        return screener.Screen(post, profile);
    }

    /// <summary>Saves new rules after validating them; errors name the JSON path at fault and nothing is saved.</summary>
    public async Task<Outcome> SaveAsync(OrgContext org, string? json, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Outcome.Invalid("Json", "Enter the rules as a JSON object, or reset to the defaults.");
        }

        // Parsing reports every problem with its path; a body far beyond the largest valid rule set is refused unread.
        if (json.Length > MaxJsonLength)
        {
            return Outcome.Invalid("Json", $"A rule set holds at most {RuleSet.MaxEntries:N0} entries of {RuleSet.MaxEntryLength} characters; this text is {json.Length:N0} characters long.");
        }

        var parsed = RuleSet.Parse(json);
        if (!parsed.IsValid)
        {
            return new Outcome(OutcomeKind.Invalid, new Dictionary<string, string[]> { ["Json"] = parsed.Errors.Select(e => e.ToString()).ToArray() }, "The rules are not valid.");
        }

        var normalized = parsed.RuleSet!.ToJson();
        var row = await db.Set<OrganizationRuleSet>().FirstOrDefaultAsync(r => r.OrganizationId == org.Id, cancellationToken);
        var before = row?.Json;
        if (row is null)
        {
            row = new OrganizationRuleSet { OrganizationId = org.Id };
            db.Add(row);
        }

        row.Json = normalized;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = actor.Name;
        audit.Record(org.Id, "screening.rules_changed", "OrganizationRuleSet", org.Id.ToString(), before is null ? null : new { rules = before }, new { rules = normalized });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> ResetAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var row = await db.Set<OrganizationRuleSet>().FirstOrDefaultAsync(r => r.OrganizationId == org.Id, cancellationToken);
        if (row is null)
        {
            return Outcome.Success;
        }

        db.Remove(row);
        audit.Record(org.Id, "screening.rules_reset", "OrganizationRuleSet", org.Id.ToString(), new { rules = row.Json }, null);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
