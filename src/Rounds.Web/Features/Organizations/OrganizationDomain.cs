using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Organizations;

/// <summary>
/// An email domain whose verified addresses join the organization as members, once the organization has proven
/// that it controls the domain's DNS (decision 20). Until then it is pending and admits nobody.
/// </summary>
public sealed class OrganizationDomain : IOrgOwned
{
    public const string RecordPrefix = "rounds-verification=";

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Domain { get; set; } = "";

    /// <summary>What the domain's TXT record must say, after <see cref="RecordPrefix"/>; random per claim.</summary>
    public string VerificationToken { get; set; } = "";

    public DateTimeOffset? VerifiedAt { get; set; }

    public bool IsVerified => VerifiedAt is not null;

    public string TxtRecord => RecordPrefix + VerificationToken;
}

internal sealed class OrganizationDomainConfiguration : IEntityTypeConfiguration<OrganizationDomain>
{
    public void Configure(EntityTypeBuilder<OrganizationDomain> builder)
    {
        builder.Property(d => d.Domain).HasMaxLength(253);
        builder.Property(d => d.VerificationToken).HasMaxLength(64);
        builder.Ignore(d => d.IsVerified);
        builder.Ignore(d => d.TxtRecord);
        builder.HasIndex(d => new { d.OrganizationId, d.Domain }).IsUnique();
        // One organization at most holds a domain as verified, even when two prove it at the same moment.
        builder.HasIndex(d => d.Domain, "IX_OrganizationDomains_Domain_Verified").IsUnique().HasFilter("\"VerifiedAt\" IS NOT NULL");
        builder.HasIndex(d => d.Domain);
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
