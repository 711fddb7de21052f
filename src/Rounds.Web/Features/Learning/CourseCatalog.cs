using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Learning;

public sealed record ModuleRow(Module Module, ModuleState State, int AttemptsUsed, bool Open, int SecondsSpent, Guid? LastLessonId);

public sealed record CourseView(Course Course, IReadOnlyList<ModuleRow> Modules)
{
    public bool AllPassed => Modules.Count > 0 && Modules.All(m => m.State == ModuleState.Passed);
}

/// <summary>The courses of an organization as one learner sees them, and the course Rounds ships.</summary>
public sealed class CourseCatalog(RoundsDbContext db, TimeProvider clock, ILogger<CourseCatalog> logger)
{
    public const string ShippedCourseKey = "social-media-basics";

    private static readonly Lazy<string> ShippedJson = new(() =>
    {
        using var stream = typeof(CourseCatalog).Assembly.GetManifestResourceStream("Rounds.Web.Features.Learning.Content.social-media-basics.json")
            ?? throw new InvalidOperationException("The shipped course is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string ShippedCourseJson => ShippedJson.Value;

    /// <summary>
    /// Copies the shipped course into the organization the first time anyone there opens Learning, so that
    /// every organization, old or new, has it and can adapt its own copy (docs/decisions/0005-learning-course-copied-into-each-organization.md).
    /// </summary>
    public async Task EnsureShippedCourseAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        if (await db.Set<Course>().AnyAsync(c => c.OrganizationId == organizationId && c.Key == ShippedCourseKey, cancellationToken))
        {
            return;
        }

        var (document, error) = CourseDocument.Parse(ShippedCourseJson);
        var course = document?.ToCourse(organizationId, clock.GetUtcNow()) ?? throw new InvalidOperationException("The shipped course is invalid: " + error);
        db.Add(course);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // Two first visits at once: the unique key lets one of them win, and the other simply uses its copy.
            logger.LogInformation(e, "The shipped course was installed concurrently in {Organization}.", organizationId);
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyList<CourseView>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        await EnsureShippedCourseAsync(org.Id, cancellationToken);
        var query = db.Set<Course>().AsNoTracking().Where(c => c.OrganizationId == org.Id);
        if (org.OrganizationMember.Source == MemberSource.CourseGrant)
        {
            // Someone who joined only to take a course they were given sees that course, not everything the organization teaches.
            query = query.Where(c => db.Set<CourseGrant>().Any(g => g.CourseId == c.Id && g.UserId == org.UserId && g.WithdrawnAt == null));
        }

        var courses = await query.Include(c => c.Modules).OrderBy(c => c.Title).ToListAsync(cancellationToken);
        var attempts = await db.Set<Attempt>().Where(a => a.OrganizationId == org.Id && a.UserId == org.UserId)
            .OrderBy(a => a.Number).Select(a => new { a.ModuleId, a.Passed }).ToListAsync(cancellationToken);
        var progress = await db.Set<ModuleProgress>().Where(p => p.OrganizationId == org.Id && p.UserId == org.UserId).ToListAsync(cancellationToken);
        return courses.Select(course =>
        {
            var rows = new List<ModuleRow>();
            var earlierPassed = true;
            foreach (var module in course.Modules.OrderBy(m => m.Position))
            {
                var results = attempts.Where(a => a.ModuleId == module.Id).Select(a => a.Passed).ToList();
                var started = progress.FirstOrDefault(p => p.ModuleId == module.Id);
                var state = Assessment.State(started is not null, results);
                rows.Add(new ModuleRow(module, state, results.Count, !course.Sequential || earlierPassed, started?.SecondsSpent ?? 0, started?.LastLessonId));
                earlierPassed &= state == ModuleState.Passed;
            }

            return new CourseView(course, rows);
        }).ToList();
    }

    public async Task<CourseView?> FindAsync(OrgContext org, Guid courseId, CancellationToken cancellationToken = default) =>
        (await ListAsync(org, cancellationToken)).FirstOrDefault(c => c.Course.Id == courseId);

    /// <summary>A module with its lessons and questions, and the course it belongs to, for the learner pages.</summary>
    public async Task<(CourseView Course, ModuleRow Row, Module Module)?> ModuleAsync(OrgContext org, Guid moduleId, CancellationToken cancellationToken = default)
    {
        var module = await db.Set<Module>().AsNoTracking().Where(m => m.Id == moduleId && m.OrganizationId == org.Id)
            .Include(m => m.Lessons).Include(m => m.Questions).AsSplitQuery().FirstOrDefaultAsync(cancellationToken);
        if (module is null)
        {
            return null;
        }

        var course = await FindAsync(org, module.CourseId, cancellationToken);
        return course is null ? null : (course, course.Modules.Single(r => r.Module.Id == moduleId), module);
    }
}
