using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Identity;

namespace Rounds.Web.Tenancy;

public enum Role
{
    Member = 0,
    Journalist = 1,
    Contributor = 2,
    AccountManager = 3,
    Reviewer = 4,
    Admin = 5,
}

/// <summary>How a membership came about; domain memberships follow the person's verified address.</summary>
public enum MemberSource
{
    Manual = 0,
    Invitation = 1,
    Domain = 2,

    /// <summary>Joined only to take a course given to them (a residency's); ends with the last such grant.</summary>
    CourseGrant = 3,
}

public sealed class OrganizationMember
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string UserId { get; set; } = "";

    public Role Role { get; set; }

    public MemberSource Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

public static class Roles
{
    public static string Label(Role role) => role switch
    {
        Role.Admin => "Admin",
        Role.Reviewer => "Reviewer",
        Role.AccountManager => "Account manager",
        Role.Contributor => "Contributor",
        Role.Member => "Member",
        Role.Journalist => "Journalist",
    };

    /// <summary>API spelling of a role: <c>account_manager</c>.</summary>
    public static string Key(Role role) => role switch
    {
        Role.Admin => "admin",
        Role.Reviewer => "reviewer",
        Role.AccountManager => "account_manager",
        Role.Contributor => "contributor",
        Role.Member => "member",
        Role.Journalist => "journalist",
    };

    public static bool TryParse(string? value, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (string.Equals(Key(candidate), value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>Staff roles govern content and accounts, so they must sign in with a second factor.</summary>
    public static bool NeedsTwoFactor(Role role) => role is Role.Admin or Role.Reviewer;
}

internal sealed class OrganizationMemberConfiguration : IEntityTypeConfiguration<OrganizationMember>
{
    public void Configure(EntityTypeBuilder<OrganizationMember> builder)
    {
        // The table keeps the name it was created with.
        builder.ToTable("Memberships");
        builder.HasIndex(m => new { m.OrganizationId, m.UserId }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
