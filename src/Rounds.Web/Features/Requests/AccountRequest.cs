using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Requests;

/// <summary>Where a request stands; the legal moves are in <see cref="RequestLifecycle"/>.</summary>
public enum RequestStatus
{
    Draft,
    Submitted,
    Consult,
    Requirements,
    CommitteeReview,
    Approved,
    Declined,

    /// <summary>The consult concluded that the content belongs on the main channels instead.</summary>
    Redirected,
    Withdrawn,
}

/// <summary>A department's request for an account of its own.</summary>
public sealed class AccountRequest : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string RequesterId { get; set; } = "";

    public RequestStatus Status { get; set; }

    public Platform Platform { get; set; }

    public string ProposedHandle { get; set; } = "";

    public AccountKind Kind { get; set; } = AccountKind.Department;

    public string Department { get; set; } = "";

    public string Justification { get; set; } = "";

    public string Goals { get; set; } = "";

    public string Audience { get; set; } = "";

    public string PatientBenefit { get; set; } = "";

    /// <summary>The member who runs the account.</summary>
    public string? OwnerId { get; set; }

    public string? BackupId { get; set; }

    public decimal OwnerFte { get; set; }

    public string ContentPlan { get; set; } = "";

    public int PostsPerWeek { get; set; }

    public int ResponseHours { get; set; }

    public string ConsultNotes { get; set; } = "";

    public bool OwnerAcceptedPolicy { get; set; }

    public bool BackupAcceptedPolicy { get; set; }

    public bool OwnerHasSeat { get; set; }

    public bool BackupHasSeat { get; set; }

    /// <summary>The committee's reasons, sent to the requester with the decision.</summary>
    public string DecisionReasons { get; set; } = "";

    /// <summary>The account created when the request was approved.</summary>
    public Guid? AccountId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }
}

/// <summary>One committee member's vote and comment on a request in committee review.</summary>
public sealed class RequestVote : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid RequestId { get; set; }

    public string UserId { get; set; } = "";

    public bool Approve { get; set; }

    public string Comment { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>A step in a request's history: who moved it where, with what note.</summary>
public sealed class RequestEvent : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid RequestId { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorName { get; set; } = "";

    public RequestStatus From { get; set; }

    public RequestStatus To { get; set; }

    public string Note { get; set; } = "";
}

internal sealed class AccountRequestConfiguration : IEntityTypeConfiguration<AccountRequest>
{
    public void Configure(EntityTypeBuilder<AccountRequest> builder)
    {
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Platform).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.ProposedHandle).HasMaxLength(200);
        builder.Property(r => r.Department).HasMaxLength(200);
        builder.Property(r => r.OwnerFte).HasPrecision(4, 2);
        foreach (var text in new[] { nameof(AccountRequest.Justification), nameof(AccountRequest.Goals), nameof(AccountRequest.Audience), nameof(AccountRequest.PatientBenefit), nameof(AccountRequest.ContentPlan), nameof(AccountRequest.ConsultNotes), nameof(AccountRequest.DecisionReasons) })
        {
            builder.Property(text).HasMaxLength(4000);
        }

        builder.HasIndex(r => new { r.OrganizationId, r.Status });
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RequestVoteConfiguration : IEntityTypeConfiguration<RequestVote>
{
    public void Configure(EntityTypeBuilder<RequestVote> builder)
    {
        builder.Property(v => v.Comment).HasMaxLength(2000);
        builder.HasIndex(v => new { v.RequestId, v.UserId }).IsUnique();
        builder.HasOne<AccountRequest>().WithMany().HasForeignKey(v => v.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RequestEventConfiguration : IEntityTypeConfiguration<RequestEvent>
{
    public void Configure(EntityTypeBuilder<RequestEvent> builder)
    {
        builder.Property(e => e.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Note).HasMaxLength(4000);
        builder.HasIndex(e => new { e.RequestId, e.At });
        builder.HasOne<AccountRequest>().WithMany().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
