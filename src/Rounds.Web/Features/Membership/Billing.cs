using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

public sealed record OrderInput(string? Plan, string? BuyerName, string? BuyerAddress, string? PoNumber, string? Voucher, string? PayBy, string? ForOrganization);

/// <summary>A product priced for one buyer now: the steps, and the plan (with a seat to take) that lowered it.</summary>
/// <param name="Credit">The unused term an upgrade's price was lowered by, kept so the price can be made again the same way.</param>
public sealed record PricedProduct(Product Product, PriceQuote Quote, HeldPlan? UsedPlan, Voucher? Voucher, TermCredit? Credit = null);

/// <summary>Prices products for a buyer through the one price engine, with their plans, a voucher and the running discounts.</summary>
public sealed class Pricing(RoundsDbContext db, MemberBenefits benefits, TimeProvider clock)
{
    /// <param name="passOver">Memberships whose plans are left out of the price: capped ones whose last seat has gone since they were offered.</param>
    /// <param name="accepted">A voucher accepted when the order was first priced, applied again without being looked up; the freeze takes its use and checks it then.</param>
    public async Task<Outcome<PricedProduct>> QuoteAsync(Guid sellerId, string? userId, Product product, string? voucherCode, CancellationToken cancellationToken = default, TermCredit? credit = null,
        IReadOnlySet<Guid>? passOver = null, Voucher? accepted = null)
    {
        var now = clock.GetUtcNow();
        var plans = (await benefits.PlansAsync(sellerId, userId, now, cancellationToken)).Where(h => passOver is null || !passOver.Contains(h.Membership.Id)).ToList();
        var voucher = accepted;
        var code = voucherCode?.Trim().ToUpperInvariant() ?? "";
        if (code.Length > 0)
        {
            voucher = await db.Set<Voucher>().FirstOrDefaultAsync(v => v.OrganizationId == sellerId && v.Code == code, cancellationToken);
            var problem = voucher is null ? "This voucher code is not valid, has expired or has been used up." : voucher.ProblemFor(product, now);
            if (problem is not null)
            {
                return Outcome.Invalid("Voucher", problem);
            }
        }

        var discounts = await db.Set<Discount>().Where(d => d.OrganizationId == sellerId && d.ProductKind == product.Kind).ToListAsync(cancellationToken);
        var discount = discounts.Where(d => d.StartsAt <= now && now < d.EndsAt).OrderByDescending(d => d.PercentOff).FirstOrDefault();
        var reductions = MemberBenefits.ReductionsFor(plans, product.Kind);
        var quote = PriceEngine.Price(new Money(product.ListPrice, product.Currency), reductions,
            voucher is null ? null : new VoucherReduction(voucher.Code, voucher.PercentOff, voucher.AmountOff),
            discount is null ? null : new DiscountReduction(discount.Name, discount.PercentOff), credit);
        var planStep = quote.Steps.FirstOrDefault(s => s.Kind == PriceStepKind.PlanRule);
        var used = planStep is null ? null : plans.Where(h => h.Plan.Rules.Any(r => r.ProductKind == product.Kind && r.PercentOff > 0))
            .OrderByDescending(h => h.Plan.Rules.First(r => r.ProductKind == product.Kind).PercentOff).FirstOrDefault();
        return new Outcome<PricedProduct>(Outcome.Success, new PricedProduct(product, quote, used, voucher, credit));
    }

    /// <summary>
    /// Freezes a priced product as an order line and takes what it used: a voucher use, and a seat of the
    /// organization's capped membership when the line's price came from one. Every order path comes here, inside
    /// the order's transaction, since the quote was made before it, when the seat looked free. The membership's row
    /// is locked and its seats counted again, as <see cref="OrganizationSeats.TakeAsync"/> does, so orders placed
    /// at once on any instance never take more seats than the cap. A person holding a seat already uses it. A plan
    /// whose last seat went meanwhile is treated as a full plan is in every quote: the line is priced without it,
    /// and its description says why.
    /// </summary>
    /// <remarks>
    /// The voucher is checked again here, against the clock and the stored row: it may have expired, been ended or
    /// used up since the quote. Its use is taken by an update guarded on a use being left, so two orders cannot
    /// both take the last one. A voucher no longer good refuses the order (409 through the API, the message in the
    /// page); the caller rolls its transaction back, and the context forgets what the caller had added for the
    /// order, so nothing of it is saved later by mistake.
    /// </remarks>
    public async Task<Outcome<OrderLine>> FreezeAsync(Order order, PricedProduct priced, string description, string userId, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An order line is frozen inside the transaction that saves its order, so the seat it takes is counted under the membership's lock.");
        }

