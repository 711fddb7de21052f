using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Stripe;
using Stripe.Checkout;

namespace Rounds.Web.Features.Membership;

/// <summary>A payment event Stripe sent us, kept by its id so that a replay is recognised and answered without work.</summary>
public sealed class PaymentEvent
{
    public string Id { get; set; } = "";

    public string Type { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class PaymentEventConfiguration : IEntityTypeConfiguration<PaymentEvent>
{
    public void Configure(EntityTypeBuilder<PaymentEvent> builder)
    {
        builder.ToTable("MembershipPaymentEvents");
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(100);
    }
}

/// <summary>
/// Card payments through Stripe Checkout. <c>Stripe:SecretKey</c> and <c>Stripe:WebhookSecret</c> switch them on;
/// <c>Stripe:ApiBase</c> points the client elsewhere than api.stripe.com (a stand-in in tests).
/// </summary>
public sealed class CardPayments(RoundsDbContext db, IHttpClientFactory httpClients, IConfiguration configuration, PublicUrl publicUrl, Fulfilment fulfilment, Seats seats,
    CreditInvoice credit, IAuditLog audit, TimeProvider clock, ILogger<CardPayments> logger)
{
    public const string HttpClientName = "stripe";

    public bool Enabled => configuration["Stripe:SecretKey"] is { Length: > 0 } && configuration["Stripe:WebhookSecret"] is { Length: > 0 };

    /// <summary>Opens a Checkout session for an order of the caller's that awaits a card payment; returns where to send them.</summary>
    public async Task<Outcome<string>> StartCheckoutAsync(Guid sellerId, string userId, Guid orderId, CancellationToken cancellationToken = default)
    {
        var order = await db.Set<Order>().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId && o.OrganizationId == sellerId && o.BuyerUserId == userId, cancellationToken);
        if (order is null)
        {
            return Outcome.NotFound;
        }

        if (order.Status != OrderStatus.AwaitingPayment || order.PaymentMethod != PaymentMethod.Card)
        {
            return Outcome.Refused("This order does not wait for a card payment.");
        }

        if (!Enabled)
        {
            return Outcome.Refused("Card payments are not set up on this server; ask for an invoice instead.");
        }

        var seller = await db.Organizations.Where(o => o.Id == sellerId).Select(o => o.Slug).FirstAsync(cancellationToken);
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = order.Id.ToString(),
            CustomerEmail = order.BuyerEmail.Length > 0 ? order.BuyerEmail : null,
            SuccessUrl = publicUrl.For($"/membership/{seller}/account?paid={order.Id}"),
            CancelUrl = publicUrl.For($"/membership/{seller}/account"),
            Metadata = new Dictionary<string, string> { ["order"] = order.Id.ToString() },
            LineItems = order.Lines.Where(l => l.Total > 0).Select(l => new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = order.Currency.ToLowerInvariant(),
                    // Stripe counts in the currency's minor unit; the total is already rounded to it.
                    UnitAmount = (long)(l.Total * 100m),
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = l.Description },
                },
            }).ToList(),
        };
        Session session;
        try
        {
            session = await new SessionService(Client()).CreateAsync(options, new RequestOptions { IdempotencyKey = $"checkout-{order.Id}-{order.CheckoutSessionId ?? "first"}" }, cancellationToken);
        }
        catch (StripeException e)
        {
            logger.LogWarning(e, "Stripe refused a Checkout session for order {Order}", order.Id);
            return Outcome.Refused("The card payment could not be started; try again in a moment.");
        }

        order.CheckoutSessionId = session.Id;
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<string>(Outcome.Success, session.Url);
    }

    /// <summary>
    /// A webhook from Stripe. The signature is checked before anything is read; an event seen before is
    /// acknowledged without work, and the order moves only through guarded updates, so neither a replay nor events
    /// arriving out of order pay an order twice or issue a second invoice.
    /// </summary>
    public async Task<Outcome> HandleWebhookAsync(string json, string? signature, CancellationToken cancellationToken = default)
    {
        if (!Enabled)
        {
            return Outcome.NotFound;
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature ?? "", configuration["Stripe:WebhookSecret"]!, throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return Outcome.Invalid("Stripe-Signature", "The signature does not match this payload.");
        }

        if (await db.Set<PaymentEvent>().AnyAsync(e => e.Id == stripeEvent.Id, cancellationToken))
        {
            return Outcome.Success;
        }

        if (stripeEvent.Data.Object is Session session && Guid.TryParse(session.ClientReferenceId, out var orderId))
        {
            switch (stripeEvent.Type)
            {
                case EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded when session.PaymentStatus == "paid":
                    await fulfilment.MarkPaidAsync(orderId, "card", session.PaymentIntentId ?? session.Id, cancellationToken);
                    break;
                case EventTypes.CheckoutSessionExpired or EventTypes.CheckoutSessionAsyncPaymentFailed:
                    await CancelUnpaidAsync(orderId, cancellationToken);
                    break;
            }
        }
        else if (stripeEvent.Type == EventTypes.ChargeRefunded && stripeEvent.Data.Object is Charge { Refunded: true, PaymentIntentId: { Length: > 0 } refundedIntent })
        {
            // Refunded in full outside Rounds (Stripe's dashboard): the books follow with a credit note. A refund
            // Rounds made has its credit note already, so this finds the order refunded and does nothing.
            await CreditRefundedAsync(refundedIntent, "Refunded in full through Stripe.", cancellationToken);
        }
        else if (stripeEvent.Type == EventTypes.RefundUpdated && stripeEvent.Data.Object is Refund { Status: "failed" or "canceled" } refund)
        {
            var order = await db.Set<Order>().Where(o => o.PaymentReference == refund.PaymentIntentId).Select(o => new { o.Id, o.OrganizationId }).FirstOrDefaultAsync(cancellationToken);
            if (order is not null)
            {
                // The credit note stands (an issued document is never withdrawn); the admins settle the money by hand.
                logger.LogWarning("Stripe reports refund {Refund} of order {Order} as {Status}", refund.Id, order.Id, refund.Status);
                audit.Record(order.OrganizationId, "membership_refund.failed", nameof(Order), order.Id.ToString(), after: new { refund = refund.Id, refund.Status, reason = refund.FailureReason });
            }
        }

        db.Add(new PaymentEvent { Id = stripeEvent.Id, Type = stripeEvent.Type, ReceivedAt = DateTimeOffset.UtcNow });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same event handled at the same moment by another request; the guarded updates let only one act.
        }

        return Outcome.Success;
    }

    /// <summary>
    /// Refunds what is left of a card-paid invoice through Stripe's Refunds API and credits it. A retry (a second
    /// click, a request repeated after a lost answer) gets Stripe's first refund back instead of a second one (see
    /// <see cref="RefundCardAsync"/>); the credit note is written once, guarded by the order's credit count.
    /// </summary>
    public async Task<Outcome<Invoice>> RefundAsync(OrgContext org, Guid invoiceId, string? reason, CancellationToken cancellationToken = default)
    {
        var paid = await PaidByCardAsync(org, invoiceId, reason, cancellationToken);
        if (!paid.Succeeded)
        {
            return paid.Status;
        }

        var (invoice, order, paymentIntent) = paid.Value!;
        var parts = order.Lines.Where(l => l.Refundable > 0 || l.CreditedAmount == 0)
            .Select(l => new CreditPart(l.Id, l.Refundable, l.CreditedAmount == 0 ? $"Credit for {invoice.Number}: {l.Description}" : $"Credit of the rest of {invoice.Number}: {l.Description}")).ToList();
        return await RefundAndCreditAsync(org.Id, invoice, order, paymentIntent, parts, reason!.Trim(), cancellationToken);
    }

    /// <summary>
    /// Refunds part of one line of a card-paid invoice through Stripe and issues a credit note for exactly that
    /// amount; the seat or membership the line bought stays. A double click refunds once; a later, separate refund,
    /// worked out after the first was credited, is a new one.
    /// </summary>
    public async Task<Outcome<Invoice>> RefundPartAsync(OrgContext org, Guid invoiceId, PartialRefundBody body, CancellationToken cancellationToken = default)
    {
        var paid = await PaidByCardAsync(org, invoiceId, body.Reason, cancellationToken);
        if (!paid.Succeeded)
        {
            return paid.Status;
        }

        var (invoice, order, paymentIntent) = paid.Value!;
        var line = body.Line is { } lineId ? order.Lines.FirstOrDefault(l => l.Id == lineId) : order.Lines.Count(l => l.Total > 0) == 1 ? order.Lines.Single(l => l.Total > 0) : null;
        if (line is null)
        {
            return Outcome.Invalid("Line", "Name the line of the order to refund part of.");
        }

        if (body.Amount is not { } amount || amount <= 0 || Money.Round(amount) != amount || amount > line.Refundable)
        {
            return Outcome.Invalid("Amount", $"Give an amount in dollars and cents above zero and at most {Money.Format(line.Refundable, order.Currency)}, what is left unrefunded on this line.");
        }

        var part = new CreditPart(line.Id, amount, $"Partial credit for {invoice.Number}: {line.Description}");
        return await RefundAndCreditAsync(org.Id, invoice, order, paymentIntent, [part], body.Reason!.Trim(), cancellationToken);
    }

    /// <summary>Who may refund what: an admin, with a reason, an invoice of a paid card order with something left to give back.</summary>
    private async Task<Outcome<(Invoice Invoice, Order Order, string PaymentIntent)>> PaidByCardAsync(OrgContext org, Guid invoiceId, string? reason, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins refund payments.");
        }

        if (CreditInvoice.ReasonProblem(reason) is { } problem)
        {
            return problem;
        }

        var invoice = await db.Set<Invoice>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId && i.OrganizationId == org.Id, cancellationToken);
        if (invoice is null)
        {
            return Outcome.NotFound;
        }

        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).FirstAsync(o => o.Id == invoice.OrderId, cancellationToken);
        if (invoice.Kind != InvoiceKind.Invoice || order.Status != OrderStatus.Paid || order.Lines.Sum(l => l.Refundable) <= 0)
        {
            return Outcome.Refused("This invoice has been credited or refunded already, or is itself a credit note.");
        }

        if (order.PaymentMethod != PaymentMethod.Card || order.PaymentReference is not { Length: > 0 } paymentIntent || !paymentIntent.StartsWith("pi_", StringComparison.Ordinal))
        {
            return Outcome.Refused("This invoice was not paid by card through Stripe; credit it and return the money the way it came.");
        }

        return new Outcome<(Invoice, Order, string)>(Outcome.Success, (invoice, order, paymentIntent));
    }

    private Task<Outcome<Invoice>> RefundAndCreditAsync(Guid sellerId, Invoice invoice, Order order, string paymentIntent, IReadOnlyList<CreditPart> parts, string reason, CancellationToken cancellationToken) =>
        RefundCardAsync(new PendingRefund
        {
            OrganizationId = sellerId, OrderId = order.Id, InvoiceId = invoice.Id, CreditNotesSeen = order.CreditNotes, PaymentIntent = paymentIntent,
            Amount = parts.Sum(p => p.Amount), Parts = PendingRefund.WriteParts(parts), Reason = reason,
        }, invoice.Number, cancellationToken);

    /// <summary>
    /// Refunds a card payment and brings the books to match, in three steps: the refund is recorded as pending
    /// (committed), Stripe is asked for it under the pending record's key, and the record is completed with the
    /// credit note (and, for a cancellation, the seat given back) in one transaction. A refusal from Stripe removes
    /// the record and changes nothing else. A lost answer, or a crash after Stripe made the refund, leaves the record
    /// pending, and the sweep (<see cref="FinishPendingAsync"/>) asks again under the same key, which Stripe answers
    /// with the refund it made: the money goes back once and the books follow.
    /// </summary>
    internal async Task<Outcome<Invoice>> RefundCardAsync(PendingRefund pending, string invoiceNumber, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Outcome.Refused("Card payments are not set up on this server, so Stripe cannot be asked for the refund.");
        }

        // While a refund of the order has no answer, only the same refund may be asked again (same books, same key,
        // which Stripe answers with the refund it made). Another, worked out from other books, goes under a new key
        // and could pay twice; and one left without an answer for a day is the admins' to reconcile in Stripe first.
        var open = await db.Set<PendingRefund>().AsNoTracking()
            .Where(p => p.OrderId == pending.OrderId && (p.State == PendingRefundState.Pending || p.State == PendingRefundState.Unresolved))
            .Select(p => new { p.State, p.CreditNotesSeen }).ToListAsync(cancellationToken);
        if (open.Any(p => p.State == PendingRefundState.Unresolved))
        {
            return Outcome.Refused("A refund of this order never got Stripe's answer: check the payment in Stripe's dashboard and refund there; Stripe's report then credits the order.");
        }

        if (open.Any(p => p.CreditNotesSeen != pending.CreditNotesSeen))
        {
            return Outcome.Refused("Another refund of this order is still waiting for Stripe's answer; Rounds finishes it within minutes. Look at the order again then.");
        }

        pending.State = PendingRefundState.Pending;
        pending.CreatedAt = clock.GetUtcNow();
        db.Add(pending);
        await db.SaveChangesAsync(cancellationToken);
        var answer = await AskStripeAsync(pending, invoiceNumber, cancellationToken);
        if (answer.RefundId is { } refundId)
        {
            return await CompleteAsync(pending.Id, refundId, cancellationToken);
        }

        if (answer.Refusal is { } refusal)
        {
            await RefusedAsync(pending.Id, cancellationToken);
            return refusal;
        }

        return Outcome.Refused("Stripe did not answer. The refund is recorded as pending: within minutes Rounds asks Stripe again and finishes it, and it is never made twice.");
    }

    /// <summary>Finishes refunds left pending by a lost answer or a crash; see <see cref="RefundCardAsync"/>.</summary>
    public async Task<int> FinishPendingAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var waiting = await db.Set<PendingRefund>().AsNoTracking().Where(p => p.State == PendingRefundState.Pending).ToListAsync(cancellationToken);

        // Those older than Stripe keeps idempotency keys (24 hours): asking again could make a second refund, so they
        // go to the admins, once, and stop holding the order's refund webhooks back.
        foreach (var stale in waiting.Where(p => p.CreatedAt <= now - KeyLifetime))
        {
            var marked = await db.Set<PendingRefund>().Where(p => p.Id == stale.Id && p.State == PendingRefundState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PendingRefundState.Unresolved), cancellationToken);
            if (marked == 1)
            {
                logger.LogError("Refund {Refund} of order {Order} got no answer from Stripe within a day; reconcile it in Stripe's dashboard", stale.Id, stale.OrderId);
                audit.Record(stale.OrganizationId, "membership_refund.unresolved", nameof(Order), stale.OrderId.ToString(), after: new { stale.Amount, stale.IdempotencyKey });
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        // Not those a request may still be working on: Stripe's client waits up to 80 seconds and retries once.
        var due = waiting.Where(p => MayAskAgain(p, now)).OrderBy(p => p.CreatedAt).ToList();
        var finished = 0;
        foreach (var pending in due)
        {
            if ((await AskAgainAsync(pending, cancellationToken)).RefundId is not null)
            {
                finished++;
            }
        }

        return finished;
    }

    /// <summary>How long a request may still be waiting for Stripe's answer to the refund it recorded (its client waits up to 80 seconds and retries once).</summary>
    public static readonly TimeSpan InFlight = TimeSpan.FromMinutes(10);

    /// <summary>How long Stripe keeps an idempotency key (24 hours), less a margin: past it, asking again could refund twice.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(23);

    /// <summary>A pending refund no request is working on any more, whose key Stripe still keeps: asking again under it is safe.</summary>
    public static bool MayAskAgain(PendingRefund pending, DateTimeOffset now) =>
        pending.State == PendingRefundState.Pending && pending.CreatedAt <= now - InFlight && pending.CreatedAt > now - KeyLifetime;

    /// <summary>
    /// An admin asks Stripe again, now, for a refund left pending, as the sweep does every few minutes: under the
    /// same key, so Stripe answers with the refund it made, or makes it once.
    /// </summary>
    public async Task<Outcome<PendingRefundState>> RetryPendingAsync(OrgContext org, Guid pendingId, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins refund payments.");
        }

        var pending = await db.Set<PendingRefund>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pendingId && p.OrganizationId == org.Id, cancellationToken);
        if (pending is null)
        {
            return Outcome.NotFound;
        }

        if (!Enabled)
        {
            return Outcome.Refused("Card payments are not set up on this server, so Stripe cannot be asked for the refund.");
        }

        var now = clock.GetUtcNow();
        if (pending.State != PendingRefundState.Pending)
        {
            return Outcome.Refused(pending.State == PendingRefundState.Unresolved
                ? "This refund never got Stripe's answer and is a day old: asking again could refund twice. Check the payment in Stripe's dashboard and refund there; Stripe's report then credits the order."
                : "This refund is not waiting for Stripe any more.");
        }

        if (!MayAskAgain(pending, now))
        {
            return Outcome.Refused(pending.CreatedAt > now - InFlight
                ? "The request that recorded this refund may still be waiting for Stripe's answer; ask again in a few minutes."
                : "This refund is a day old without Stripe's answer: asking again could refund twice. Check the payment in Stripe's dashboard.");
        }

        var answer = await AskAgainAsync(pending, cancellationToken);
        audit.Record(org.Id, "membership_refund.retried", nameof(Order), pending.OrderId.ToString(), after: new { pending.Amount, answered = answer.RefundId is not null ? "refunded" : answer.Refusal is not null ? "refused" : "no answer" });
        await db.SaveChangesAsync(cancellationToken);
        if (answer.Refusal is { } refusal)
        {
            return refusal;
        }

        return answer.RefundId is not null
            ? new Outcome<PendingRefundState>(Outcome.Success, PendingRefundState.Completed)
            : Outcome.Refused("Stripe did not answer this time either. The refund stays pending, Rounds keeps asking, and it is never made twice.");
    }

    /// <summary>Asks Stripe again for a pending refund under its key and records the answer, as the sweep does.</summary>
    private async Task<StripeAnswer> AskAgainAsync(PendingRefund pending, CancellationToken cancellationToken)
    {
        var invoiceNumber = await db.Set<Invoice>().Where(i => i.Id == pending.InvoiceId).Select(i => i.Number).FirstAsync(cancellationToken);
        var answer = await AskStripeAsync(pending, invoiceNumber, cancellationToken);
        if (answer.RefundId is { } refundId)
        {
            await CompleteAsync(pending.Id, refundId, cancellationToken);
        }
        else if (answer.Refusal is not null)
        {
            logger.LogWarning("Stripe refuses pending refund {Refund} of order {Order}", pending.Id, pending.OrderId);
            await RefusedAsync(pending.Id, cancellationToken);
        }

        return answer;
    }

    /// <summary>Stripe refused the refund: the record stays, marked, so whoever finishes the same key later still finds it.</summary>
    private Task<int> RefusedAsync(Guid pendingId, CancellationToken cancellationToken) =>
        db.Set<PendingRefund>().Where(p => p.Id == pendingId && p.State == PendingRefundState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PendingRefundState.Refused), cancellationToken);

    /// <summary>
    /// Records a refund Stripe made: the pending record is completed by the one update that moves it, so a request
    /// and the sweep finishing the same refund record it once; and two pending records Stripe answered with the same
    /// refund (two cancellations at once) are one refund in the books.
    /// </summary>
    private async Task<Outcome<Invoice>> CompleteAsync(Guid pendingId, string refundId, CancellationToken cancellationToken)
    {
        var pending = await db.Set<PendingRefund>().AsNoTracking().FirstAsync(p => p.Id == pendingId, cancellationToken);
        await credit.PrepareAsync(pending.OrganizationId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();

        // The key names the books, not the seat: two seats of one order cancelled alone at once, for the same amount,
        // send Stripe the same request under the same key, and Stripe answers the second with the first's refund.
        // That refund paid for the other seat, so this one was never made.
        var other = await db.Set<PendingRefund>().AsNoTracking()
            .Where(p => p.Id != pendingId && p.StripeRefundId == refundId && p.State == PendingRefundState.Completed)
            .Select(p => new { p.CancelsRegistrationId }).FirstOrDefaultAsync(cancellationToken);
        if (other is not null && other.CancelsRegistrationId != pending.CancelsRegistrationId)
        {
            await RefusedAsync(pendingId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Outcome.Refused("Another refund of this order was made at the same moment. Look at the order again, then ask once more.");
        }

        var claimed = await db.Set<PendingRefund>().Where(p => p.Id == pendingId && p.State == PendingRefundState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PendingRefundState.Completed).SetProperty(p => p.StripeRefundId, refundId).SetProperty(p => p.CompletedAt, now), cancellationToken);
        if (claimed == 0 || await db.Set<PendingRefund>().AnyAsync(p => p.Id != pendingId && p.StripeRefundId == refundId && p.State == PendingRefundState.Completed, cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
            // Finished at the same moment by the sweep or by the twin of this request: the refund is made and in the
            // books, which is what the caller asked for, so they are shown its credit note rather than an error.
            var recorded = await db.Set<Invoice>().AsNoTracking().Where(i => i.OrderId == pending.OrderId && i.Kind == InvoiceKind.CreditNote)
                .OrderByDescending(i => i.IssuedAt).FirstOrDefaultAsync(cancellationToken);
            return recorded is not null
                ? new Outcome<Invoice>(Outcome.Success, recorded)
                : Outcome.Refused(pending.CancelsRegistrationId is null ? "This refund has been recorded already." : "This registration is cancelled or expired already.");
        }

        if (pending.CancelsRegistrationId is { } registrationId)
        {
            await seats.ReleaseAsync(registrationId, RegistrationStatus.Cancelled, cancellationToken, pending.CancelsBundleSeatAlone);
        }

        var invoice = await db.Set<Invoice>().AsNoTracking().FirstAsync(i => i.Id == pending.InvoiceId, cancellationToken);
        var note = await credit.WriteAsync(invoice, pending.CreditNotesSeen, pending.ReadParts(), pending.Reason, cancellationToken, releaseSeats: !pending.CancelsBundleSeatAlone);
        if (!note.Succeeded)
        {
            // The books moved since the refund was worked out (a refund made in Stripe's dashboard was credited in
            // the meantime): the money went back once, and the admins reconcile the note by hand.
            logger.LogWarning("Refund {Refund} of order {Order} was made but its credit note could not be written", refundId, pending.OrderId);
            audit.Record(pending.OrganizationId, "membership_refund.unrecorded", nameof(Order), pending.OrderId.ToString(), after: new { refund = refundId, pending.Amount });
        }
        else
        {
            audit.Record(pending.OrganizationId, "membership_order.refunded", nameof(Order), pending.OrderId.ToString(), after: new { refund = refundId, amount = pending.Amount, creditNote = note.Value!.Number });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return note;
    }

    private sealed record StripeAnswer(string? RefundId, Outcome? Refusal);

    /// <summary>
    /// Asks Stripe for the pending refund. An answer of Stripe's (a refund, or a refusal) is definite; no answer (the
    /// connection dropped, Stripe failed) is neither, and the refund stays pending.
    /// </summary>
    private async Task<StripeAnswer> AskStripeAsync(PendingRefund pending, string invoiceNumber, CancellationToken cancellationToken)
    {
        Refund refund;
        try
        {
            refund = await new RefundService(Client()).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = pending.PaymentIntent,
                    Amount = MinorUnits(pending.Amount),
                    Reason = "requested_by_customer",
                    Metadata = new Dictionary<string, string> { ["order"] = pending.OrderId.ToString(), ["invoice"] = invoiceNumber },
                },
                new RequestOptions { IdempotencyKey = pending.IdempotencyKey },
                cancellationToken);
        }
        catch (StripeException e) when ((int)e.HttpStatusCode is 409 or 429 || e.StripeError?.Code == "lock_timeout")
        {
            // Another request under the same key is still running (the sweep, or this request's twin), or Stripe asks
            // to slow down: not an answer about the refund, so it stays pending and is asked again later.
            logger.LogWarning(e, "Stripe is busy with a refund of order {Order}; it stays pending", pending.OrderId);
            return new StripeAnswer(null, null);
        }
        catch (StripeException e) when (e.StripeError?.Type == "idempotency_error")
        {
            logger.LogWarning(e, "Stripe holds another refund of order {Order} worked out from the same credits", pending.OrderId);
            return new StripeAnswer(null, Outcome.Refused("Another refund of this order was made at the same moment; look at the order again before refunding more."));
        }
        catch (StripeException e) when (e.StripeError is not null && (int)e.HttpStatusCode is >= 400 and < 500)
        {
            logger.LogWarning(e, "Stripe refused a refund of order {Order}", pending.OrderId);
            return new StripeAnswer(null, Outcome.Refused($"Stripe refused the refund: {e.StripeError.Message ?? e.Message}"));
        }
        catch (Exception e) when (e is StripeException or HttpRequestException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Stripe did not answer a refund of order {Order}; it stays pending", pending.OrderId);
            return new StripeAnswer(null, null);
        }

        return refund.Status is "failed" or "canceled"
            ? new StripeAnswer(null, Outcome.Refused($"Stripe reports the refund as {refund.Status}; nothing was credited."))
            : new StripeAnswer(refund.Id, null);
    }

    /// <summary>Stripe counts in the currency's minor unit; amounts here are already rounded to it.</summary>
    private static long MinorUnits(decimal amount) => (long)(amount * 100m);

    /// <summary>Credits the paid order of a payment Stripe reports as refunded in full, unless it is credited already.</summary>
    private async Task CreditRefundedAsync(string paymentIntent, string reason, CancellationToken cancellationToken)
    {
        var invoice = await (from o in db.Set<Order>()
                             join i in db.Set<Invoice>() on o.Id equals i.OrderId
                             where o.PaymentReference == paymentIntent && o.Status == OrderStatus.Paid && i.Kind == InvoiceKind.Invoice
                             select new { i.Id, i.OrganizationId, i.OrderId }).FirstOrDefaultAsync(cancellationToken);
        // A refund Rounds recorded as pending is Stripe's report of that refund: finishing it writes its own note.
        if (invoice is null || await db.Set<PendingRefund>().AnyAsync(p => p.OrderId == invoice.OrderId && p.State == PendingRefundState.Pending, cancellationToken))
        {
            return;
        }

        try
        {
            await credit.IssueAsync(invoice.OrganizationId, invoice.Id, reason, cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            // Credited at the same moment by a replay of this event or by an admin's refund.
        }
    }

    /// <summary>A Checkout that ran out unpaid gives its event seat back; a paid order is left alone.</summary>
    private async Task CancelUnpaidAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cancelled = await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), cancellationToken);
        if (cancelled == 1)
        {
            foreach (var registrationId in await db.Set<OrderLine>().Where(l => l.OrderId == orderId && l.RegistrationId != null).Select(l => l.RegistrationId!.Value).ToListAsync(cancellationToken))
            {
                await seats.ReleaseAsync(registrationId, RegistrationStatus.Expired, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private StripeClient Client() => new(
        apiKey: configuration["Stripe:SecretKey"],
        httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 1, appInfo: null, enableTelemetry: false),
        apiBase: configuration["Stripe:ApiBase"] is { Length: > 0 } apiBase ? apiBase : null);
}
