using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// The seat count of events. A seat is taken only by an update guarded on the count being below capacity, which
/// the database applies one at a time per event row; whoever loses the race finds no seat and goes on the waiting
/// list. Callers run these inside their own transaction, so the count and the registration change together.
/// </summary>
public sealed class Seats(RoundsDbContext db, ResidencyCourse course, TimeProvider clock)
{
    public static readonly TimeSpan OfferLifetime = TimeSpan.FromHours(48);

    public async Task<bool> TryTakeAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        await db.Set<NetworkEvent>().Where(e => e.Id == eventId && e.SeatsTaken < e.Capacity)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SeatsTaken, e => e.SeatsTaken + 1), cancellationToken) == 1;

    /// <summary>
    /// Moves a registration that holds a seat to <paramref name="to"/>, gives the seat back and offers it on. A seat
    /// bought in a bundle takes the other seats of that purchase with it, unless <paramref name="alone"/>: a
    /// registrant cancelling one event of a bundle keeps the others.
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid registrationId, RegistrationStatus to, CancellationToken cancellationToken = default, bool alone = false)
    {
        var bundle = await db.Set<Registration>().AsNoTracking().Where(r => r.Id == registrationId).Select(r => new { r.OrderId, r.BundleId }).FirstOrDefaultAsync(cancellationToken);
        var released = await ReleaseOneAsync(registrationId, to, cancellationToken);
        if (released && !alone && bundle is { OrderId: { } orderId, BundleId: { } bundleId })
        {
            foreach (var sibling in await BundleRegistrations.SeatsOfAsync(db, orderId, bundleId, cancellationToken))
            {
                await ReleaseOneAsync(sibling, to, cancellationToken);
            }
        }

        return released;
    }

    private async Task<bool> ReleaseOneAsync(Guid registrationId, RegistrationStatus to, CancellationToken cancellationToken)
    {
        var registration = await db.Set<Registration>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == registrationId, cancellationToken);
        if (registration is null)
        {
            return false;
        }

        var moved = await db.Set<Registration>()
            .Where(r => r.Id == registrationId && (r.Status == RegistrationStatus.AwaitingPayment || r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Offered))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to).SetProperty(r => r.ExpiresAt, (DateTimeOffset?)null), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        await db.Set<NetworkEvent>().Where(e => e.Id == registration.EventId && e.SeatsTaken > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SeatsTaken, e => e.SeatsTaken - 1), cancellationToken);
        await Programme.ReleaseAllAsync(db, registrationId, cancellationToken);
        await course.WithdrawForAsync(registrationId, cancellationToken);
        await OfferNextAsync(registration.EventId, cancellationToken);
        return true;
    }

    /// <summary>Offers free seats to the waiting list in the order people joined it; each offer holds its seat until it expires.</summary>
    public async Task OfferNextAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            var next = await db.Set<Registration>().Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Waitlisted)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            if (next == Guid.Empty || !await TryTakeAsync(eventId, cancellationToken))
            {
                return;
            }

            var offered = await db.Set<Registration>().Where(r => r.Id == next && r.Status == RegistrationStatus.Waitlisted)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RegistrationStatus.Offered).SetProperty(r => r.ExpiresAt, now + OfferLifetime), cancellationToken);
            if (offered == 0)
            {
                // Someone else moved that registration first; put the seat back and look again.
                await db.Set<NetworkEvent>().Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.SeatsTaken, e => e.SeatsTaken - 1), cancellationToken);
            }
        }
    }
}

/// <summary>What a cancellation gave back: the amount, the share of the price under the event's rule, the credit note that records it.</summary>
public sealed record Cancellation(decimal Refunded, string Currency, decimal Percent, string? CreditNote);

/// <summary>What cancelling a paid seat would give back at a moment, from the order line and invoice that paid for it.</summary>
public sealed record RefundDue(Order Order, OrderLine Line, Invoice Invoice, decimal Percent, decimal Amount);

