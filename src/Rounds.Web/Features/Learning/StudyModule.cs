using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Learning;

/// <summary>Records that a learner is reading a lesson: where to resume, and the time spent.</summary>
public sealed class StudyModule(RoundsDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(OrgContext org, Guid moduleId, Guid? lessonId, CancellationToken cancellationToken = default)
    {
        var progress = await TouchAsync(db, org, moduleId, clock.GetUtcNow(), cancellationToken);
        if (lessonId is not null)
        {
            progress.LastLessonId = lessonId;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The learner's progress row, created on the first step, with the time since the last step added.</summary>
    internal static async Task<ModuleProgress> TouchAsync(RoundsDbContext db, OrgContext org, Guid moduleId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var progress = await db.Set<ModuleProgress>().FirstOrDefaultAsync(p => p.OrganizationId == org.Id && p.UserId == org.UserId && p.ModuleId == moduleId, cancellationToken);
        if (progress is null)
        {
            progress = new ModuleProgress { OrganizationId = org.Id, UserId = org.UserId, ModuleId = moduleId, StartedAt = now, LastActivityAt = now };
            db.Add(progress);
        }

        progress.Touch(now);
        return progress;
    }
}
