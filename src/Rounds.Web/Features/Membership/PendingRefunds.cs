using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Membership;

public enum PendingRefundState
{
    /// <summary>Recorded before Stripe was asked; Stripe may or may not have made it.</summary>
    Pending = 0,

    /// <summary>Stripe made it and the books say so (or, if the books had moved, the admins were told).</summary>
    Completed = 1,

    /// <summary>Stripe refused it; nothing was refunded or credited. Kept so the attempt stays on record.</summary>
    Refused = 2,

    /// <summary>
    /// Still without an answer when Stripe stops keeping its key (a day): asking again could make a second refund,
    /// so the sweep stops and the admins are told (audit entry <c>membership_refund.unresolved</c>) to reconcile it
    /// against Stripe's dashboard.
    /// </summary>
    Unresolved = 3,
}

/// <summary>
/// A card refund written down before Stripe is asked for it, with everything needed to finish it: the credit
/// note's parts and reason and, for a member's cancellation, the seat to give back. Stripe is asked under a key
/// derived from it (the order and the state of its credits the refund was worked out from), so asking again after
/// a lost answer or a crash gets the same refund back, never a second one, and the sweep can finish what a request
/// could not.
/// </summary>
public sealed class PendingRefund : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid OrderId { get; set; }

    public Guid InvoiceId { get; set; }

    /// <summary>The order's credit count the parts were worked out from; the credit note is written only from it.</summary>
    public int CreditNotesSeen { get; set; }

    public string PaymentIntent { get; set; } = "";

    public decimal Amount { get; set; }

    /// <summary>The credit note's parts as JSON (<see cref="CreditPart"/>).</summary>
    public string Parts { get; set; } = "[]";

    public string Reason { get; set; } = "";

    /// <summary>A member's cancellation: the registration whose seat goes back when the refund is made.</summary>
    public Guid? CancelsRegistrationId { get; set; }

    public PendingRefundState State { get; set; }

    public string? StripeRefundId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// Every refund worked out from the same state of the order's credits shares it, so Stripe makes at most one of
    /// them: the same request again is answered with the first refund, and a different one is refused.
    /// </summary>
    public string IdempotencyKey => $"refund-{OrderId}-{CreditNotesSeen}";

    public IReadOnlyList<CreditPart> ReadParts() => JsonSerializer.Deserialize<List<CreditPart>>(Parts, StepJson.Options) ?? [];

    public static string WriteParts(IReadOnlyList<CreditPart> parts) => JsonSerializer.Serialize(parts, StepJson.Options);
}

internal sealed class PendingRefundConfiguration : IEntityTypeConfiguration<PendingRefund>
{
    public void Configure(EntityTypeBuilder<PendingRefund> builder)
    {
        builder.ToTable("MembershipPendingRefunds");
        builder.Property(p => p.PaymentIntent).HasMaxLength(255);
        builder.Property(p => p.Amount).HasPrecision(12, 2);
        builder.Property(p => p.Parts).HasMaxLength(8000);
        builder.Property(p => p.Reason).HasMaxLength(1000);
        builder.Property(p => p.StripeRefundId).HasMaxLength(255);
        builder.Ignore(p => p.IdempotencyKey);
        builder.HasIndex(p => new { p.State, p.CreatedAt });
        builder.HasIndex(p => p.OrderId);
        builder.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Finishes card refunds left pending: Stripe is asked again under the same key, which answers with the refund it
/// made (or refuses, and the pending record goes), and the books are brought to match. Records older than Stripe
/// keeps its keys are left to the admins, since asking again then could make a second refund.
/// </summary>
internal sealed class FinishPendingRefunds(IServiceScopeFactory scopes, TimeProvider clock, ILogger<FinishPendingRefunds> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override bool Enabled => configuration.GetValue("Membership:PendingRefundsEnabled", true);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<CardPayments>().FinishPendingAsync(cancellationToken);
}