        var passedOver = new HashSet<Guid>();
        while (priced.UsedPlan is { NeedsSeat: true } held && !await TakeSeatAsync(order.OrganizationId, held, userId, cancellationToken))
        {
            passedOver.Add(held.Membership.Id);
            var holder = await db.Organizations.Where(o => o.Id == held.Membership.HolderOrganizationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) ?? "the organization";
            description = $"{description} (priced without {holder}'s {held.Plan.Name}: all its seats were taken)";
            // The code typed is priced again as it was accepted, whether or not the first price needed it: a plan that
            // made the product free left no room for the voucher, and without the plan the voucher counts again.
            var again = await QuoteAsync(order.OrganizationId, userId, priced.Product, null, cancellationToken, priced.Credit, passedOver, priced.Voucher);
            if (!again.Succeeded)
            {
                db.ChangeTracker.Clear();
                return again.Status;
            }

            priced = again.Value!;
        }

        // A use is taken only for the price frozen, and checked again now: the code may have lapsed or been used up
        // since the price was shown.
        if (priced.Voucher is not null && priced.Quote.Steps.Any(s => s.Kind == PriceStepKind.Voucher)
            && await TakeVoucherUseAsync(priced.Voucher, priced.Product, cancellationToken) is { } problem)
        {
            db.ChangeTracker.Clear();
            return Outcome.Refused($"{problem} It was good when the price was shown, a moment ago; nothing was ordered. Order again without it, or with another code.");
        }

        var line = new OrderLine
        {
            OrganizationId = order.OrganizationId, OrderId = order.Id, ProductId = priced.Product.Id, Kind = priced.Product.Kind, Description = description.Clip(300),
            ListPrice = priced.Quote.ListPrice.Amount, Total = priced.Quote.Total.Amount, Steps = StepJson.Write(priced.Quote.Steps),
        };
        order.Lines.Add(line);
        order.Total += line.Total;
        return new Outcome<OrderLine>(Outcome.Success, line);
    }

    /// <summary>Takes one use of the voucher if it is still good for the product now; why not otherwise.</summary>
    private async Task<string?> TakeVoucherUseAsync(Voucher voucher, Product product, CancellationToken cancellationToken)
    {
        var voucherId = voucher.Id;
        var stored = await db.Set<Voucher>().AsNoTracking().FirstOrDefaultAsync(v => v.Id == voucherId, cancellationToken);
        var problem = stored is null ? "This voucher code is not valid, has expired or has been used up." : stored.ProblemFor(product, clock.GetUtcNow());
        if (problem is not null)
        {
            return problem;
        }

        var taken = await db.Set<Voucher>().Where(v => v.Id == voucherId && v.EndedAt == null && (v.MaxUses == null || v.Uses < v.MaxUses))
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Uses, v => v.Uses + 1), cancellationToken);
        return taken == 1 ? null : "This voucher code is not valid, has expired or has been used up.";
    }

    /// <summary>Takes (or finds held) the person's seat of a capped membership under its row lock; false when every seat is taken.</summary>
    private async Task<bool> TakeSeatAsync(Guid sellerId, HeldPlan held, string userId, CancellationToken cancellationToken)
    {
        var membershipId = held.Membership.Id;
        // A write to the membership's row first: on PostgreSQL it locks the row until the order's commit, on SQLite
        // the transaction holds the database's write lock, so two orders cannot both count the last seat as free.
        await db.Set<Membership>().Where(m => m.Id == membershipId).ExecuteUpdateAsync(s => s.SetProperty(m => m.PlanId, m => m.PlanId), cancellationToken);
        if (await db.Set<MembershipSeat>().AnyAsync(s => s.MembershipId == membershipId && s.UserId == userId, cancellationToken)
            || db.ChangeTracker.Entries<MembershipSeat>().Any(e => e.State == EntityState.Added && e.Entity.MembershipId == membershipId && e.Entity.UserId == userId))
        {
            return true;
        }

        var cap = await db.Set<MembershipPlan>().Where(p => p.Id == held.Plan.Id).Select(p => p.SeatCap).FirstAsync(cancellationToken);
        var taken = await db.Set<MembershipSeat>().CountAsync(s => s.MembershipId == membershipId, cancellationToken);
        if (cap is { } seats && taken >= seats)
        {
            return false;
        }

        db.Add(new MembershipSeat { OrganizationId = sellerId, MembershipId = membershipId, UserId = userId, TakenAt = clock.GetUtcNow() });
        return true;
    }
}

