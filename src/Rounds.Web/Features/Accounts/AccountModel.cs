using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>One social media account that carries the organization's name.</summary>
public sealed class SocialAccount : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Platform Platform { get; set; }

    /// <summary>The handle as people write it, e.g. <c>@NorthfieldHeart</c>.</summary>
    public string Handle { get; set; } = "";

    /// <summary>Lower case without the leading @: with the platform, the identity of the account.</summary>
    public string NormalizedHandle { get; set; } = "";

    public string? Url { get; set; }

    public AccountKind Kind { get; set; }

    public string Department { get; set; } = "";

    /// <summary>Email addresses of the people who run the account; an audit spreadsheet may name people who have no login.</summary>
    public string Owners { get; set; } = "";

    public string Backup { get; set; } = "";

    public AccountStatus Status { get; set; }

    public Guid? RequestId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset StatusChangedAt { get; set; }

    public DateTimeOffset? LastPostAt { get; set; }

    public DateOnly? TrialStart { get; set; }

    public DateOnly? TrialEnd { get; set; }

    public int TargetPostsPerWeekMin { get; set; } = 3;

    public int TargetPostsPerWeekMax { get; set; } = 5;

    /// <summary>When the communications team was told about this dormancy; set once per dormancy.</summary>
    public DateTimeOffset? DormancyEscalatedAt { get; set; }

    public bool RetireContentArchived { get; set; }

    public bool RetireCredentialsRemoved { get; set; }

    public bool RetireHandleHandedOver { get; set; }

    public IEnumerable<string> OwnerList => PeopleLists.Split(Owners);
}

/// <summary>One line of an account's history: a status change or another governance step.</summary>
public sealed class AccountHistoryEntry : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorName { get; set; } = "";

    public AccountStatus? From { get; set; }

    public AccountStatus? To { get; set; }

    public string Note { get; set; } = "";
}

/// <summary>A post seen on the network for an account; trials and dormancy are measured from these.</summary>
public sealed class AccountPost : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The network's id or the post's address; recording the same post twice counts it once.</summary>
    public string ExternalId { get; set; } = "";

    public DateTimeOffset PostedAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>How an organization governs its accounts: the dormancy threshold and the committee's quorum.</summary>
public sealed class AccountPolicy : IOrgOwned
{
    public const int DefaultDormancyDays = 30;

    public Guid OrganizationId { get; set; }

    public int DormancyDays { get; set; } = DefaultDormancyDays;

    public Quorum Quorum { get; set; } = Quorum.Any;

    /// <summary>
    /// The fewest distinct committee members whose approval a request needs (docs/decisions/0034). One keeps a
    /// committee of one working; two makes every new account a second person's decision.
    /// </summary>
    public int MinimumApprovers { get; set; } = 1;

    /// <summary>Emails of the committee; empty means every reviewer and admin of the organization.</summary>
    public string Committee { get; set; } = "";
}

internal sealed class SocialAccountConfiguration : IEntityTypeConfiguration<SocialAccount>
{
    public void Configure(EntityTypeBuilder<SocialAccount> builder)
    {
        builder.ToTable("SocialAccounts");
        builder.Property(a => a.Platform).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Handle).HasMaxLength(200);
        builder.Property(a => a.NormalizedHandle).HasMaxLength(200);
        builder.Property(a => a.Url).HasMaxLength(500);
        builder.Property(a => a.Department).HasMaxLength(200);
        builder.Property(a => a.Owners).HasMaxLength(1000);
        builder.Property(a => a.Backup).HasMaxLength(300);
        builder.Ignore(a => a.OwnerList);
        builder.HasIndex(a => new { a.OrganizationId, a.Platform, a.NormalizedHandle }).IsUnique();
        builder.HasIndex(a => new { a.OrganizationId, a.Status });
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountHistoryEntryConfiguration : IEntityTypeConfiguration<AccountHistoryEntry>
{
    public void Configure(EntityTypeBuilder<AccountHistoryEntry> builder)
    {
        // The table keeps the name it was created with.
        builder.ToTable("AccountEvent");
        builder.Property(e => e.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Note).HasMaxLength(2000);
        builder.HasIndex(e => new { e.AccountId, e.At });
        builder.HasOne<SocialAccount>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountPostConfiguration : IEntityTypeConfiguration<AccountPost>
{
    public void Configure(EntityTypeBuilder<AccountPost> builder)
    {
        builder.Property(p => p.ExternalId).HasMaxLength(500);
        builder.HasIndex(p => new { p.AccountId, p.ExternalId }).IsUnique();
        builder.HasIndex(p => new { p.AccountId, p.PostedAt });
        builder.HasOne<SocialAccount>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountPolicyConfiguration : IEntityTypeConfiguration<AccountPolicy>
{
    public void Configure(EntityTypeBuilder<AccountPolicy> builder)
    {
        builder.HasKey(p => p.OrganizationId);
        builder.Property(p => p.Quorum).HasConversion<string>().HasMaxLength(10);
        builder.Property(p => p.Committee).HasMaxLength(2000);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
