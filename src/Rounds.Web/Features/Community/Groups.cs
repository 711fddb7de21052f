using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// People addressed together on the board (<c>@PressTeam</c>): a mention of the group tells each member once.
/// Handles of groups and members share one namespace, so a mention names one or the other, never both.
/// </summary>
public sealed class CommunityGroup : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Handle { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Whether any member may mention the group; otherwise only the moderators can, so a large group is not everyone's megaphone.</summary>
    public bool Mentionable { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class CommunityGroupMember : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid GroupId { get; set; }

    public string UserId { get; set; } = "";
}

internal sealed class CommunityGroupConfiguration : IEntityTypeConfiguration<CommunityGroup>
{
    public void Configure(EntityTypeBuilder<CommunityGroup> builder)
    {
        builder.ToTable("CommunityGroups");
        builder.Property(g => g.Handle).HasMaxLength(BoardLimits.Handle);
        builder.Property(g => g.Name).HasMaxLength(BoardLimits.CategoryName);
        builder.HasIndex(g => new { g.OrganizationId, g.Handle }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(g => g.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommunityGroupMemberConfiguration : IEntityTypeConfiguration<CommunityGroupMember>
{
    public void Configure(EntityTypeBuilder<CommunityGroupMember> builder)
    {
        builder.ToTable("CommunityGroupMembers");
        builder.HasIndex(m => new { m.GroupId, m.UserId }).IsUnique();
        builder.HasOne<CommunityGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Rounds.Web.Features.Identity.User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <param name="Members">Handles of board members, with or without the @; the list replaces the group's members.</param>
public sealed record GroupInput(string? Handle, string? Name, bool? Mentionable, IReadOnlyList<string?>? Members);

public sealed record GroupView(CommunityGroup Group, IReadOnlyList<CommunityMember> Members);

/// <summary>The moderators (the community managers) keep the groups: their handles, who is in them, and who may mention them.</summary>
public sealed partial class Groups(RoundsDbContext db, BoardMembers members, IAuditLog audit, TimeProvider clock)
{
    public const int MaxMembers = 500;

    public async Task<List<GroupView>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var groups = await db.Set<CommunityGroup>().Where(g => g.OrganizationId == org.Id).OrderBy(g => g.Handle).ToListAsync(cancellationToken);
        var ids = groups.Select(g => g.Id).ToList();
        var rows = await (
            from gm in db.Set<CommunityGroupMember>()
            join m in db.Set<CommunityMember>() on new { gm.UserId, gm.OrganizationId } equals new { m.UserId, m.OrganizationId }
            where ids.Contains(gm.GroupId)
            select new { gm.GroupId, Member = m }).ToListAsync(cancellationToken);
        var byGroup = rows.ToLookup(r => r.GroupId, r => r.Member);
        return groups.Select(g => new GroupView(g, byGroup[g.Id].OrderBy(m => m.Handle, StringComparer.OrdinalIgnoreCase).ToList())).ToList();
    }

    public Task<Outcome<GroupView>> CreateAsync(OrgContext org, GroupInput input, CancellationToken cancellationToken = default) => SaveAsync(org, null, input, cancellationToken);

    public Task<Outcome<GroupView>> UpdateAsync(OrgContext org, Guid groupId, GroupInput input, CancellationToken cancellationToken = default) => SaveAsync(org, groupId, input, cancellationToken);

    private async Task<Outcome<GroupView>> SaveAsync(OrgContext org, Guid? groupId, GroupInput input, CancellationToken cancellationToken)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) keep the board's groups.");
        }

        var group = groupId is { } id ? await db.Set<CommunityGroup>().FirstOrDefaultAsync(g => g.Id == id && g.OrganizationId == org.Id, cancellationToken) : null;
        if (groupId is not null && group is null)
        {
            return Outcome.NotFound;
        }

        var everyone = await members.EnsureAllAsync(org.Id, cancellationToken);
        var handle = (input.Handle ?? group?.Handle ?? "").Trim().TrimStart('@');
        if (!HandlePattern().IsMatch(handle))
        {
            return Outcome.Invalid("Handle", "Give the group a handle of 2 to 40 letters, digits or underscores, such as PressTeam.");
        }

        var upper = handle.ToUpperInvariant();
        if (everyone.Any(m => m.Handle.ToUpperInvariant() == upper)
            || await db.Set<CommunityGroup>().AnyAsync(g => g.OrganizationId == org.Id && g.Id != (groupId ?? Guid.Empty) && g.Handle.ToUpper() == upper, cancellationToken))
        {
            return Outcome.Invalid("Handle", $"@{handle} is already taken on this board; a mention must name one member or one group.");
        }

        var name = (input.Name ?? group?.Name ?? handle).Trim();
        if (BoardText.Check("Name", name, BoardLimits.CategoryName) is { } badName)
        {
            return badName;
        }

        if (name.Length == 0 || name.Contains('\n', StringComparison.Ordinal))
        {
            return Outcome.Invalid("Name", "Name the group, on one line.");
        }

        var byHandle = everyone.ToDictionary(m => m.Handle, StringComparer.OrdinalIgnoreCase);
        var wanted = new List<CommunityMember>();
        foreach (var raw in input.Members ?? [])
        {
            var memberHandle = (raw ?? "").Trim().TrimStart('@');
            if (memberHandle.Length == 0)
            {
                continue;
            }

            if (!byHandle.TryGetValue(memberHandle, out var member))
            {
                return Outcome.Invalid("Members", $"No member of the board has the handle @{(memberHandle.Length > 40 ? memberHandle[..40] : memberHandle)}.");
            }

            if (!wanted.Contains(member))
            {
                wanted.Add(member);
            }
        }

        if (wanted.Count > MaxMembers)
        {
            return Outcome.Invalid("Members", $"A group holds at most {MaxMembers} members.");
        }

        group ??= new CommunityGroup { OrganizationId = org.Id, CreatedAt = clock.GetUtcNow() };
        var before = groupId is null ? null : new { group.Handle, group.Name, group.Mentionable };
        var current = groupId is null ? [] : await db.Set<CommunityGroupMember>().Where(m => m.GroupId == group.Id).ToListAsync(cancellationToken);
        group.Handle = handle;
        group.Name = name;
        group.Mentionable = input.Mentionable ?? group.Mentionable;
        if (groupId is null)
        {
            db.Add(group);
        }

        // Without a list the members stay as they are, so a rename does not empty the group.
        if (input.Members is not null)
        {
            var keep = wanted.Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
            db.RemoveRange(current.Where(m => !keep.Contains(m.UserId)));
            db.AddRange(wanted.Where(m => current.All(c => c.UserId != m.UserId)).Select(m => new CommunityGroupMember { OrganizationId = org.Id, GroupId = group.Id, UserId = m.UserId }));
        }

        audit.Record(org.Id, groupId is null ? "community_group.created" : "community_group.updated", nameof(CommunityGroup), group.Id.ToString(), before,
            after: new { group.Handle, group.Name, group.Mentionable, Members = input.Members is null ? null : wanted.Select(m => m.Handle).ToList() });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<GroupView>(Outcome.Success, (await ListAsync(org, cancellationToken)).Single(g => g.Group.Id == group.Id));
    }

    /// <summary>
    /// The people a post's mentions of groups reach: every member of each group mentioned that the author may
    /// mention (a mentionable one, or any when the author moderates).
    /// </summary>
    public static async Task<List<string>> MentionedAsync(RoundsDbContext db, Guid organizationId, string authorId, IReadOnlyCollection<string> handles, CancellationToken cancellationToken)
    {
        if (handles.Count == 0)
        {
            return [];
        }

        var wanted = handles.Select(h => h.ToUpperInvariant()).ToList();
        var groups = await db.Set<CommunityGroup>().Where(g => g.OrganizationId == organizationId && wanted.Contains(g.Handle.ToUpper())).ToListAsync(cancellationToken);
        if (groups.Count == 0)
        {
            return [];
        }

        var authorRole = await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == authorId).Select(m => (Role?)m.Role).FirstOrDefaultAsync(cancellationToken);
        var moderator = authorRole >= Role.Reviewer;
        var reached = groups.Where(g => g.Mentionable || moderator).Select(g => g.Id).ToList();
        return await db.Set<CommunityGroupMember>().Where(m => reached.Contains(m.GroupId)).Select(m => m.UserId).Distinct().ToListAsync(cancellationToken);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_]{2,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}

public sealed record MentionSuggestion(string Handle, string Name, string Kind);

/// <summary>
/// What the editor offers after an <c>@</c>: members whose handle or name begins with what was typed, and the groups
/// the writer may mention (mentionable ones; every group for moderators), so the list never proposes a mention that
/// would reach nobody.
/// </summary>
public sealed partial class MentionSuggestions(RoundsDbContext db, BoardMembers members)
{
    public const int Limit = 10;

    public async Task<Outcome<List<MentionSuggestion>>> SuggestAsync(OrgContext org, string? typed, CancellationToken cancellationToken = default)
    {
        var prefix = (typed ?? "").Trim().TrimStart('@');
        if (!PrefixPattern().IsMatch(prefix))
        {
            return Outcome.Invalid("Q", "Type the start of a handle: 1 to 40 letters, digits or underscores.");
        }

        // Handles are made the first time the board needs them; a member who never opened it can still be mentioned.
        await members.EnsureAllAsync(org.Id, cancellationToken);
        var upper = prefix.ToUpperInvariant();
        var moderator = BoardAccess.IsModerator(org);
        var groups = await db.Set<CommunityGroup>()
            .Where(g => g.OrganizationId == org.Id && (g.Mentionable || moderator) && (g.Handle.ToUpper().StartsWith(upper) || g.Name.ToUpper().StartsWith(upper)))
            .OrderBy(g => g.Handle).Take(Limit).Select(g => new MentionSuggestion(g.Handle, g.Name, "group")).ToListAsync(cancellationToken);
        var people = await db.Set<CommunityMember>()
            .Where(m => m.OrganizationId == org.Id && m.UserId != org.UserId && (m.Handle.ToUpper().StartsWith(upper) || m.DisplayName.ToUpper().StartsWith(upper)))
            .OrderBy(m => m.Handle).Take(Limit).Select(m => new MentionSuggestion(m.Handle, m.DisplayName, "member")).ToListAsync(cancellationToken);
        return new Outcome<List<MentionSuggestion>>(Outcome.Success, [.. people.Concat(groups).OrderBy(s => s.Handle, StringComparer.OrdinalIgnoreCase).Take(Limit)]);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}
