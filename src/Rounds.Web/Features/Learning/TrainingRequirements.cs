using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

public sealed record RequirementView(string AccountKind, string Label, IReadOnlyList<string> ModuleKeys, bool IncludePlatformModule, bool IsDefault);

/// <summary>
/// Which training modules an organization requires before it approves an account of each kind. Account requests
/// ask <see cref="RequiredModulesAsync"/> and then <see cref="ITrainingRecords"/> who is missing what.
/// </summary>
public sealed class TrainingRequirements(RoundsDbContext db, IAuditLog audit) : ITrainingRequirements
{
    public static readonly IReadOnlyList<(string Kind, string Label)> AccountKinds =
    [
        ("enterprise", "Enterprise"),
        ("department", "Department"),
        ("program", "Program"),
        ("individual", "Individual professional"),
        ("branded", "Branded role"),
    ];

    /// <summary>Until an organization decides otherwise: the introduction, professionalism, and the platform's own module.</summary>
    public static readonly IReadOnlyList<string> DefaultModules = ["introduction", "professionalism"];

    /// <summary>The shipped course's module for a platform, or null for platforms it has no module for.</summary>
    public static string? PlatformModule(string? platform) => platform?.Trim().ToLowerInvariant() switch
    {
        // Bluesky, Mastodon and Threads-style short posts are taught in the X module; Doximity with LinkedIn.
        "x" or "twitter" or "bluesky" or "mastodon" => "x",
        "linkedin" or "doximity" => "linkedin",
        "facebook" or "instagram" or "threads" => "facebook-instagram",
        "youtube" or "tiktok" => "youtube",
        _ => null,
    };

    public async Task<IReadOnlyList<string>> RequiredModulesAsync(Guid organizationId, string accountKind, string? platform = null, CancellationToken cancellationToken = default)
    {
        var row = await db.Set<TrainingRequirement>().AsNoTracking().FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.AccountKind == accountKind, cancellationToken);
        var keys = row?.ModuleKeys ?? [.. DefaultModules];
        if ((row?.IncludePlatformModule ?? true) && PlatformModule(platform) is { } platformModule && !keys.Contains(platformModule))
        {
            keys = [.. keys, platformModule];
        }

        return keys;
    }

    public async Task<IReadOnlyList<RequirementView>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var rows = await db.Set<TrainingRequirement>().AsNoTracking().Where(r => r.OrganizationId == org.Id).ToListAsync(cancellationToken);
        return AccountKinds.Select(kind => rows.FirstOrDefault(r => r.AccountKind == kind.Kind) is { } row
                ? new RequirementView(kind.Kind, kind.Label, row.ModuleKeys, row.IncludePlatformModule, false)
                : new RequirementView(kind.Kind, kind.Label, DefaultModules, true, true))
            .ToList();
    }

    public async Task<Outcome> SaveAsync(OrgContext org, string accountKind, IReadOnlyCollection<string> moduleKeys, bool includePlatformModule, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins set training requirements.");
        }

        if (AccountKinds.All(k => k.Kind != accountKind))
        {
            return Outcome.Invalid("AccountKind", "Choose one of: " + string.Join(", ", AccountKinds.Select(k => k.Kind)) + ".");
        }

        var keys = moduleKeys.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Set<Module>().Where(m => m.OrganizationId == org.Id).Select(m => m.Key).Distinct().ToListAsync(cancellationToken);
        if (keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return Outcome.Invalid("ModuleKeys", $"No module has the key '{unknown}'.");
        }

        var row = await db.Set<TrainingRequirement>().FirstOrDefaultAsync(r => r.OrganizationId == org.Id && r.AccountKind == accountKind, cancellationToken);
        var before = row is null ? null : new { row.ModuleKeys, row.IncludePlatformModule };
        if (row is null)
        {
            row = new TrainingRequirement { OrganizationId = org.Id, AccountKind = accountKind };
            db.Add(row);
        }

        row.ModuleKeys = keys;
        row.IncludePlatformModule = includePlatformModule;
        audit.Record(org.Id, "training_requirement.updated", "TrainingRequirement", row.Id.ToString(), before, new { accountKind, moduleKeys = keys, includePlatformModule });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
