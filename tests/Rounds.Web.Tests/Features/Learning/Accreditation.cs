using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Learning;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Learning;

/// <summary>
/// Does what an organization's admins must before its learners can claim credit on the shipped course: name the
/// accredited provider on every designation and put its name in place of the placeholder wording.
/// </summary>
public static class Accreditation
{
    public const string Provider = "Lakeside Institute for Medical Education";

    public static Task AccreditAsync(RoundsFactory app, Guid organizationId) => app.WithScopeAsync(async services =>
    {
        await services.GetRequiredService<CourseCatalog>().EnsureShippedCourseAsync(organizationId);
        var db = services.GetRequiredService<RoundsDbContext>();
        var courses = await db.Set<Course>().Include(c => c.Modules).Where(c => c.OrganizationId == organizationId).ToListAsync();
        foreach (var designation in courses.SelectMany(c => c.Modules.Select(m => m.Credit).Prepend(c.Credit)))
        {
            CreditRules.NameProvider(designation, Provider);
        }

        await db.SaveChangesAsync();
    });
}