/// <summary>
/// A person orders a membership plan: for themselves, or as an admin of their organization for everyone on its
/// proven domains. The price is frozen on the order. Card orders are paid through Stripe Checkout; invoice orders
/// get their invoice at once and are marked paid by the seller's admin when the money arrives.
/// </summary>
public sealed class PlaceOrder(RoundsDbContext db, Pricing pricing, Fulfilment fulfilment, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<Order>> PlaceAsync(Guid sellerId, string userId, OrderInput input, CancellationToken cancellationToken = default)
    {
        var planKey = input.Plan?.Trim().ToLowerInvariant() ?? "";
        var plan = await db.Set<MembershipPlan>().FirstOrDefaultAsync(p => p.OrganizationId == sellerId && p.Key == planKey, cancellationToken);
        if (plan is null || plan.RetiredAt is not null)
        {
            return Outcome.Invalid("Plan", "Choose one of the plans in the catalogue.");
        }

        var buyer = await db.People().Where(p => p.Id == userId).Select(p => new { p.DisplayName, p.Email }).FirstAsync(cancellationToken);
        Guid? buyerOrganization = null;
        if (plan.Scope == PlanScope.Organization)
        {
            var slug = input.ForOrganization?.Trim().ToLowerInvariant() ?? "";
            var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug, cancellationToken);
            var isAdmin = organization is not null && await db.OrganizationMembers.IgnoreQueryFilters()
                .AnyAsync(m => m.OrganizationId == organization.Id && m.UserId == userId && m.Role == Role.Admin, cancellationToken);
            if (!isAdmin)
            {
                return Outcome.Invalid("ForOrganization", "An organization membership is ordered by an admin of the organization; name one you administer.");
            }

            buyerOrganization = organization!.Id;
        }

        var name = (input.BuyerName?.Trim() is { Length: > 0 } given ? given : buyer.DisplayName).Clip(200);
        var address = input.BuyerAddress?.Trim() ?? "";
        var po = input.PoNumber?.Trim() ?? "";
        if (address.Length > 1000 || TextRules.FirstRefused(address) is not null)
        {
            return Outcome.Invalid("BuyerAddress", "Give the billing address in up to 1000 characters of plain text.");
        }

        if (po.Length > 100 || TextRules.FirstRefused(po) is not null)
        {
            return Outcome.Invalid("PoNumber", "A purchase order number is up to 100 characters on one line.");
        }

        if (TextRules.FirstRefused(name) is not null)
        {
            return Outcome.Invalid("BuyerName", "Give the buyer's name as plain text.");
        }

        var payBy = (input.PayBy?.Trim().ToLowerInvariant() ?? "card") switch
        {
            "card" => PaymentMethod.Card,
            "invoice" => PaymentMethod.Invoice,
            _ => (PaymentMethod?)null,
        };
        if (payBy is null)
        {
            return Outcome.Invalid("PayBy", "Pay by card or by invoice.");
        }

        var product = await db.Set<Product>().FirstAsync(p => p.Id == plan.ProductId, cancellationToken);
        var now = clock.GetUtcNow();
        var upgrade = await UpgradeOfAsync(sellerId, plan, product, plan.Scope == PlanScope.Individual ? userId : null, buyerOrganization, now, cancellationToken);
        if (upgrade is { AlreadyPending: true })
        {
            return Outcome.Invalid("Plan", "An upgrade of this membership has been ordered already; pay or cancel that order first.");
        }

        var priced = await pricing.QuoteAsync(sellerId, plan.Scope == PlanScope.Individual ? userId : null, product, input.Voucher, cancellationToken, upgrade?.Credit);
        if (!priced.Succeeded)
        {
            return priced.Status;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = new Order
        {
            OrganizationId = sellerId, BuyerUserId = userId, BuyerOrganizationId = buyerOrganization, BuyerName = name, BuyerEmail = buyer.Email ?? "",
            BuyerAddress = address, PoNumber = po, Currency = product.Currency, CreatedAt = now, Status = OrderStatus.AwaitingPayment,
        };
        var frozen = await pricing.FreezeAsync(order, priced.Value!, plan.Name + (plan.TermMonths > 0 ? $", {plan.TermMonths} months" : "") + (upgrade is null ? "" : $", upgrading from {upgrade.PlanName}"), userId, cancellationToken);
        if (!frozen.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return frozen.Status;
        }

        var line = frozen.Value!;
        line.PlanId = plan.Id;
        line.ReplacesMembershipId = upgrade?.Membership.Id;
        order.PaymentMethod = order.Total == 0 ? PaymentMethod.None : payBy.Value;
        db.Add(order);
        audit.Record(sellerId, "membership_order.placed", nameof(Order), order.Id.ToString(), after: new { plan = plan.Key, order.Total, order.Currency, PaymentMethod = order.PaymentMethod.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (order.Total == 0)
        {
            await fulfilment.MarkPaidAsync(order.Id, "included", null, cancellationToken);
        }
        else if (order.PaymentMethod == PaymentMethod.Invoice)
        {
            await fulfilment.IssueInvoiceAsync(order.Id, cancellationToken);
        }

        await db.Entry(order).ReloadAsync(cancellationToken);
        return new Outcome<Order>(Outcome.Success, order);
    }

    private sealed record Upgrade(Membership Membership, string PlanName, TermCredit? Credit, bool AlreadyPending = false);

    /// <summary>
    /// An order for a dearer plan while the holder's current plan runs is an upgrade: the new plan starts when it is
    /// paid, the current one ends then, and what was paid for the current plan's unused whole days comes off the price
    /// (the paid amount times the unused days over the term's days, rounded to the cent). A cheaper plan is a
    /// downgrade, which starts when the current term ends and refunds nothing. A membership in grace has no unused
    /// days, so a new plan then simply continues the term.
    /// </summary>
    private async Task<Upgrade?> UpgradeOfAsync(Guid sellerId, MembershipPlan plan, Product product, string? holderUserId, Guid? holderOrganizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (plan.TermMonths == 0 || (holderUserId is null && holderOrganizationId is null))
        {
            return null;
        }

        var current = await db.Set<Membership>()
            .Where(m => m.OrganizationId == sellerId && m.PlanId != plan.Id && m.EndedAt == null && m.EndsAt != null && m.OrderId != null && m.StartsAt <= now && now < m.EndsAt
                && (holderUserId != null ? m.HolderUserId == holderUserId : m.HolderOrganizationId == holderOrganizationId))
            .ToListAsync(cancellationToken);
        var plans = await db.Set<MembershipPlan>().Where(p => p.OrganizationId == sellerId && p.Scope == plan.Scope).ToDictionaryAsync(p => p.Id, cancellationToken);
        var productIds = plans.Values.Select(p => p.ProductId).ToList();
        var prices = await db.Set<Product>().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ListPrice, cancellationToken);
        var replaced = current.Where(m => plans.TryGetValue(m.PlanId, out var held) && prices[held.ProductId] < product.ListPrice)
            .OrderByDescending(m => m.EndsAt).FirstOrDefault();
        if (replaced is null)
        {
            return null;
        }

        // One credit per membership: a second upgrade order while the first awaits payment would credit the same days twice.
        if (await db.Set<OrderLine>().AnyAsync(l => l.ReplacesMembershipId == replaced.Id
                && db.Set<Order>().Any(o => o.Id == l.OrderId && (o.Status == OrderStatus.AwaitingPayment || o.Status == OrderStatus.Paid)), cancellationToken))
        {
            return new Upgrade(replaced, plans[replaced.PlanId].Name, null, AlreadyPending: true);
        }

        var heldPlan = plans[replaced.PlanId];
        var paid = await db.Set<OrderLine>()
            .Where(l => l.OrderId == replaced.OrderId && l.PlanId == replaced.PlanId)
            // What was paid in another currency (the plan was repriced since) cannot be credited against this price.
            .Join(db.Set<Order>().Where(o => o.Status == OrderStatus.Paid && o.Currency == product.Currency), l => l.OrderId, o => o.Id, (l, _) => l.Total)
            .FirstOrDefaultAsync(cancellationToken);
        var termDays = (int)Math.Round((replaced.EndsAt!.Value - replaced.StartsAt).TotalDays);
        var unusedDays = (int)Math.Floor((replaced.EndsAt.Value - now).TotalDays);
        var credit = paid > 0 && termDays > 0 && unusedDays > 0
            ? new TermCredit($"Credit for {unusedDays} unused {(unusedDays == 1 ? "day" : "days")} of {heldPlan.Name}", Money.Round(paid * unusedDays / termDays))
            : null;
        return new Upgrade(replaced, heldPlan.Name, credit);
    }
}

/// <summary>
/// What happens when an order is paid, once: the order is moved from awaiting payment to paid by a guarded
/// update, and only the request that made that move issues the invoice, starts the membership and confirms the
/// seats. A second call, from a replayed webhook or a second admin, finds the order paid and changes nothing.
/// </summary>
public sealed class Fulfilment(RoundsDbContext db, ResidencyCourse course, IAuditLog audit, TimeProvider clock)
{
    /// <returns>True when this call paid the order; false when it was paid (or closed) already.</returns>
    public async Task<bool> MarkPaidAsync(Guid orderId, string paidBy, string? reference, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var order = await db.Set<Order>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null)
        {
            return false;
        }

        await InvoiceNumbers.EnsureCounterAsync(db, order.OrganizationId, InvoiceNumbers.InvoiceSeries, now.Year, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Paid).SetProperty(o => o.PaidAt, now).SetProperty(o => o.PaymentReference, reference), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        order = await db.Set<Order>().Include(o => o.Lines).FirstAsync(o => o.Id == orderId, cancellationToken);
        if (order.Total > 0)
        {
            var invoice = await db.Set<Invoice>().FirstOrDefaultAsync(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice, cancellationToken)
                ?? await NewInvoiceAsync(order, now, cancellationToken);
            invoice.PaidAt = now;
            invoice.PaidBy = paidBy.Clip(256);
        }

        foreach (var line in order.Lines)
        {
            if (line.PlanId is { } planId)
            {
                await StartMembershipAsync(order, line, planId, now, cancellationToken);
            }

            var held = await BundleRegistrations.SeatsOfLineAsync(db, order.Id, line, cancellationToken);
            foreach (var registrationId in held)
            {
                var confirmed = await db.Set<Registration>().Where(r => r.Id == registrationId && r.Status == RegistrationStatus.AwaitingPayment)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RegistrationStatus.Confirmed).SetProperty(r => r.ExpiresAt, (DateTimeOffset?)null), cancellationToken);
                if (confirmed == 1)
                {
                    var seat = await db.Set<Registration>().AsNoTracking().Where(r => r.Id == registrationId).Select(r => new { r.EventId, r.UserId }).FirstAsync(cancellationToken);
                    await course.GrantForAsync(registrationId, seat.EventId, seat.UserId, cancellationToken);
                }
            }
        }

        audit.Record(order.OrganizationId, "membership_order.paid", nameof(Order), order.Id.ToString(), after: new { paidBy, reference, order.Total });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Issues the invoice of an order paid by invoice, before it is paid.</summary>
    public async Task<Invoice> IssueInvoiceAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var order = await db.Set<Order>().Include(o => o.Lines).FirstAsync(o => o.Id == orderId, cancellationToken);
        await InvoiceNumbers.EnsureCounterAsync(db, order.OrganizationId, InvoiceNumbers.InvoiceSeries, now.Year, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invoice = await db.Set<Invoice>().FirstOrDefaultAsync(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice, cancellationToken)
            ?? await NewInvoiceAsync(order, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    private async Task<Invoice> NewInvoiceAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (sequence, number) = await InvoiceNumbers.TakeAsync(db, order.OrganizationId, InvoiceNumbers.InvoiceSeries, now.Year, cancellationToken);
        var seller = await db.Organizations.Where(o => o.Id == order.OrganizationId).Select(o => o.Name).FirstAsync(cancellationToken);
        var invoice = new Invoice
        {
            OrganizationId = order.OrganizationId, OrderId = order.Id, Kind = InvoiceKind.Invoice, Number = number, Year = now.Year, Sequence = sequence, IssuedAt = now,
            SellerName = seller, BuyerName = order.BuyerName, BuyerEmail = order.BuyerEmail, BuyerAddress = order.BuyerAddress, PoNumber = order.PoNumber,
            Currency = order.Currency, Total = order.Total,
        };
        invoice.Lines.AddRange(order.Lines.Select(l => new InvoiceLine
        {
            OrganizationId = order.OrganizationId, InvoiceId = invoice.Id, Description = l.Description, ListPrice = l.ListPrice, Total = l.Total, Steps = l.Steps,
        }));
        db.Add(invoice);
        audit.Record(order.OrganizationId, "membership_invoice.issued", nameof(Invoice), invoice.Id.ToString(), after: new { number, invoice.Total, invoice.PoNumber });
        return invoice;
    }

    /// <summary>
    /// An upgrade starts now and ends the membership it replaces. Anything else runs on from the end of the holder's
    /// current term (in force, in grace or already renewed), so paying early, or a little late, loses no days and a
    /// downgrade waits for the renewal date.
    /// </summary>
    private async Task StartMembershipAsync(Order order, OrderLine line, Guid planId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plan = await db.Set<MembershipPlan>().FirstAsync(p => p.Id == planId, cancellationToken);
        var holderUser = plan.Scope == PlanScope.Individual ? order.BuyerUserId : null;
        var holderOrganization = plan.Scope == PlanScope.Organization ? order.BuyerOrganizationId : null;
        var start = now;
        var replaced = line.ReplacesMembershipId is { } replacedId
            ? await db.Set<Membership>().FirstOrDefaultAsync(m => m.Id == replacedId && m.EndedAt == null, cancellationToken)
            : null;
        if (replaced is not null && replaced.EndsAt > order.CreatedAt)
        {
            // The credit counted the unused days from the order, so the switch happens then, however late the payment.
            start = order.CreatedAt;
            replaced.EndedAt = order.CreatedAt;
            replaced.EndReason = MembershipEnd.Replaced;
            replaced.ReplacedByOrderId = order.Id;
        }
        else
        {
            var current = await db.Set<Membership>()
                .Where(m => m.OrganizationId == order.OrganizationId && m.EndedAt == null && m.EndsAt != null
                    && (holderUser != null ? m.HolderUserId == holderUser : m.HolderOrganizationId == holderOrganization))
                .ToListAsync(cancellationToken);
            var planIds = current.Select(m => m.PlanId).Distinct().ToList();
            var graces = await db.Set<MembershipPlan>().Where(p => planIds.Contains(p.Id) && p.Scope == plan.Scope).ToDictionaryAsync(p => p.Id, p => p.GraceDays, cancellationToken);
            start = current.Where(m => graces.ContainsKey(m.PlanId) && m.StateAt(now, graces[m.PlanId]) is MembershipState.Active or MembershipState.Grace or MembershipState.Scheduled)
                .Select(m => m.EndsAt!.Value).DefaultIfEmpty(now).Max();
        }

        db.Add(new Membership
        {
            OrganizationId = order.OrganizationId, PlanId = planId, OrderId = order.Id, StartsAt = start,
            EndsAt = plan.TermMonths > 0 ? start.AddMonths(plan.TermMonths) : null,
            HolderUserId = holderUser,
            HolderOrganizationId = holderOrganization,
        });
    }
}


