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

    /// <summary>Where the module was completed and on what evidence, in the words of whoever recorded it.</summary>
    public string Note { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class TrainingCompletionConfiguration : IEntityTypeConfiguration<TrainingCompletion>
{
    public void Configure(EntityTypeBuilder<TrainingCompletion> builder)
    {
        builder.Property(t => t.ModuleKey).HasMaxLength(64);
        builder.Property(t => t.RecordedBy).HasMaxLength(256);
        builder.Property(t => t.Note).HasMaxLength(TrainingRegister.MaxNote);
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

public sealed record TrainingRow(Guid Id, string UserId, string Person, string ModuleKey, DateOnly CompletedOn, string RecordedBy, string Note);

/// <summary>
/// Admins keep the register of training completed outside Rounds. Reviewers may record one too, for a requester
/// whose training was done elsewhere, but must say where and on what evidence: the note is audited with the record.
/// Only admins remove records.
/// </summary>
public sealed class TrainingRegister(RoundsDbContext db, IAuditLog audit, ICurrentActor actor, ViewerTime time, TimeProvider clock)
{
    public const int MaxNote = 500;

    public Task<List<TrainingRow>> ListAsync(OrgContext org, CancellationToken cancellationToken = default) => (
        from t in db.Set<TrainingCompletion>()
        join u in db.People() on t.UserId equals u.Id
        where t.OrganizationId == org.Id
        orderby u.DisplayName, t.ModuleKey
        select new TrainingRow(t.Id, t.UserId, u.DisplayName + " <" + u.Email + ">", t.ModuleKey, t.CompletedOn, t.RecordedBy, t.Note)).ToListAsync(cancellationToken);

    public async Task<Outcome> RecordAsync(OrgContext org, string? email, string? moduleKey, DateOnly? completedOn, string? note = null, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Refused("Only reviewers and admins record training completed elsewhere.");
        }

        note = note?.Trim() ?? "";
        if (note.Length == 0 && !org.IsAtLeast(Role.Admin))
        {
            return Outcome.Invalid("Note", "Say where the module was completed and how you know (e.g. \"Grand rounds on 3 December, sign-in sheet\").");
        }

        if (note.Length > MaxNote)
        {
            return Outcome.Invalid("Note", $"Keep the note under {MaxNote} characters.");
        }

        var normalized = (email ?? "").Trim().ToUpperInvariant();
        var userId = await (from u in db.People()
                            join m in db.OrganizationMembers on u.Id equals m.UserId
                            where m.OrganizationId == org.Id && u.NormalizedEmail == normalized
                            select u.Id).FirstOrDefaultAsync(cancellationToken);
        if (userId == org.UserId && !org.IsAtLeast(Role.Admin))
        {
            // Training gates account requests; a reviewer vouching for their own would gate nothing.
            return Outcome.Refused("Your own training is recorded by an admin or through the courses.");
        }

        if (userId is null)
        {
            return Outcome.Invalid("Email", "No member of this organization has that email address.");
        }

        moduleKey = (moduleKey ?? "").Trim().ToLowerInvariant();
        if (!RequiredModules.AllKeys.Contains(moduleKey))
        {
            return Outcome.Invalid("ModuleKey", "Choose one of the modules: " + string.Join(", ", RequiredModules.AllKeys) + ".");
        }

        // The date the person recording it sees on their calendar, so "today" is never refused as the future.
        var today = time.Today(clock);
        var on = completedOn ?? today;
        if (on > today)
        {
            return Outcome.Invalid("CompletedOn", "The completion date cannot be in the future.");
        }

        if (await db.Set<TrainingCompletion>().AnyAsync(t => t.OrganizationId == org.Id && t.UserId == userId && t.ModuleKey == moduleKey, cancellationToken))
        {
            return Outcome.Invalid("ModuleKey", "That completion is already recorded.");
        }

        var row = new TrainingCompletion { OrganizationId = org.Id, UserId = userId, ModuleKey = moduleKey, CompletedOn = on, RecordedBy = actor.Name, RecordedAt = clock.GetUtcNow(), Note = note };
        db.Add(row);
        audit.Record(org.Id, "training.recorded", "TrainingCompletion", row.Id.ToString(), after: new { email, moduleKey, on, note });
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
