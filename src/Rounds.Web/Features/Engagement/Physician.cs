using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// A physician on the organization's roster, identified by NPI. A physician who leaves is given an end date and
/// kept: past snapshots and the trends computed from them still name them.
/// </summary>
public sealed class Physician : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Npi { get; set; } = "";

    /// <summary>Setting the name also sets <see cref="SearchName"/>, so the two never disagree.</summary>
    public string Name
    {
        get;
        set
        {
            field = value;
            SearchName = value.ToLowerInvariant();
        }
    } = "";

    /// <summary>
    /// The name in lower case, stored so that the roster search ignores case in the database and the same way on
    /// SQLite and PostgreSQL, whatever either database's <c>lower()</c> does.
    /// </summary>
    public string SearchName { get; private set; } = "";

    /// <summary>Degrees and titles as the roster writes them, e.g. <c>MD, FACC</c>.</summary>
    public string Credentials { get; set; } = "";

    public string Department { get; set; } = "";

    public string Specialty { get; set; } = "";

    /// <summary>The work address; a signed-in person whose confirmed address matches it is this physician.</summary>
    public string Email { get; set; } = "";

    public DateOnly? StartDate { get; set; }

    public DateOnly? EndDate { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsActiveOn(DateOnly day) => (StartDate is null || StartDate <= day) && (EndDate is null || EndDate >= day);
}

/// <summary>
/// What is known about one physician on one network. The state says how it is known and is never promoted by
/// guesswork: only the physician (signed in) or an admin (with a note) makes a profile confirmed.
/// </summary>
public sealed class PhysicianProfile : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PhysicianId { get; set; }

    public Platform Network { get; set; }

    /// <summary>The handle as shown (with its @ and capitals); empty when the state is none or unknown.</summary>
    public string Handle { get; set; } = "";

    public string NormalizedHandle { get; set; } = "";

    public ProfileState State { get; set; }

    /// <summary>A personal (not professional) account; the organization may choose not to track these.</summary>
    public bool Personal { get; set; }

    /// <summary>For a suggestion: where it was found and why it looks like this physician.</summary>
    public string Evidence { get; set; } = "";

    /// <summary>For a suggestion: how sure the finder was, 0–100.</summary>
    public int? Confidence { get; set; }

    /// <summary>Who confirmed it and how ("claimed by the physician", or an admin's note).</summary>
    public string Note { get; set; } = "";

    public string ChangedBy { get; set; } = "";

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>The organization's choices for engagement tracking.</summary>
public sealed class EngagementSettings : IOrgOwned
{
    public Guid OrganizationId { get; set; }

    /// <summary>When set, profiles marked personal are neither read nor counted.</summary>
    public bool ExcludePersonalAccounts { get; set; }
}

internal sealed class PhysicianConfiguration : IEntityTypeConfiguration<Physician>
{
    public void Configure(EntityTypeBuilder<Physician> builder)
    {
        builder.ToTable("Physicians");
        builder.Property(p => p.Npi).HasMaxLength(10);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.SearchName).HasMaxLength(200);
        builder.Property(p => p.Credentials).HasMaxLength(100);
        builder.Property(p => p.Department).HasMaxLength(200);
        builder.Property(p => p.Specialty).HasMaxLength(200);
        builder.Property(p => p.Email).HasMaxLength(320);
        builder.HasIndex(p => new { p.OrganizationId, p.Npi }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.Email });
        // The roster's order, whole and within a department: a page is a range of one of these.
        builder.HasIndex(p => new { p.OrganizationId, p.Name, p.Npi });
        builder.HasIndex(p => new { p.OrganizationId, p.Department, p.Name, p.Npi });
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhysicianProfileConfiguration : IEntityTypeConfiguration<PhysicianProfile>
{
    public void Configure(EntityTypeBuilder<PhysicianProfile> builder)
    {
        builder.ToTable("PhysicianProfiles");
        builder.Property(p => p.Network).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Handle).HasMaxLength(Handles.MaxLength + 1);
        builder.Property(p => p.NormalizedHandle).HasMaxLength(Handles.MaxLength);
        builder.Property(p => p.Evidence).HasMaxLength(1000);
        builder.Property(p => p.Note).HasMaxLength(1000);
        builder.Property(p => p.ChangedBy).HasMaxLength(200);
        builder.HasIndex(p => new { p.PhysicianId, p.Network }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.Network, p.State });
        builder.HasOne<Physician>().WithMany().HasForeignKey(p => p.PhysicianId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EngagementSettingsConfiguration : IEntityTypeConfiguration<EngagementSettings>
{
    public void Configure(EntityTypeBuilder<EngagementSettings> builder)
    {
        builder.ToTable("EngagementSettings");
        builder.HasKey(s => s.OrganizationId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
