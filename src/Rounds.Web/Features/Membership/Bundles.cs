using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// Several events sold together at one price, such as the annual conference with the residency the day before.
/// It is a product of its own (kind <see cref="ProductKind.Bundle"/>), so plan rules, vouchers and discounts
/// name it like any other product, and it is bought as one order line; the seats it gives are ordinary
/// registrations for each of its events, tied to that line.
/// </summary>
public sealed class EventBundle : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public List<BundleItem> Items { get; set; } = [];
}

/// <summary>One event of a bundle.</summary>
public sealed class BundleItem : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid BundleId { get; set; }

    public Guid EventId { get; set; }
}

internal sealed class EventBundleConfiguration : IEntityTypeConfiguration<EventBundle>
{
    public void Configure(EntityTypeBuilder<EventBundle> builder)
    {
        builder.ToTable("MembershipBundles");
        builder.Property(b => b.Title).HasMaxLength(200);
        builder.Property(b => b.Description).HasMaxLength(4000);
        builder.HasIndex(b => b.OrganizationId);
        builder.HasMany(b => b.Items).WithOne().HasForeignKey(i => i.BundleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(b => b.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(b => b.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BundleItemConfiguration : IEntityTypeConfiguration<BundleItem>
{
    public void Configure(EntityTypeBuilder<BundleItem> builder)
    {
        builder.ToTable("MembershipBundleItems");
        builder.HasIndex(i => new { i.BundleId, i.EventId }).IsUnique();
        builder.HasOne<NetworkEvent>().WithMany().HasForeignKey(i => i.EventId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>What an admin sends to create or change a bundle: its events by id, and its one price.</summary>
public sealed record BundleInput(string? Title, string? Description, decimal? Price, string? Currency, IReadOnlyList<Guid>? Events);

public sealed record BundleEventDto(Guid Id, string Kind, string Title, DateTimeOffset StartsAt, string When, int SeatsLeft, decimal Price, IReadOnlyList<RegistrationQuestion> Questions);

/// <param name="Separately">What the buyer would pay for the events one by one, with their plans applied.</param>
/// <param name="Saves">What the bundle saves over buying its events separately; never below zero.</param>
public sealed record BundleDto(Guid Id, string Title, string Description, IReadOnlyList<BundleEventDto> Events, PriceDto Price, decimal Separately, decimal Saves, int SeatsLeft);

/// <summary>The bundles of a network: created and changed by its admins, listed with the buyer's prices.</summary>
public sealed class BundleCatalogue(RoundsDbContext db, Pricing pricing, IAuditLog audit, TimeProvider clock)
{
    public const int MaxEvents = 10;

    /// <summary>The bundles whose events have not started, priced for <paramref name="userId"/> (list prices when signed out).</summary>
    public async Task<IReadOnlyList<BundleDto>> ListAsync(Guid sellerId, string? userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var bundles = await db.Set<EventBundle>().AsNoTracking().Include(b => b.Items).Where(b => b.OrganizationId == sellerId).ToListAsync(cancellationToken);
        var result = new List<BundleDto>();
        foreach (var bundle in bundles.OrderBy(b => b.Title, StringComparer.Ordinal))
        {
            var dto = await DescribeAsync(bundle, userId, cancellationToken);
            if (dto is not null && dto.Events.All(e => e.StartsAt > now))
            {
                result.Add(dto);
            }
        }

        return result;
    }

    /// <summary>Every bundle of the network, started ones too, for its admins.</summary>
    public async Task<IReadOnlyList<BundleDto>> ListForAdminsAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var bundles = await db.Set<EventBundle>().AsNoTracking().Include(b => b.Items).Where(b => b.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var result = new List<BundleDto>();
        foreach (var bundle in bundles.OrderBy(b => b.Title, StringComparer.Ordinal))
        {
            if (await DescribeAsync(bundle, null, cancellationToken) is { } dto)
            {
                result.Add(dto);
            }
        }

        return result;
    }

    public async Task<BundleDto?> GetAsync(OrgContext org, Guid bundleId, CancellationToken cancellationToken = default)
    {
        var bundle = await db.Set<EventBundle>().AsNoTracking().Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == bundleId && b.OrganizationId == org.Id, cancellationToken);
        return bundle is null ? null : await DescribeAsync(bundle, null, cancellationToken);
    }

    private async Task<BundleDto?> DescribeAsync(EventBundle bundle, string? userId, CancellationToken cancellationToken)
    {
        var eventIds = bundle.Items.Select(i => i.EventId).ToList();
        var events = await db.Set<NetworkEvent>().AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToListAsync(cancellationToken);
        var productIds = events.Select(e => e.ProductId).Append(bundle.ProductId).ToList();
        var products = await db.Set<Product>().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var quote = await pricing.QuoteAsync(bundle.OrganizationId, userId, products[bundle.ProductId], null, cancellationToken);
        if (!quote.Succeeded)
        {
            return null;
        }

        var items = new List<BundleEventDto>();
        foreach (var e in events.OrderBy(e => e.StartsAt))
        {
            // Each event at the price this buyer would pay for it alone, so the saving shown is theirs.
            var alone = await pricing.QuoteAsync(bundle.OrganizationId, userId, products[e.ProductId], null, cancellationToken);
            items.Add(new BundleEventDto(e.Id, MembershipEndpoints.Key(e.Kind), e.Title, e.StartsAt, EventEditor.Describe(e), e.Capacity - e.SeatsTaken, alone.Value!.Quote.Total.Amount,
                RegistrationQuestions.Read(e.Questions)));
        }

        var separately = items.Sum(i => i.Price);
        var price = quote.Value!.Quote.Total.Amount;
        return new BundleDto(bundle.Id, bundle.Title, bundle.Description, items, MembershipEndpoints.ToDto(quote.Value.Quote), separately, Math.Max(0m, separately - price),
            items.Count == 0 ? 0 : items.Min(i => i.SeatsLeft));
    }

    public async Task<Outcome<EventBundle>> CreateAsync(OrgContext org, BundleInput input, CancellationToken cancellationToken = default)
    {
        var checkedInput = await CheckAsync(org.Id, input, cancellationToken);
        if (!checkedInput.Succeeded)
        {
            return checkedInput.Status;
        }

        var (title, description, price, currency, events) = checkedInput.Value!;
        var product = new Product { OrganizationId = org.Id, Kind = ProductKind.Bundle, Name = title, ListPrice = price, Currency = currency };
        var bundle = new EventBundle { OrganizationId = org.Id, ProductId = product.Id, Title = title, Description = description };
        bundle.Items.AddRange(events.Select(e => new BundleItem { OrganizationId = org.Id, BundleId = bundle.Id, EventId = e }));
        db.AddRange(product, bundle);
        audit.Record(org.Id, "membership_bundle.created", nameof(EventBundle), bundle.Id.ToString(), after: new { title, price, currency, events });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<EventBundle>(Outcome.Success, bundle);
    }

    /// <summary>
    /// Changes a bundle for buyers from now on. Seats already bought keep the events and the price of their order
    /// line: what they hold is the registrations made then, never the bundle's current list.
    /// </summary>
    public async Task<Outcome<EventBundle>> UpdateAsync(OrgContext org, Guid bundleId, BundleInput input, CancellationToken cancellationToken = default)
    {
        var bundle = await db.Set<EventBundle>().Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == bundleId && b.OrganizationId == org.Id, cancellationToken);
        if (bundle is null)
        {
            return Outcome.NotFound;
        }

        var checkedInput = await CheckAsync(org.Id, input, cancellationToken);
        if (!checkedInput.Succeeded)
        {
            return checkedInput.Status;
        }

        var (title, description, price, currency, events) = checkedInput.Value!;
        var product = await db.Set<Product>().FirstAsync(p => p.Id == bundle.ProductId, cancellationToken);
        var before = new { bundle.Title, product.ListPrice, product.Currency, events = bundle.Items.Select(i => i.EventId).ToList() };
        bundle.Title = title;
        bundle.Description = description;
        product.Name = title;
        product.ListPrice = price;
        product.Currency = currency;
        db.RemoveRange(bundle.Items.Where(i => !events.Contains(i.EventId)));
        foreach (var added in events.Where(e => bundle.Items.All(i => i.EventId != e)))
        {
            db.Add(new BundleItem { OrganizationId = org.Id, BundleId = bundle.Id, EventId = added });
        }

        audit.Record(org.Id, "membership_bundle.updated", nameof(EventBundle), bundle.Id.ToString(), before, new { title, price, currency, events });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<EventBundle>(Outcome.Success, bundle);
    }

    private async Task<Outcome<(string Title, string Description, decimal Price, string Currency, IReadOnlyList<Guid> Events)>> CheckAsync(Guid sellerId, BundleInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim() ?? "";
        var description = input.Description?.Trim() ?? "";
        var currency = (input.Currency?.Trim() is { Length: > 0 } given ? given : "USD").ToUpperInvariant();
        if (title.Length is 0 or > 200 || TextRules.FirstRefused(title) is not null)
        {
            errors["Title"] = ["Give the bundle a title of up to 200 characters of plain text."];
        }

        if (description.Length > 4000 || (description.Length > 0 && TextRules.FirstRefused(description) is not null))
        {
            errors["Description"] = ["Describe the bundle in up to 4000 characters of plain text."];
        }

        if (input.Price is not { } price || price < 0 || price > 1_000_000m || Money.Round(price) != price)
        {
            errors["Price"] = ["Give the bundle's price, from 0 to 1,000,000, in cents at most."];
            price = 0;
        }

        if (!PlanEditor.Currencies.Contains(currency))
        {
            errors["Currency"] = ["Choose one of the currencies: " + string.Join(", ", PlanEditor.Currencies) + "."];
        }

        var ids = (input.Events ?? []).Distinct().ToList();
        if (ids.Count is < 2 or > MaxEvents)
        {
            errors["Events"] = [$"Choose from 2 to {MaxEvents} events for the bundle."];
        }
        else
        {
            var now = clock.GetUtcNow();
            var events = await db.Set<NetworkEvent>().AsNoTracking().Where(e => ids.Contains(e.Id) && e.OrganizationId == sellerId).ToListAsync(cancellationToken);
            var products = await db.Set<Product>().AsNoTracking().Where(p => events.Select(e => e.ProductId).Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Currency, cancellationToken);
            if (events.Count != ids.Count)
            {
                errors["Events"] = ["Choose events of this network."];
            }
            else if (events.FirstOrDefault(e => e.HostOrganizationId is not null) is { } hosted)
            {
                // A private residency is for its host's staff only; a bundle is sold to everyone.
                errors["Events"] = [$"{hosted.Title} is a private residency and cannot be sold in a bundle."];
            }
            else if (events.FirstOrDefault(e => e.StartsAt <= now) is { } started)
            {
                errors["Events"] = [$"{started.Title} has started; choose events still to come."];
            }
            else if (events.FirstOrDefault(e => products[e.ProductId] != currency) is { } other)
            {
                errors["Events"] = [$"{other.Title} is priced in {products[other.ProductId]}; a bundle is priced in the currency of its events."];
            }
        }

        return errors.Count > 0
            ? new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0])
            : new Outcome<(string, string, decimal, string, IReadOnlyList<Guid>)>(Outcome.Success, (title, description, price, currency, ids));
    }
}

/// <summary>
/// A person buys a bundle: one order line at the bundle's price, and a seat at every one of its events, all in
/// one transaction. Seats are taken by the same guarded update single registrations use, in a fixed order of the
/// events so that two buyers never wait on each other's rows; if any event has no seat left the transaction is
/// rolled back and nothing is registered. A bundle has no waiting list: a seat at half of it is not what was sold.
/// Once paid, one of its events may be cancelled alone (<see cref="Registrations.CancelBundleSeatAsync"/>).
/// </summary>
public sealed class BundleRegistrations(RoundsDbContext db, Seats seats, Pricing pricing, ResidencyCourse course, MemberBenefits benefits, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<IReadOnlyList<Registration>>> RegisterAsync(Guid sellerId, string userId, Guid bundleId, string? voucher, IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, string?>>? answers, CancellationToken cancellationToken = default)
    {
        var bundle = await db.Set<EventBundle>().AsNoTracking().Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == bundleId && b.OrganizationId == sellerId, cancellationToken);
        if (bundle is null)
        {
            return Outcome.NotFound;
        }

        var eventIds = bundle.Items.Select(i => i.EventId).ToList();
        var events = await db.Set<NetworkEvent>().AsNoTracking().Where(e => eventIds.Contains(e.Id)).OrderBy(e => e.StartsAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var e in events)
        {
            if (!await benefits.MayAttendAsync(e, userId, cancellationToken))
            {
                return Outcome.NotFound;
            }

            if (e.StartsAt <= now)
            {
                return Outcome.Refused($"{e.Title} has started; this bundle can no longer be bought.");
            }
        }

        if (await db.Set<Registration>().Where(r => eventIds.Contains(r.EventId) && r.UserId == userId && r.Status != RegistrationStatus.Cancelled && r.Status != RegistrationStatus.Expired)
            .Select(r => r.EventId).FirstOrDefaultAsync(cancellationToken) is var held && held != Guid.Empty)
        {
            return Outcome.Refused($"You are registered for {events.First(e => e.Id == held).Title} already, or on its waiting list; cancel that registration to buy the bundle.");
        }

        var stored = new Dictionary<Guid, string>();
        foreach (var e in events)
        {
            var answered = RegistrationQuestions.Check(RegistrationQuestions.Read(e.Questions), answers?.GetValueOrDefault(e.Id));
            if (!answered.Succeeded)
            {
                // Each answer is reported under the event it belongs to.
                var errors = answered.Status.Errors.ToDictionary(kv => kv.Key.Replace("Answers.", $"Answers.{e.Id}.", StringComparison.Ordinal), kv => kv.Value);
                return new Outcome(OutcomeKind.Invalid, errors, $"{e.Title}: {answered.Status.Message}");
            }

            stored[e.Id] = RegistrationQuestions.WriteAnswers(answered.Value!);
        }

        var product = await db.Set<Product>().FirstAsync(p => p.Id == bundle.ProductId, cancellationToken);
        var priced = await pricing.QuoteAsync(sellerId, userId, product, voucher, cancellationToken);
        if (!priced.Succeeded)
        {
            return priced.Status;
        }

        var name = await db.People().Where(p => p.Id == userId).Select(p => p.DisplayName).FirstAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Taken in the order of the events' ids, whatever their dates, so concurrent buyers lock rows in one order.
        foreach (var e in events.OrderBy(e => e.Id))
        {
            if (!await seats.TryTakeAsync(e.Id, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return Outcome.Refused($"{e.Title} is full, so the bundle cannot be bought now; nothing was registered or charged.");
            }
        }

        // Asked again under the events' row locks just taken: a second click, or a registration for one of the
        // events made meanwhile, has committed by now and is seen, so nobody holds two seats at one event.
        if (await db.Set<Registration>().AnyAsync(r => eventIds.Contains(r.EventId) && r.UserId == userId && r.Status != RegistrationStatus.Cancelled && r.Status != RegistrationStatus.Expired, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Outcome.Refused("You registered for an event of this bundle a moment ago; nothing more was registered or charged.");
        }

        var order = new Order { OrganizationId = sellerId, BuyerUserId = userId, BuyerName = name, Currency = product.Currency, CreatedAt = now };
        db.Add(order);
        var frozen = await pricing.FreezeAsync(order, priced.Value!, bundle.Title, userId, cancellationToken);
        if (!frozen.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return frozen.Status;
        }

        var line = frozen.Value!;
        line.BundleId = bundle.Id;
        // Free or not is known once the line is frozen: a capped plan's last seat may have gone since the quote.
        var free = line.Total == 0;
        (order.Status, order.PaymentMethod, order.PaidAt) = free ? (OrderStatus.Paid, PaymentMethod.None, now) : (OrderStatus.AwaitingPayment, PaymentMethod.Card, (DateTimeOffset?)null);
        var registrations = events.Select(e => new Registration
        {
            OrganizationId = sellerId, EventId = e.Id, UserId = userId, AttendeeName = name, CreatedAt = now, TicketCode = Registrations.NewTicketCode(), OrderId = order.Id, BundleId = bundle.Id,
            Status = free ? RegistrationStatus.Confirmed : RegistrationStatus.AwaitingPayment, ExpiresAt = free ? null : now + Registrations.HoldLifetime, Answers = stored[e.Id],
        }).ToList();
        db.AddRange(registrations);
        // The first event's seat stands for the line where one registration is looked for; the others follow it.
        line.RegistrationId = registrations[0].Id;
        // What each seat stands for of the line, kept now so that one event cancelled alone is refunded its part.
        var listPrices = await db.Set<Product>().AsNoTracking().Where(p => events.Select(e => e.ProductId).Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ListPrice, cancellationToken);
        var byEvent = registrations.OrderBy(r => r.EventId).ToList();
        var shares = BundleShares.Split(line.Total, byEvent.Select(r => listPrices[events.First(e => e.Id == r.EventId).ProductId]).ToList());
        for (var i = 0; i < byEvent.Count; i++)
        {
            byEvent[i].BundleShare = shares[i];
        }
        if (free)
        {
            foreach (var registration in registrations)
            {
                await course.GrantForAsync(registration.Id, registration.EventId, userId, cancellationToken);
            }
        }

        audit.Record(sellerId, "event_bundle.registered", nameof(EventBundle), bundle.Id.ToString(), after: new { orderId = order.Id, registrations = registrations.Select(r => r.Id).ToList(), total = order.Total });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<IReadOnlyList<Registration>>(Outcome.Success, registrations);
    }

    /// <summary>The seats an order line paid for: every seat of a bundle, or the line's one registration.</summary>
    public static async Task<List<Guid>> SeatsOfLineAsync(RoundsDbContext db, Guid orderId, OrderLine line, CancellationToken cancellationToken) =>
        line.BundleId is { } bundleId
            ? await SeatsOfAsync(db, orderId, bundleId, cancellationToken)
            : line.RegistrationId is { } single ? [single] : [];

    /// <summary>The registrations a bundle's order line holds, for the places that act on every seat it gave.</summary>
    public static Task<List<Guid>> SeatsOfAsync(RoundsDbContext db, Guid orderId, Guid bundleId, CancellationToken cancellationToken) =>
        db.Set<Registration>().Where(r => r.OrderId == orderId && r.BundleId == bundleId).Select(r => r.Id).ToListAsync(cancellationToken);
}
