using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Screening;

/// <summary>An organization's screening rules, stored as the JSON document the screening engine reads.</summary>
public sealed class OrganizationRuleSet : IOrgOwned
{
    public Guid OrganizationId { get; set; }

    public string Json { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}

internal sealed class OrganizationRuleSetConfiguration : IEntityTypeConfiguration<OrganizationRuleSet>
{
    public void Configure(EntityTypeBuilder<OrganizationRuleSet> builder)
    {
        builder.HasKey(r => r.OrganizationId);
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
