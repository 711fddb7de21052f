using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Tenancy;

/// <summary>A tenant: a health system, a hospital or a professional network. Everything in Rounds belongs to one.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>URL name, e.g. <c>northfield</c>; unique and lower case.</summary>
    public string Slug { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Admins and reviewers must use two-factor sign-in before they can act for the organization.</summary>
    public bool RequireTwoFactorForStaff { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// The IANA zone the organization's times are shown in; null follows the installation's <c>Rounds:TimeZone</c>,
    /// so existing and new organizations keep it until an admin names another (decision 54).
    /// </summary>
    public string? TimeZone { get; set; }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.Property(o => o.Slug).HasMaxLength(64);
        builder.Property(o => o.Name).HasMaxLength(200);
        builder.Property(o => o.TimeZone).HasMaxLength(64);
        builder.HasIndex(o => o.Slug).IsUnique();
    }
}
