using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

public sealed record CategoryInput(string? Name, string? Description, string? ReadRole, string? PostRole);

/// <summary>Admins lay out the board: categories, each with the least role that reads it and the least role that posts in it.</summary>
public sealed class Categories(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CommunityCategory>> CreateAsync(OrgContext org, CategoryInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only admins add categories.");
        }

        var name = input.Name?.Trim() ?? "";
        var description = input.Description?.Trim() ?? "";
        var problem = BoardText.Check("Name", name, BoardLimits.CategoryName) ?? BoardText.Check("Description", description, BoardLimits.CategoryDescription);
        if (problem is not null)
        {
            return problem;
        }

        if (name.Length == 0 || name.Contains('\n', StringComparison.Ordinal))
        {
            return Outcome.Invalid("Name", "Name the category, on one line.");
        }

        if (!Roles.TryParse(string.IsNullOrWhiteSpace(input.ReadRole) ? "member" : input.ReadRole, out var read))
        {
            return Outcome.Invalid("ReadRole", "Choose a role: member, contributor, account_manager, reviewer or admin.");
        }

        if (!Roles.TryParse(string.IsNullOrWhiteSpace(input.PostRole) ? Roles.Key(read) : input.PostRole, out var post))
        {
            return Outcome.Invalid("PostRole", "Choose a role: member, contributor, account_manager, reviewer or admin.");
        }

        if (post < read)
        {
            return Outcome.Invalid("PostRole", "Whoever posts must be able to read: choose a posting role at or above the reading role.");
        }

        var names = await db.Set<CommunityCategory>().Where(c => c.OrganizationId == org.Id).Select(c => c.Name).ToListAsync(cancellationToken);
        if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return Outcome.Invalid("Name", $"There is already a category named {name}.");
        }

        var category = new CommunityCategory { OrganizationId = org.Id, Name = name, Description = description, ReadRole = read, PostRole = post, Position = names.Count, CreatedAt = clock.GetUtcNow() };
        db.Add(category);
        audit.Record(org.Id, "community_category.created", nameof(CommunityCategory), category.Id.ToString(), after: new { category.Name, ReadRole = Roles.Key(read), PostRole = Roles.Key(post) });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityCategory>(Outcome.Success, category);
    }
}
