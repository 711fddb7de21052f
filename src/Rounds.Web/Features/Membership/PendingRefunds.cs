using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

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

    /// <summary>
    /// Settled by an admin by hand in Stripe's dashboard (an unresolved or refused refund), with their note: it
    /// leaves the list of unfinished refunds and holds back no other refund of its order.
    /// </summary>
    Reconciled = 4,
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

    /// <summary>The cancellation is of one seat of a bundle alone: the bundle's other seats stay when the refund is made.</summary>
    public bool CancelsBundleSeatAlone { get; set; }

    public PendingRefundState State { get; set; }

    public string? StripeRefundId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>What the admin who marked it reconciled wrote: what they did in Stripe, the refund's id there.</summary>
    public string? ReconciledNote { get; set; }

    public string? ReconciledBy { get; set; }

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
        builder.Property(p => p.ReconciledNote).HasMaxLength(1000);
        builder.Property(p => p.ReconciledBy).HasMaxLength(450);
        builder.Ignore(p => p.IdempotencyKey);
        builder.HasIndex(p => new { p.State, p.CreatedAt });
        builder.HasIndex(p => p.OrderId);
        builder.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>One card refund not finished, as the admins see it: where it stands and what they may do about it.</summary>
/// <param name="State">pending (waiting for Stripe's answer), refused (by Stripe; nothing was refunded or credited) or unresolved (no answer for a day).</param>
/// <param name="MayAskAgain">Whether asking Stripe again now is safe: no request is still waiting for it, and Stripe still keeps its key.</param>
/// <param name="Advice">What the state means and what to do, in a sentence.</param>
public sealed record UnfinishedRefundDto(Guid Id, decimal Amount, string State, DateTimeOffset CreatedAt, string Reason, bool ForCancellation, bool MayAskAgain, string Advice);

/// <summary>An order with card refunds not finished, the latest first.</summary>
public sealed record UnfinishedRefundOrderDto(Guid OrderId, Guid InvoiceId, string Invoice, string BuyerName, string Currency, IReadOnlyList<UnfinishedRefundDto> Refunds);

/// <summary>
/// The card refunds the admins have to know about: those waiting for Stripe's answer, those Stripe refused (until
/// a later refund of the order is made), and those left without an answer for a day, which hold back further
/// refunds of their order until reconciled in Stripe's dashboard. Per order, the order with the oldest first.
/// </summary>
public sealed class UnfinishedRefunds(RoundsDbContext db, Seats seats, IAuditLog audit, TimeProvider clock)
{
    public const int MaxNoteLength = 1000;

    /// <summary>
    /// Marks an unresolved or refused refund settled by hand in Stripe, with the admin's note; a member's
    /// cancellation it paid back is completed with it. The move is one
    /// update guarded on the state, in the transaction that writes its audit entry, so a refund the sweep or a
    /// retry is finishing at that moment is never marked too, and two marks at once write one entry. Rounds
    /// records no credit note for it: Stripe's report of the refund made by hand credits the order.
    /// </summary>
    public async Task<Outcome> ReconcileAsync(OrgContext org, Guid refundId, string? note, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins reconcile refunds.");
        }

