using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Organizations;

/// <summary>An email domain whose verified addresses join the organization as members.</summary>
public sealed class OrganizationDomain : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Domain { get; set; } = "";
}

internal sealed class OrganizationDomainConfiguration : IEntityTypeConfiguration<OrganizationDomain>
{
    public void Configure(EntityTypeBuilder<OrganizationDomain> builder)
    {
        builder.Property(d => d.Domain).HasMaxLength(253);
        builder.HasIndex(d => new { d.OrganizationId, d.Domain }).IsUnique();
        builder.HasIndex(d => d.Domain);
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