/// <summary>A part of an order line a credit note gives back, and how the note's line reads.</summary>
public sealed record CreditPart(Guid OrderLineId, decimal Amount, string Description);

/// <summary>
/// Credit notes: each gives back all or part of an issued invoice under a number of its own; the invoice itself is
/// left exactly as it was issued. Once every line of the order has been given back, the order is refunded (or
/// cancelled, if it was never paid): memberships it started end now and the seats it paid for go back.
/// </summary>
public sealed class CreditInvoice(RoundsDbContext db, Seats seats, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<Invoice>> CreditAsync(OrgContext org, Guid invoiceId, string? reason, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins issue credit notes.");
        }

        if (ReasonProblem(reason) is { } problem)
        {
            return problem;
        }

        return await IssueAsync(org.Id, invoiceId, reason!.Trim(), cancellationToken);
    }

    /// <summary>Null when the reason may be printed on a credit note.</summary>
    public static Outcome? ReasonProblem(string? reason)
    {
        var text = reason?.Trim() ?? "";
        return text.Length is 0 or > 1000 || TextRules.FirstRefused(text) is not null
            ? Outcome.Invalid("Reason", "Say why the invoice is credited, in up to 1000 characters; the buyer reads it.")
            : null;
    }

    /// <summary>
    /// Credits what is left of a seller's invoice. Callers have checked who asks and the reason; a refund Stripe
    /// reports is credited here without a person.
    /// </summary>
    internal async Task<Outcome<Invoice>> IssueAsync(Guid sellerId, Guid invoiceId, string text, CancellationToken cancellationToken = default)
    {
        var original = await db.Set<Invoice>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId && i.OrganizationId == sellerId, cancellationToken);
        if (original is null)
        {
            return Outcome.NotFound;
        }

        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).FirstAsync(o => o.Id == original.OrderId, cancellationToken);
        // A line never credited is reversed as invoiced, with its price steps; what is left of a partly credited one, as an amount.
        var parts = order.Lines.Where(l => l.CreditedAmount == 0 || l.Refundable > 0)
            .Select(l => new CreditPart(l.Id, l.Refundable, l.CreditedAmount == 0 ? $"Credit for {original.Number}: {l.Description}" : $"Credit of the rest of {original.Number}: {l.Description}"))
            .ToList();
        if (original.Kind != InvoiceKind.Invoice || order.Status is OrderStatus.Refunded or OrderStatus.Cancelled || order.Lines.Sum(l => l.Refundable) <= 0)
        {
            return Outcome.Refused("This invoice has been credited already, or is itself a credit note.");
        }

        await PrepareAsync(sellerId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var note = await WriteAsync(original, order.CreditNotes, parts, text, cancellationToken);
        if (!note.Succeeded)
        {
            return note;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return note;
    }

    /// <summary>Creates the year's credit note counter; call before the transaction that writes the note.</summary>
    internal Task PrepareAsync(Guid sellerId, CancellationToken cancellationToken) =>
        InvoiceNumbers.EnsureCounterAsync(db, sellerId, InvoiceNumbers.CreditNoteSeries, clock.GetUtcNow().Year, cancellationToken);

    /// <summary>
    /// Writes a credit note for <paramref name="parts"/> of an invoice inside the caller's transaction, which the
    /// caller saves and commits. <paramref name="creditNotesSeen"/> is the order's credit count read together with
    /// the line amounts the parts were worked out from: the note is written only by the update that moves it on, so
    /// two credits racing on the same order cannot both give back the same money.
    /// </summary>
    /// <param name="releaseSeats">
    /// False when the credit pays back one event of a bundle cancelled alone: its seat is released by the caller, and
    /// the bundle's other seats stay the attendee's even where that share was the whole line.
    /// </param>
    internal async Task<Outcome<Invoice>> WriteAsync(Invoice original, int creditNotesSeen, IReadOnlyList<CreditPart> parts, string text, CancellationToken cancellationToken, bool releaseSeats = true)
    {
        var claimed = await db.Set<Order>().Where(o => o.Id == original.OrderId && o.CreditNotes == creditNotesSeen)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.CreditNotes, creditNotesSeen + 1), cancellationToken);
        if (claimed == 0)
        {
            return Outcome.Refused("This invoice was credited at the same moment by someone else; look at it again.");
        }

        // The lines are read again now the claim is held: a copy this context tracks from earlier in the request
        // (a page that listed them) would keep the amounts credited before another credit moved them.
        foreach (var stale in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Unchanged && (e.Entity is Order o && o.Id == original.OrderId || e.Entity is OrderLine l && l.OrderId == original.OrderId)).ToList())
        {
            stale.State = EntityState.Detached;
        }

        var order = await db.Set<Order>().Include(o => o.Lines).FirstAsync(o => o.Id == original.OrderId, cancellationToken);
        var now = clock.GetUtcNow();
        var (sequence, number) = await InvoiceNumbers.TakeAsync(db, original.OrganizationId, InvoiceNumbers.CreditNoteSeries, now.Year, cancellationToken);
        var note = new Invoice
        {
            OrganizationId = original.OrganizationId, OrderId = original.OrderId, Kind = InvoiceKind.CreditNote, CorrectsInvoiceId = original.Id, Number = number, Year = now.Year,
            Sequence = sequence, IssuedAt = now, SellerName = original.SellerName, BuyerName = original.BuyerName, BuyerEmail = original.BuyerEmail,
            BuyerAddress = original.BuyerAddress, PoNumber = original.PoNumber, Currency = original.Currency, Total = -parts.Sum(p => p.Amount), Reason = text,
        };
        foreach (var part in parts)
        {
            var line = order.Lines.Single(l => l.Id == part.OrderLineId);
            if (part.Amount < 0 || Money.Round(part.Amount) != part.Amount || part.Amount > line.Refundable)
            {
                throw new InvalidOperationException($"A credit of {part.Amount} does not fit line {line.Id}, which has {line.Refundable} left.");
            }

            // A line given back whole keeps its price steps; a part of one is an amount.
            var whole = line.CreditedAmount == 0 && part.Amount == line.Total;
            note.Lines.Add(new InvoiceLine
            {
                OrganizationId = original.OrganizationId, InvoiceId = note.Id, Description = part.Description.Clip(300),
                ListPrice = whole ? -line.ListPrice : -part.Amount, Total = -part.Amount, Steps = whole ? line.Steps : "[]",
            });
            line.CreditedAmount += part.Amount;
        }

        db.Add(note);
        if (order.Lines.All(l => l.Refundable <= 0))
        {
            await EndOrderAsync(order, now, releaseSeats, cancellationToken);
        }

        audit.Record(original.OrganizationId, "membership_invoice.credited", nameof(Invoice), original.Id.ToString(), after: new { creditNote = number, amount = -note.Total, reason = text });
        return new Outcome<Invoice>(Outcome.Success, note);
    }

    /// <summary>Everything on the order has been given back: what it started ends.</summary>
    private async Task EndOrderAsync(Order order, DateTimeOffset now, bool releaseSeats, CancellationToken cancellationToken)
    {
        order.Status = order.Status == OrderStatus.Paid ? OrderStatus.Refunded : OrderStatus.Cancelled;
        foreach (var membership in await db.Set<Membership>().Where(m => m.OrderId == order.Id && m.EndedAt == null).ToListAsync(cancellationToken))
        {
            membership.EndedAt = now;
            membership.EndReason = MembershipEnd.Refunded;
        }

        // A credited upgrade gives back the plan it replaced, for what is left of that plan's term.
        foreach (var membership in await db.Set<Membership>().Where(m => m.ReplacedByOrderId == order.Id).ToListAsync(cancellationToken))
        {
            membership.EndedAt = null;
            membership.EndReason = MembershipEnd.Term;
            membership.ReplacedByOrderId = null;
        }

        if (!releaseSeats)
        {
            return;
        }

        // A bundle line names only its first seat, which may have been cancelled alone before: each seat of the
        // bundle is released on its own, so the ones still held go back whichever was cancelled first.
        foreach (var line in order.Lines)
        {
            var held = await BundleRegistrations.SeatsOfLineAsync(db, order.Id, line, cancellationToken);
            foreach (var registrationId in held)
            {
                await seats.ReleaseAsync(registrationId, RegistrationStatus.Cancelled, cancellationToken, alone: line.BundleId is not null);
            }
        }
    }
}