        var refund = await db.Set<PendingRefund>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == refundId && p.OrganizationId == org.Id, cancellationToken);
        if (refund is null)
        {
            return Outcome.NotFound;
        }

        var text = note?.Trim() ?? "";
        if (text.Length is 0 or > MaxNoteLength || TextRules.FirstRefused(text) is not null)
        {
            return Outcome.Invalid("Note", $"Say what was done in Stripe (the refund's id there, the amount), in up to {MaxNoteLength} characters of plain text.");
        }

        if (refund.State is not (PendingRefundState.Unresolved or PendingRefundState.Refused))
        {
            return Outcome.Refused(refund.State == PendingRefundState.Pending
                ? "This refund is still being asked of Stripe; it is marked reconciled only once it is refused or left without an answer for a day."
                : "This refund is finished already.");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Set<PendingRefund>().Where(p => p.Id == refundId && (p.State == PendingRefundState.Unresolved || p.State == PendingRefundState.Refused))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PendingRefundState.Reconciled).SetProperty(p => p.CompletedAt, now)
                .SetProperty(p => p.ReconciledNote, text).SetProperty(p => p.ReconciledBy, org.UserId), cancellationToken);
        if (moved == 0)
        {
            return Outcome.Refused("This refund was finished or reconciled a moment ago.");
        }

        // The money of a member's cancellation went back by hand: the cancellation is done too, and its seat (with
        // the other seats of a bundle bought with it) goes to the next person waiting.
        var released = refund.CancelsRegistrationId is { } registrationId && await seats.ReleaseAsync(registrationId, RegistrationStatus.Cancelled, cancellationToken, refund.CancelsBundleSeatAlone);
        audit.Record(org.Id, "membership_refund.reconciled", nameof(Order), refund.OrderId.ToString(),
            before: new { refund = refund.Id, state = MembershipEndpoints.Key(refund.State), refund.Amount }, after: new { refund = refund.Id, note = text, seatReleased = released });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>How long a refusal stays on the list when no refund of the order followed it.</summary>
    public static readonly TimeSpan RefusalShownFor = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<UnfinishedRefundOrderDto>> ListAsync(Guid sellerId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var since = now - RefusalShownFor;
        var rows = await db.Set<PendingRefund>().AsNoTracking()
            .Where(p => p.OrganizationId == sellerId && (p.State == PendingRefundState.Pending || p.State == PendingRefundState.Unresolved
                || (p.State == PendingRefundState.Refused && p.CreatedAt > since
                    && !db.Set<PendingRefund>().Any(later => later.OrderId == p.OrderId && later.State == PendingRefundState.Completed && later.CreatedAt >= p.CreatedAt))))
            .ToListAsync(cancellationToken);
        var orderIds = rows.Select(p => p.OrderId).Distinct().ToList();
        var orders = await db.Set<Order>().AsNoTracking().Where(o => orderIds.Contains(o.Id)).Select(o => new { o.Id, o.BuyerName, o.Currency }).ToDictionaryAsync(o => o.Id, cancellationToken);
        var invoiceIds = rows.Select(p => p.InvoiceId).Distinct().ToList();
        var numbers = await db.Set<Invoice>().AsNoTracking().Where(i => invoiceIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Number, cancellationToken);
        return rows.GroupBy(p => p.OrderId).OrderBy(g => g.Min(p => p.CreatedAt)).Select(g =>
        {
            var first = g.First();
            return new UnfinishedRefundOrderDto(g.Key, first.InvoiceId, numbers.GetValueOrDefault(first.InvoiceId, ""), orders[g.Key].BuyerName, orders[g.Key].Currency,
                g.OrderByDescending(p => p.CreatedAt).Select(p => new UnfinishedRefundDto(p.Id, p.Amount, MembershipEndpoints.Key(p.State), p.CreatedAt, p.Reason, p.CancelsRegistrationId is not null,
                    CardPayments.MayAskAgain(p, now), Advice(p, now))).ToList());
        }).ToList();
    }

    private static string Advice(PendingRefund p, DateTimeOffset now) => p.State switch
    {
        PendingRefundState.Pending when p.CreatedAt > now - CardPayments.InFlight => "Waiting for Stripe's answer.",
        PendingRefundState.Pending => "Stripe has not answered yet. Rounds asks again every few minutes under the same key, so it is never made twice; you may ask now.",
        PendingRefundState.Unresolved => "No answer from Stripe for a day: asking again could refund twice. Check the payment in Stripe's dashboard and refund there; Stripe's report then credits the order. Other refunds of this order wait until then; mark it reconciled once settled.",
        _ => "Stripe refused it; nothing was refunded or credited. Refund again from the invoice once the cause is dealt with.",
    };
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
