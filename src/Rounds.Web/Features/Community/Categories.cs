using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <param name="ReadAudience">Who among those at the reading role reads: <c>everyone</c> (the default), <c>members</c>, <c>premium</c> or <c>group</c>.</param>
/// <param name="ReadGroup">The handle of the group that reads, when <paramref name="ReadAudience"/> is <c>group</c>.</param>
/// <param name="PostAudience">Who among the readers posts; the reading audience when left out.</param>
/// <param name="PostGroup">The handle of the group that posts, when <paramref name="PostAudience"/> is <c>group</c>.</param>
public sealed record CategoryInput(string? Name, string? Description, string? ReadRole, string? PostRole,
    string? ReadAudience = null, string? ReadGroup = null, string? PostAudience = null, string? PostGroup = null);

/// <summary>Who reads and who posts in a category, for changing it after the category was made.</summary>
public sealed record AudienceInput(string? ReadRole, string? PostRole, string? ReadAudience, string? ReadGroup, string? PostAudience, string? PostGroup);

/// <summary>
/// Admins lay out the board: categories, each with the least role that reads it and the least role that posts in
/// it, and who among them reads and posts (everyone, members, premium members, a group; see <see cref="BoardAudience"/>).
/// </summary>
public sealed class Categories(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public static string Key(CategoryAudience audience) => audience switch
    {
        CategoryAudience.Everyone => "everyone",
        CategoryAudience.Members => "members",
        CategoryAudience.PremiumMembers => "premium",
        CategoryAudience.Group => "group",
    };

    public static CategoryAudience? ParseAudience(string? key) =>
        Enum.GetValues<CategoryAudience>().Cast<CategoryAudience?>().FirstOrDefault(a => string.Equals(Key(a!.Value), key?.Trim(), StringComparison.OrdinalIgnoreCase));

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

        var checkedAudience = await CheckAsync(org, new AudienceInput(input.ReadRole, input.PostRole, input.ReadAudience, input.ReadGroup, input.PostAudience, input.PostGroup), cancellationToken);
        if (!checkedAudience.Succeeded)
        {
            return checkedAudience.Status;
        }

        var names = await db.Set<CommunityCategory>().Where(c => c.OrganizationId == org.Id).Select(c => c.Name).ToListAsync(cancellationToken);
        if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return Outcome.Invalid("Name", $"There is already a category named {name}.");
        }

        var category = new CommunityCategory { OrganizationId = org.Id, Name = name, Description = description, Position = names.Count, CreatedAt = clock.GetUtcNow() };
        checkedAudience.Value!.ApplyTo(category);
        db.Add(category);
        audit.Record(org.Id, "community_category.created", nameof(CommunityCategory), category.Id.ToString(), after: new { category.Name, Audience = checkedAudience.Value.ForAudit() });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityCategory>(Outcome.Success, category);
    }

    /// <summary>Changes who reads and posts in a category; it applies at once to lists, search, topics, mail and digests.</summary>
    public async Task<Outcome<CommunityCategory>> SetAudienceAsync(OrgContext org, Guid categoryId, AudienceInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only admins change who reads and posts in a category.");
        }

        var category = await db.Set<CommunityCategory>().FirstOrDefaultAsync(c => c.Id == categoryId && c.OrganizationId == org.Id, cancellationToken);
        if (category is null)
        {
            return Outcome.NotFound;
        }

        var checkedAudience = await CheckAsync(org, input, cancellationToken);
        if (!checkedAudience.Succeeded)
        {
            return checkedAudience.Status;
        }

        var before = Audience.Of(category);
        checkedAudience.Value!.ApplyTo(category);
        audit.Record(org.Id, "community_category.audience_changed", nameof(CommunityCategory), category.Id.ToString(), before: before.ForAudit(), after: checkedAudience.Value.ForAudit());
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CommunityCategory>(Outcome.Success, category);
    }

    /// <summary>A category's readers and posters as checked, with the role and audience keys the API uses.</summary>
    public sealed record Audience(Role Read, Role Post, CategoryAudience ReadAudience, Guid? ReadGroupId, CategoryAudience PostAudience, Guid? PostGroupId)
    {
        public static Audience Of(CommunityCategory c) => new(c.ReadRole, c.PostRole, c.ReadAudience, c.ReadGroupId, c.PostAudience, c.PostGroupId);

        /// <summary>As the audit log keeps it: with the keys the API uses.</summary>
        public object ForAudit() => new
        {
            ReadRole = Roles.Key(Read), PostRole = Roles.Key(Post), ReadAudience = Key(ReadAudience), ReadGroupId, PostAudience = Key(PostAudience), PostGroupId,
        };

        public void ApplyTo(CommunityCategory c)
        {
            c.ReadRole = Read;
            c.PostRole = Post;
            c.ReadAudience = ReadAudience;
            c.ReadGroupId = ReadGroupId;
            c.PostAudience = PostAudience;
            c.PostGroupId = PostGroupId;
        }
    }

    private async Task<Outcome<Audience>> CheckAsync(OrgContext org, AudienceInput input, CancellationToken cancellationToken)
    {
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

        const string Choose = "Choose everyone (signed in), members, premium (members) or group.";
        if ((string.IsNullOrWhiteSpace(input.ReadAudience) ? CategoryAudience.Everyone : ParseAudience(input.ReadAudience)) is not { } readAudience)
        {
            return Outcome.Invalid("ReadAudience", Choose);
        }

        var postKey = string.IsNullOrWhiteSpace(input.PostAudience) ? Key(readAudience) : input.PostAudience;
        if (ParseAudience(postKey) is not { } postAudience)
        {
            return Outcome.Invalid("PostAudience", Choose);
        }

        var readGroup = await GroupAsync(org, "ReadGroup", readAudience, input.ReadGroup, cancellationToken);
        if (!readGroup.Succeeded)
        {
            return readGroup.Status;
        }

        // Left out, the posting group is the reading one, as the posting audience is the reading one.
        var postGroupHandle = string.IsNullOrWhiteSpace(input.PostGroup) && postAudience == readAudience ? input.ReadGroup : input.PostGroup;
        var postGroup = await GroupAsync(org, "PostGroup", postAudience, postGroupHandle, cancellationToken);
        if (!postGroup.Succeeded)
        {
            return postGroup.Status;
        }

        if (!Within(postAudience, postGroup.Value, readAudience, readGroup.Value))
        {
            return Outcome.Invalid("PostAudience", "Whoever posts must be able to read: choose everyone who reads, or a posting audience within the reading one "
                + "(premium members within members, the same group as reads).");
        }

        return new Outcome<Audience>(Outcome.Success, new Audience(read, post, readAudience, readGroup.Value, postAudience, postGroup.Value));
    }

    /// <summary>
    /// Whether everyone the posting audience names is also in the reading audience. A posting audience of everyone
    /// means every reader: posting asks for reading as well.
    /// </summary>
    private static bool Within(CategoryAudience post, Guid? postGroup, CategoryAudience read, Guid? readGroup) => post == CategoryAudience.Everyone || read switch
    {
        CategoryAudience.Everyone => true,
        CategoryAudience.Members => post is CategoryAudience.Members or CategoryAudience.PremiumMembers,
        CategoryAudience.PremiumMembers => post == CategoryAudience.PremiumMembers,
        CategoryAudience.Group => post == CategoryAudience.Group && postGroup == readGroup,
        _ => false,
    };

    /// <summary>The group an audience names, by handle, which must be one of this board's groups; none for other audiences.</summary>
    private async Task<Outcome<Guid?>> GroupAsync(OrgContext org, string field, CategoryAudience audience, string? handle, CancellationToken cancellationToken)
    {
        var given = handle?.Trim().TrimStart('@') ?? "";
        if (audience != CategoryAudience.Group)
        {
            return given.Length == 0 ? new Outcome<Guid?>(Outcome.Success, null) : Outcome.Invalid(field, "Name a group only for a category whose audience is a group.");
        }

        if (given.Length == 0)
        {
            return Outcome.Invalid(field, "Name the group, by its handle.");
        }

        var upper = given.ToUpperInvariant();
        var id = await db.Set<CommunityGroup>().Where(g => g.OrganizationId == org.Id && g.Handle.ToUpper() == upper).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(cancellationToken);
        return id is null ? Outcome.Invalid(field, $"There is no group @{given} on this board.") : new Outcome<Guid?>(Outcome.Success, id);
    }
}
