using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// One step of an account's approval workflow. Approvers are named people, or everyone with at least a role;
/// an account with no steps uses one step for reviewers with quorum "any".
/// </summary>
public sealed class ApprovalStep : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    public int Position { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Set when the step is open to a role (and the roles above it).</summary>
    public Role? ApproverRole { get; set; }

    /// <summary>Email addresses of named approvers, comma separated; used when no role is set.</summary>
    public string Approvers { get; set; } = "";

    public Quorum Quorum { get; set; } = Quorum.Any;
}

/// <summary>An account's approval settings beside its steps; an account without a row has the defaults.</summary>
public sealed class ApprovalSettings : IOrgOwned
{
    public Guid AccountId { get; set; }

    public Guid OrganizationId { get; set; }

    /// <summary>
    /// Lets one person approve more than one step of the same revision. Off by default: a workflow of several
    /// steps exists so that several people look, and a reviewer who is an approver of every step would otherwise
    /// pass the post alone.
    /// </summary>
    public bool OneApproverManySteps { get; set; }
}

internal sealed class ApprovalStepConfiguration : IEntityTypeConfiguration<ApprovalStep>
{
    public void Configure(EntityTypeBuilder<ApprovalStep> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.ApproverRole).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Approvers).HasMaxLength(2000);
        builder.Property(s => s.Quorum).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(s => new { s.AccountId, s.Position }).IsUnique();
        builder.HasOne<Rounds.Web.Features.Accounts.SocialAccount>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApprovalSettingsConfiguration : IEntityTypeConfiguration<ApprovalSettings>
{
    public void Configure(EntityTypeBuilder<ApprovalSettings> builder)
    {
        builder.HasKey(s => s.AccountId);
        builder.HasOne<Rounds.Web.Features.Accounts.SocialAccount>().WithOne().HasForeignKey<ApprovalSettings>(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
