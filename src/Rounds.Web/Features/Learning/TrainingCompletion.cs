using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

/// <summary>A training module a person completed, entered by an admin (e.g. from a classroom session's sign-in sheet).</summary>
public sealed class TrainingCompletion : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public string ModuleKey { get; set; } = "";

    public DateOnly CompletedOn { get; set; }

    public string RecordedBy { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class TrainingCompletionConfiguration : IEntityTypeConfiguration<TrainingCompletion>
{
    public void Configure(EntityTypeBuilder<TrainingCompletion> builder)
    {
        builder.Property(t => t.ModuleKey).HasMaxLength(64);
        builder.Property(t => t.RecordedBy).HasMaxLength(256);
        builder.HasIndex(t => new { t.OrganizationId, t.UserId, t.ModuleKey }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Training as recorded by hand; the course-based records of the learning area answer the same question.</summary>
public sealed class RecordedTrainingRecords(RoundsDbContext db) : ITrainingSource
{
    public async Task<IReadOnlyList<string>> MissingModulesAsync(Guid organizationId, string userId, IReadOnlyCollection<string> moduleKeys, CancellationToken cancellationToken = default)
    {
        var done = await db.Set<TrainingCompletion>()
            .Where(t => t.OrganizationId == organizationId && t.UserId == userId && moduleKeys.Contains(t.ModuleKey))
            .Select(t => t.ModuleKey).ToListAsync(cancellationToken);
        return moduleKeys.Except(done).ToList();
    }
}

public sealed record TrainingRow(Guid Id, string UserId, string Person, string ModuleKey, DateOnly CompletedOn, string RecordedBy);

/// <summary>Admins record and remove completions by hand.</summary>
public sealed class TrainingRegister(RoundsDbContext db, IAuditLog audit, ICurrentActor actor, TimeProvider clock)
{
    public Task<List<TrainingRow>> ListAsync(OrgContext org, CancellationToken cancellationToken = default) => (
        from t in db.Set<TrainingCompletion>()
        join u in db.People() on t.UserId equals u.Id
        where t.OrganizationId == org.Id
        orderby u.DisplayName, t.ModuleKey
        select new TrainingRow(t.Id, t.UserId, u.DisplayName + " <" + u.Email + ">", t.ModuleKey, t.CompletedOn, t.RecordedBy)).ToListAsync(cancellationToken);

    public async Task<Outcome> RecordAsync(OrgContext org, string? email, string? moduleKey, DateOnly? completedOn, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins record training by hand.");
        }

        var normalized = (email ?? "").Trim().ToUpperInvariant();
        var userId = await (from u in db.People()
                            join m in db.OrganizationMembers on u.Id equals m.UserId
                            where m.OrganizationId == org.Id && u.NormalizedEmail == normalized
                            select u.Id).FirstOrDefaultAsync(cancellationToken);
        if (userId is null)
        {
            return Outcome.Invalid("Email", "No member of this organization has that email address.");
        }

        moduleKey = (moduleKey ?? "").Trim().ToLowerInvariant();
        if (!RequiredModules.AllKeys.Contains(moduleKey))
        {
            return Outcome.Invalid("ModuleKey", "Choose one of the modules: " + string.Join(", ", RequiredModules.AllKeys) + ".");
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var on = completedOn ?? today;
        if (on > today)
        {
            return Outcome.Invalid("CompletedOn", "The completion date cannot be in the future.");
        }

        if (await db.Set<TrainingCompletion>().AnyAsync(t => t.OrganizationId == org.Id && t.UserId == userId && t.ModuleKey == moduleKey, cancellationToken))
        {
            return Outcome.Invalid("ModuleKey", "That completion is already recorded.");
        }

        var row = new TrainingCompletion { OrganizationId = org.Id, UserId = userId, ModuleKey = moduleKey, CompletedOn = on, RecordedBy = actor.Name, RecordedAt = clock.GetUtcNow() };
        db.Add(row);
        audit.Record(org.Id, "training.recorded", "TrainingCompletion", row.Id.ToString(), after: new { email, moduleKey, on });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public async Task<Outcome> RemoveAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins record training by hand.");
        }

        var row = await db.Set<TrainingCompletion>().FirstOrDefaultAsync(t => t.Id == id && t.OrganizationId == org.Id, cancellationToken);
        if (row is null)
        {
            return Outcome.NotFound;
        }

        db.Remove(row);
        audit.Record(org.Id, "training.removed", "TrainingCompletion", row.Id.ToString(), before: new { row.UserId, row.ModuleKey, row.CompletedOn });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
