using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Publishing;

/// <summary>The name a person goes by, kept on posts and reviews so history reads "Riley Reviewer approved", not an address.</summary>
public static class PeopleNames
{
    public static async Task<string> OfAsync(RoundsDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        var user = await db.People().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
        return user?.DisplayName is { Length: > 0 } name ? name : user?.Email ?? "(former member)";
    }
}