/// <summary>
/// People registering for events: a seat if one is free (held until paid, when the price is not zero), the
/// waiting list otherwise; offers from the waiting list, cancellation, expiry of unpaid holds and offers, and
/// check-in at the door.
/// </summary>
public sealed class Registrations(RoundsDbContext db, Seats seats, Pricing pricing, CardPayments payments, CreditInvoice credit, ResidencyCourse course, MemberBenefits benefits, IAuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan HoldLifetime = TimeSpan.FromMinutes(30);

    public async Task<Outcome<Registration>> RegisterAsync(Guid sellerId, string userId, Guid eventId, string? voucher, CancellationToken cancellationToken = default) =>
        await RegisterAsync(sellerId, userId, eventId, voucher, null, cancellationToken);

    /// <summary>Registers with answers to the event's questions; a missing or wrong answer refuses the registration before anything is saved.</summary>
    public async Task<Outcome<Registration>> RegisterAsync(Guid sellerId, string userId, Guid eventId, string? voucher, IReadOnlyDictionary<string, string?>? answers, CancellationToken cancellationToken = default)
    {
        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId && e.OrganizationId == sellerId, cancellationToken);
        // A private residency is not there for anyone but its host's staff, not even as a refusal.
        if (networkEvent is null || !await benefits.MayAttendAsync(networkEvent, userId, cancellationToken))
        {
            return Outcome.NotFound;
        }

        var now = clock.GetUtcNow();
        if (networkEvent.StartsAt <= now)
        {
            return Outcome.Refused("This event has started; registration is closed.");
        }

        if (await db.Set<Registration>().AnyAsync(r => r.EventId == eventId && r.UserId == userId && r.Status != RegistrationStatus.Cancelled && r.Status != RegistrationStatus.Expired, cancellationToken))
        {
            return Outcome.Refused("You are registered for this event already, or on its waiting list.");
        }

        var answered = RegistrationQuestions.Check(RegistrationQuestions.Read(networkEvent.Questions), answers);
        if (!answered.Succeeded)
        {
            return answered.Status;
        }

        var product = await db.Set<Product>().FirstAsync(p => p.Id == networkEvent.ProductId, cancellationToken);
        var priced = await pricing.QuoteAsync(sellerId, userId, product, voucher, cancellationToken);
        if (!priced.Succeeded)
        {
            return priced.Status;
        }

        var name = await db.People().Where(p => p.Id == userId).Select(p => p.DisplayName).FirstAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var registration = new Registration
        {
            OrganizationId = sellerId, EventId = eventId, UserId = userId, AttendeeName = name, CreatedAt = now, TicketCode = NewTicketCode(),
            Status = RegistrationStatus.Waitlisted, Answers = RegistrationQuestions.WriteAnswers(answered.Value!),
        };
        db.Add(registration);
        if (await seats.TryTakeAsync(eventId, cancellationToken))
        {
            var held = await HoldAsync(registration, priced.Value!, networkEvent, now, cancellationToken);
            if (!held.Succeeded)
            {
                await transaction.RollbackAsync(cancellationToken);
                return held;
            }
        }

        audit.Record(sellerId, "event_registration.created", nameof(Registration), registration.Id.ToString(), after: new { eventId, Status = registration.Status.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<Registration>(Outcome.Success, registration);
    }

    /// <summary>Takes up an offer from the waiting list while it lasts: confirmed at once when free, otherwise held for payment.</summary>
    public async Task<Outcome<Registration>> AcceptOfferAsync(Guid sellerId, string userId, Guid registrationId, CancellationToken cancellationToken = default)
    {
        var registration = await db.Set<Registration>().FirstOrDefaultAsync(r => r.Id == registrationId && r.OrganizationId == sellerId && r.UserId == userId, cancellationToken);
        if (registration is null)
        {
            return Outcome.NotFound;
        }

        var now = clock.GetUtcNow();
        if (registration.Status != RegistrationStatus.Offered || registration.ExpiresAt <= now)
        {
            return Outcome.Refused("There is no open offer of a seat on this registration.");
        }

        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().FirstAsync(e => e.Id == registration.EventId, cancellationToken);
        var product = await db.Set<Product>().FirstAsync(p => p.Id == networkEvent.ProductId, cancellationToken);
        var priced = await pricing.QuoteAsync(sellerId, userId, product, null, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The seat was taken for the offer; the guarded move keeps an expiry running at the same moment from giving it away twice.
        var claimed = await db.Set<Registration>().Where(r => r.Id == registrationId && r.Status == RegistrationStatus.Offered)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RegistrationStatus.AwaitingPayment), cancellationToken);
        if (claimed == 0)
        {
            return Outcome.Refused("The offer has just expired.");
        }

        await db.Entry(registration).ReloadAsync(cancellationToken);
        var held = await HoldAsync(registration, priced.Value!, networkEvent, now, cancellationToken);
        if (!held.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return held;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<Registration>(Outcome.Success, registration);
    }

    /// <summary>
    /// The seat is held: free registrations are confirmed, others wait for their order's payment. Which of the two is
    /// known once the line is frozen, since a capped plan's last seat may have gone since the quote.
    /// </summary>
    /// <remarks>A voucher that is no longer good refuses the hold, and the caller rolls its transaction back.</remarks>
    private async Task<Outcome> HoldAsync(Registration registration, PricedProduct priced, NetworkEvent networkEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var order = new Order
        {
            OrganizationId = registration.OrganizationId, BuyerUserId = registration.UserId, BuyerName = registration.AttendeeName, Currency = priced.Product.Currency, CreatedAt = now,
        };
        registration.OrderId = order.Id;
        db.Add(order);
        var frozen = await pricing.FreezeAsync(order, priced, networkEvent.Title, registration.UserId, cancellationToken);
        if (!frozen.Succeeded)
        {
            return frozen.Status;
        }

        var line = frozen.Value!;
        line.RegistrationId = registration.Id;
        if (line.Total == 0)
        {
            (order.Status, order.PaymentMethod, order.PaidAt) = (OrderStatus.Paid, PaymentMethod.None, now);
            registration.Status = RegistrationStatus.Confirmed;
            registration.ExpiresAt = null;
            await course.GrantForAsync(registration.Id, networkEvent.Id, registration.UserId, cancellationToken);
            return Outcome.Success;
        }

        (order.Status, order.PaymentMethod) = (OrderStatus.AwaitingPayment, PaymentMethod.Card);
        registration.Status = RegistrationStatus.AwaitingPayment;
        registration.ExpiresAt = now + HoldLifetime;
        return Outcome.Success;
    }

    /// <summary>
    /// The attendee gives up their place or leaves the waiting list; a freed seat is offered on at once. A paid seat
    /// gets back what the event's refund rule gives at this moment: the card refund is recorded as pending, asked
    /// of Stripe, and only once Stripe has made it are the seat released and the credit note for exactly that
    /// amount written, in one transaction (<see cref="CardPayments.RefundCardAsync"/>). A refusal from Stripe leaves
    /// everything as it was; the idempotency key is the state of the order's credits, so a retry after a lost
    /// answer, two cancellations at once, or a cancellation racing an admin's refund, refund once.
    /// </summary>
    /// <param name="userId">The registrant, who cancels their own registration; null for the network's admins, who cancel anyone's under the same rule.</param>
    public async Task<Outcome<Cancellation>> CancelAsync(Guid sellerId, string? userId, Guid registrationId, CancellationToken cancellationToken = default)
    {
        var registration = await db.Set<Registration>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == registrationId && r.OrganizationId == sellerId && (userId == null || r.UserId == userId), cancellationToken);
        if (registration is null)
        {
            return Outcome.NotFound;
        }

        if (registration.Status is RegistrationStatus.Cancelled or RegistrationStatus.Expired)
        {
            return Outcome.Refused("This registration is cancelled or expired already.");
        }

        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().FirstAsync(e => e.Id == registration.EventId, cancellationToken);
        if (registration is { BundleId: { } bundleId, OrderId: { } bundleOrder })
        {
            // A bundle's seats go back together, under the refund rule of its first event and until that event starts;
            // seats cancelled alone before are gone, so the first of those still held decides.
            var bundled = await db.Set<NetworkEvent>().AsNoTracking()
                .Where(e => db.Set<Registration>().Any(r => r.OrderId == bundleOrder && r.BundleId == bundleId && r.EventId == e.Id
                    && r.Status != RegistrationStatus.Cancelled && r.Status != RegistrationStatus.Expired)).ToListAsync(cancellationToken);
            networkEvent = bundled.OrderBy(e => e.StartsAt).ThenBy(e => e.Id).First();
        }

        var now = clock.GetUtcNow();
        if (networkEvent.StartsAt <= now)
        {
            return Outcome.Refused(registration.BundleId is null ? "This event has started; its registrations can no longer be cancelled." : $"{networkEvent.Title} has started; the bundle's seats can no longer be cancelled.");
        }

        var due = await RefundDueAsync(registration, networkEvent, now, cancellationToken);
        CreditPart? part = null;
        var noteReason = "";
        if (due is { Amount: > 0 })
        {
            var days = (int)Math.Floor((networkEvent.StartsAt - now).TotalDays);
            var percent = due.Percent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            part = new CreditPart(due.Line.Id, due.Amount, $"Refund of {percent}% on cancellation, {due.Invoice.Number}: {due.Line.Description}");
            noteReason = $"Cancelled by {(userId is null ? "the network's admins" : "the attendee")} {days} {(days == 1 ? "day" : "days")} before the start; {percent}% refunded under the event's refund rule.";
        }

        return await SettleAsync(sellerId, registration, due, part, noteReason, false, userId is null, cancellationToken);
    }

    /// <summary>
    /// Cancels one seat of a bundle and keeps the others, for its registrant or, with <paramref name="userId"/>
    /// null, for the network's admins. What the seat stands for of the bundle line (<see cref="BundleShares"/>) is
    /// refunded under its own event's refund rule until that event starts, and never more than is left of the line;
    /// the seat goes back and is offered to the waiting list, and the refund and credit note are made as for any
    /// cancellation. Only a confirmed seat is cancelled alone: an unpaid bundle is paid or cancelled whole.
    /// </summary>
    public async Task<Outcome<Cancellation>> CancelBundleSeatAsync(Guid sellerId, string? userId, Guid registrationId, CancellationToken cancellationToken = default)
    {
        var registration = await db.Set<Registration>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == registrationId && r.OrganizationId == sellerId && (userId == null || r.UserId == userId), cancellationToken);
        if (registration is null)
        {
            return Outcome.NotFound;
        }

        if (registration is not { BundleId: { } bundleId, OrderId: { } orderId })
        {
            return Outcome.Refused("This seat was not bought in a bundle; cancel the registration itself.");
        }

        if (registration.Status != RegistrationStatus.Confirmed)
        {
            return registration.Status is RegistrationStatus.Cancelled or RegistrationStatus.Expired
                ? Outcome.Refused("This registration is cancelled or expired already.")
                : Outcome.Refused("The bundle is not paid yet: pay for it, or cancel the whole bundle.");
        }

        var networkEvent = await db.Set<NetworkEvent>().AsNoTracking().FirstAsync(e => e.Id == registration.EventId, cancellationToken);
        var now = clock.GetUtcNow();
        if (networkEvent.StartsAt <= now)
        {
            return Outcome.Refused($"{networkEvent.Title} has started; its seat can no longer be cancelled.");
        }

        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).FirstAsync(o => o.Id == orderId, cancellationToken);
        var line = order.Lines.FirstOrDefault(l => l.BundleId == bundleId);
        RefundDue? due = null;
        CreditPart? part = null;
        var noteReason = "";
        if (line is not null && order.Status == OrderStatus.Paid
            && await db.Set<Invoice>().AsNoTracking().FirstOrDefaultAsync(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice, cancellationToken) is { } invoice)
        {
            var share = (await BundleShares.OfAsync(db, orderId, bundleId, line.Total, cancellationToken)).First(s => s.RegistrationId == registrationId).Share;
            var percent = RefundRule.Read(networkEvent.RefundRule).PercentAt(networkEvent.StartsAt, now);
            // The part's own price under the rule, and never more than the line has left: cancelling every part one by
            // one gives back at most what was paid.
            due = new RefundDue(order, line, invoice, percent, Math.Min(RefundRule.AmountFor(share, 0m, percent), Math.Max(0m, line.Refundable)));
            if (due.Amount > 0)
            {
                var days = (int)Math.Floor((networkEvent.StartsAt - now).TotalDays);
                var shown = percent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
                part = new CreditPart(line.Id, due.Amount, $"Refund of {shown}% of the {networkEvent.Title} part ({Money.Format(share, order.Currency)}) on cancellation, {invoice.Number}: {line.Description}".Clip(300));
                noteReason = $"{networkEvent.Title} cancelled alone by {(userId is null ? "the network's admins" : "the attendee")} {days} {(days == 1 ? "day" : "days")} before its start; "
                    + $"{shown}% of its part of the bundle refunded under the event's refund rule; the bundle's other events are kept.";
            }
        }

        return await SettleAsync(sellerId, registration, due, part, noteReason, true, userId is null, cancellationToken);
    }

    /// <summary>
    /// Gives the seat back and refunds what is due: by card through <see cref="CardPayments.RefundCardAsync"/>,
    /// which releases the seat once Stripe has refunded, otherwise in one transaction here. With
    /// <paramref name="alone"/> a bundle's other seats stay.
    /// </summary>
    private async Task<Outcome<Cancellation>> SettleAsync(Guid sellerId, Registration registration, RefundDue? due, CreditPart? part, string noteReason, bool alone, bool byAdmins,
        CancellationToken cancellationToken)
    {
        var registrationId = registration.Id;
        var action = alone ? "event_registration.bundle_seat_cancelled" : "event_registration.cancelled";
        if (due is { Amount: > 0 } && due.Order.PaymentMethod == PaymentMethod.Card)
        {
            if (due.Order.PaymentReference is not { } intent || !intent.StartsWith("pi_", StringComparison.Ordinal))
            {
                return Outcome.Refused(byAdmins
                    ? "This card payment has no Stripe payment to refund; credit its invoice instead, and pay the money back the way it came."
                    : "This card payment cannot be refunded from here; ask the network's admins to cancel your seat.");
            }

            // The seat goes back and the credit note is written when the refund is recorded, in one transaction.
            var refunded = await payments.RefundCardAsync(new PendingRefund
            {
                OrganizationId = sellerId, OrderId = due.Order.Id, InvoiceId = due.Invoice.Id, CreditNotesSeen = due.Order.CreditNotes, PaymentIntent = intent,
                Amount = due.Amount, Parts = PendingRefund.WriteParts([part!]), Reason = noteReason, CancelsRegistrationId = registrationId, CancelsBundleSeatAlone = alone,
            }, due.Invoice.Number, cancellationToken);
            if (!refunded.Succeeded)
            {
                return refunded.Status;
            }

            audit.Record(sellerId, action, nameof(Registration), registrationId.ToString(), after: new { refunded = due.Amount, creditNote = refunded.Value!.Number });
            await db.SaveChangesAsync(cancellationToken);
            return new Outcome<Cancellation>(Outcome.Success, new Cancellation(due.Amount, due.Order.Currency, due.Percent, refunded.Value.Number));
        }

        if (due is { Amount: > 0 })
        {
            await credit.PrepareAsync(sellerId, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var done = await seats.ReleaseAsync(registrationId, RegistrationStatus.Cancelled, cancellationToken, alone)
            || await db.Set<Registration>().Where(r => r.Id == registrationId && r.Status == RegistrationStatus.Waitlisted)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RegistrationStatus.Cancelled), cancellationToken) == 1;
        if (!done)
        {
            return Outcome.Refused("This registration is cancelled or expired already.");
        }

        if (registration.OrderId is { } orderId)
        {
            await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), cancellationToken);
        }

        string? creditNote = null;
        if (due is { Amount: > 0 })
        {
            // Paid otherwise than by card: the note records what is owed back, which goes back the way it came.
            var note = await credit.WriteAsync(due.Invoice, due.Order.CreditNotes, [part!], noteReason, cancellationToken, releaseSeats: !alone);
            if (!note.Succeeded)
            {
                return note.Status;
            }

            creditNote = note.Value!.Number;
        }

        audit.Record(sellerId, action, nameof(Registration), registrationId.ToString(), after: new { refunded = due?.Amount ?? 0m, creditNote });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<Cancellation>(Outcome.Success, new Cancellation(due?.Amount ?? 0m, due?.Order.Currency ?? "USD", due?.Percent ?? 0m, creditNote));
    }

    /// <summary>What cancelling a registration now would give back; null when nothing was paid for it.</summary>
    public async Task<RefundDue?> RefundDueAsync(Registration registration, NetworkEvent networkEvent, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (registration.Status != RegistrationStatus.Confirmed || registration.OrderId is not { } orderId)
        {
            return null;
        }

        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        var line = order?.Lines.FirstOrDefault(l => l.RegistrationId == registration.Id || (registration.BundleId != null && l.BundleId == registration.BundleId));
        if (order is not { Status: OrderStatus.Paid } || line is not { Total: > 0 })
        {
            return null;
        }

        var invoice = await db.Set<Invoice>().AsNoTracking().FirstOrDefaultAsync(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice, cancellationToken);
        if (invoice is null)
        {
            return null;
        }

        var percent = RefundRule.Read(networkEvent.RefundRule).PercentAt(networkEvent.StartsAt, at);
        if (registration.BundleId is { } bundleId && await db.Set<Registration>().AnyAsync(r => r.OrderId == orderId && r.BundleId == bundleId && r.Status == RegistrationStatus.Cancelled, cancellationToken))
        {
            // Seats of the bundle were cancelled alone and refunded their parts: the rest is the parts still held,
            // and never more than the line has left.
            var shares = await BundleShares.OfAsync(db, orderId, bundleId, line.Total, cancellationToken);
            var heldIds = await db.Set<Registration>().Where(r => r.OrderId == orderId && r.BundleId == bundleId && r.Status == RegistrationStatus.Confirmed).Select(r => r.Id).ToListAsync(cancellationToken);
            var held = shares.Where(s => heldIds.Contains(s.RegistrationId)).Sum(s => s.Share);
            return new RefundDue(order, line, invoice, percent, Math.Min(RefundRule.AmountFor(held, 0m, percent), Math.Max(0m, line.Refundable)));
        }

        return new RefundDue(order, line, invoice, percent, RefundRule.AmountFor(line.Total, line.CreditedAmount, percent));
    }

    /// <summary>
    /// Ends unpaid holds and unanswered offers whose time ran out. An unpaid hold ends only if its order can still
    /// be cancelled: a payment that arrived first keeps the seat, so a paid seat is never lost to the clock.
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<Registration>()
            .Where(r => (r.Status == RegistrationStatus.AwaitingPayment || r.Status == RegistrationStatus.Offered) && r.ExpiresAt != null)
            .Select(r => new { r.Id, r.Status, r.OrderId, r.ExpiresAt }).ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var item in due.Where(r => r.ExpiresAt <= now))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (item.Status == RegistrationStatus.AwaitingPayment && item.OrderId is { } orderId)
            {
                var cancelled = await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), cancellationToken);
                if (cancelled == 0)
                {
                    continue;
                }
            }

            if (await seats.ReleaseAsync(item.Id, RegistrationStatus.Expired, cancellationToken))
            {
                expired++;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return expired;
    }

    /// <summary>Checks a ticket in at the door, once: a second scan of the same ticket is refused with the time of the first.</summary>
    public async Task<Outcome<Registration>> CheckInAsync(OrgContext org, string? code, CancellationToken cancellationToken = default)
    {
        var ticket = code?.Trim() ?? "";
        if (ticket.Length is 0 or > 64)
        {
            return Outcome.Invalid("Code", "Scan the ticket's QR code or type the code printed under it.");
        }

        var now = clock.GetUtcNow();
        var checkedIn = await db.Set<Registration>()
            .Where(r => r.OrganizationId == org.Id && r.TicketCode == ticket && r.Status == RegistrationStatus.Confirmed && r.CheckedInAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CheckedInAt, now), cancellationToken);
        var registration = await db.Set<Registration>().AsNoTracking().FirstOrDefaultAsync(r => r.OrganizationId == org.Id && r.TicketCode == ticket, cancellationToken);
        if (registration is null)
        {
            return Outcome.NotFound;
        }

        if (checkedIn == 0)
        {
            return registration.CheckedInAt is { } at
                ? Outcome.Refused($"This ticket was checked in already, at {at:yyyy-MM-dd HH:mm} UTC.")
                : Outcome.Refused("This ticket is not confirmed: it is unpaid, cancelled or on the waiting list.");
        }

        audit.Record(org.Id, "event_registration.checked_in", nameof(Registration), registration.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Registration>(Outcome.Success, registration);
    }

    public static string NewTicketCode() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
