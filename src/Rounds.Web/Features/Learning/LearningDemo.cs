using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// Demo learning records: the shipped course in the demo organizations, one physician with two modules passed
/// and a certificate, and a contributor part-way through the introduction.
/// </summary>
public sealed class LearningDemo(RoundsDbContext db, CourseCatalog catalog, StudyModule study, SubmitAttempt submit, ClaimCredit claim, TimeProvider clock, ILogger<LearningDemo> logger) : IDemoData
{
    public int Order => 30;

    /// <summary>An invented provider: the shipped statements name none, and credit is refused until one is named.</summary>
    public const string DemoProvider = "Northfield Health Office of Continuing Medical Education";

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        await SeedAsync(world.OrganizationId, world.NetworkId, "dr.sorensen@northfield.example", "contributor@northfield.example", cancellationToken);

        // Modules a contributor took elsewhere, recorded by an admin; they count for her account requests.
        var recorded = clock.GetUtcNow().AddDays(-100);
        foreach (var module in new[] { "introduction", "professionalism", "facebook-instagram" })
        {
            db.Add(new TrainingCompletion { OrganizationId = world.OrganizationId, UserId = world.UserIds["contributor@northfield.example"], ModuleKey = module, CompletedOn = DateOnly.FromDateTime(recorded.UtcDateTime).AddDays(-8), RecordedBy = "admin@northfield.example", RecordedAt = recorded });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SeedAsync(Guid organizationId, Guid networkId, string physicianEmail, string contributorEmail, CancellationToken cancellationToken = default)
    {
        await catalog.EnsureShippedCourseAsync(organizationId, cancellationToken);
        await catalog.EnsureShippedCourseAsync(networkId, cancellationToken);
        var courses = await db.Set<Course>().Include(c => c.Modules).Where(c => c.OrganizationId == organizationId).ToListAsync(cancellationToken);
        foreach (var designation in courses.SelectMany(c => c.Modules.Select(m => m.Credit).Prepend(c.Credit)))
        {
            CreditRules.NameProvider(designation, DemoProvider);
        }

        await db.SaveChangesAsync(cancellationToken);

        var physician = await ContextAsync(organizationId, physicianEmail, cancellationToken);
        foreach (var key in new[] { "introduction", "professionalism" })
        {
            var module = await db.Set<Module>().AsNoTracking().Include(m => m.Questions).FirstAsync(m => m.OrganizationId == organizationId && m.Key == key, cancellationToken);
            await study.RecordAsync(physician, module.Id, null, cancellationToken);
            await submit.RunAsync(physician, module.Id, module.Questions.ToDictionary(q => q.Id, q => (IReadOnlySet<int>)q.Correct.ToHashSet()), cancellationToken);
            if (key == "professionalism")
            {
                var claimed = await claim.RunAsync(physician, module.Id, new ClaimRequest(0.5m, new Evaluation(5, true, "Check every photo for whiteboards and wristbands before posting."), true, "MD", "1912345670", 4, 17), cancellationToken);
                if (!claimed.Succeeded)
                {
                    // The designation may have expired when the demo is run years from now; the passes still show.
                    logger.LogInformation("The demo credit claim was not made: {Reason}", claimed.Status.Message);
                }
            }
        }

        var contributor = await ContextAsync(organizationId, contributorEmail, cancellationToken);
        var introduction = await db.Set<Module>().AsNoTracking().Include(m => m.Lessons).FirstAsync(m => m.OrganizationId == organizationId && m.Key == "introduction", cancellationToken);
        await study.RecordAsync(contributor, introduction.Id, introduction.Lessons.OrderBy(l => l.Position).Last().Id, cancellationToken);
    }

    private async Task<OrgContext> ContextAsync(Guid organizationId, string email, CancellationToken cancellationToken)
    {
        var normalized = email.ToUpperInvariant();
        var row = await (
            from m in db.OrganizationMembers
            join o in db.Organizations on m.OrganizationId equals o.Id
            join u in db.People() on m.UserId equals u.Id
            where m.OrganizationId == organizationId && u.NormalizedEmail == normalized
            select new { o, m }).FirstAsync(cancellationToken);
        return new OrgContext(row.o, row.m, row.m.UserId);
    }
}
