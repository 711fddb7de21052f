using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>The hospital holding the organization plan with a seat cap, an event its plan takes 25% off, and staff on its domain.</summary>
public sealed record CappedPlan(MembershipCast Cast, Guid MembershipId, Guid EventId, IReadOnlyList<User> Staff);

/// <summary>
/// Orders priced through a capped organization plan: each one takes a seat under the membership's lock, so orders
/// placed at once never hold more seats than the cap, and an order that finds the plan full is priced without it.
/// </summary>
public abstract class SeatCapOrderTests(MembershipRounds app)
{
    /// <summary>The residency's list price, and what the organization plan's 25% leaves of it.</summary>
    public const decimal ListPrice = 795m;

    public const decimal MemberPrice = 596.25m;

    public static async Task<CappedPlan> CapAsync(MembershipRounds app, int cap, int staff)
    {
        var cast = await app.CastAsync();
        var (membershipId, eventId) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var plan = await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == "organization");
            plan.SeatCap = cap;
            var now = app.Clock.GetUtcNow();
            var membership = new Rounds.Web.Features.Membership.Membership
            {
                OrganizationId = cast.Network.Id, PlanId = plan.Id, HolderOrganizationId = cast.Hospital.Id, StartsAt = now.AddDays(-1), EndsAt = now.AddMonths(11),
            };
            var product = new Product { OrganizationId = cast.Network.Id, Kind = ProductKind.Residency, Name = "Capped residency", ListPrice = ListPrice };
            var e = new NetworkEvent
            {
                OrganizationId = cast.Network.Id, ProductId = product.Id, Kind = ProductKind.Residency, Title = "Capped residency", StartsAt = now.AddDays(20),
                EndsAt = now.AddDays(20).AddHours(8), TimeZone = "UTC", Capacity = 500,
            };
            db.AddRange(membership, product, e);
            await db.SaveChangesAsync();
            return (membership.Id, e.Id);
        });
        var people = new List<User>();
        for (var i = 0; i < staff; i++)
        {
            people.Add(await app.CreateUserAsync($"seat{i}-{Guid.NewGuid():N}@{cast.Domain}", $"Staff {i}"));
        }

        return new CappedPlan(cast, membershipId, eventId, people);
    }

    /// <summary>Each registration's order line for the event: who, at what price, described how.</summary>
    public static Task<List<(string UserId, decimal Total, string Description)>> LinesAsync(MembershipRounds app, Guid eventId) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var rows = await (from r in db.Set<Registration>()
                          join l in db.Set<OrderLine>() on r.Id equals l.RegistrationId
                          where r.EventId == eventId
                          select new { r.UserId, l.Total, l.Description }).ToListAsync();
        return rows.Select(r => (r.UserId, r.Total, r.Description)).ToList();
    });

    public static Task<List<string>> SeatHoldersAsync(MembershipRounds app, Guid membershipId) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<MembershipSeat>().Where(x => x.MembershipId == membershipId).Select(x => x.UserId).ToListAsync());

    public static string FullNote(CappedPlan capped) => $"priced without {capped.Cast.Hospital.Name}'s Organization: all its seats were taken";

    /// <summary>
    /// What every capped-plan order test asserts: exactly the cap in seats, the seat holders at the member price and
    /// everyone else at the list price. Of those, who was quoted while a seat looked free is told why on the line;
    /// who came after the plan filled was never offered it.
    /// </summary>
    public static async Task AssertCapHeldAsync(MembershipRounds app, CappedPlan capped, int cap)
    {
        var holders = await SeatHoldersAsync(app, capped.MembershipId);
        var lines = await LinesAsync(app, capped.EventId);
        Assert.Equal(cap, holders.Count);
        Assert.Equal(capped.Staff.Count, lines.Count);
        Assert.All(lines.Where(l => holders.Contains(l.UserId)), l => Assert.Equal((MemberPrice, false), (l.Total, l.Description.Contains("priced without", StringComparison.Ordinal))));
        Assert.All(lines.Where(l => !holders.Contains(l.UserId)), l => Assert.Equal(ListPrice, l.Total));
    }

    [Fact]
    public async Task An_order_quoted_while_a_seat_was_free_that_finds_the_plan_full_at_its_freeze_is_priced_without_it_and_says_why()
    {
        var capped = await CapAsync(app, 1, 2);
        var (late, early) = (capped.Staff[0], capped.Staff[1]);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var pricing = services.GetRequiredService<Pricing>();
            var product = await db.Set<Product>().SingleAsync(p => p.Id == db.Set<NetworkEvent>().Where(e => e.Id == capped.EventId).Select(e => e.ProductId).Single());
            var priced = (await pricing.QuoteAsync(capped.Cast.Network.Id, late.Id, product, null)).Value!;
            Assert.Equal((MemberPrice, true), (priced.Quote.Total.Amount, priced.UsedPlan!.NeedsSeat));

            // The last seat goes to a colleague between the quote and the order's freeze, as on another instance.
            var taken = await app.WithScopeAsync(s => s.GetRequiredService<OrganizationSeats>().TakeAsync(capped.Cast.Network.Id, early.Id, null));
            Assert.True(taken.Succeeded, taken.Status.Message);

            await using var transaction = await db.Database.BeginTransactionAsync();
            var order = new Order { OrganizationId = capped.Cast.Network.Id, BuyerUserId = late.Id, CreatedAt = app.Clock.GetUtcNow() };
            db.Add(order);
            var line = (await pricing.FreezeAsync(order, priced, "Capped residency", late.Id)).Value!;
            Assert.Equal(ListPrice, line.Total);
            Assert.Equal(ListPrice, order.Total);
            Assert.Contains(FullNote(capped), line.Description, StringComparison.Ordinal);
            Assert.DoesNotContain(line.ReadSteps(), s => s.Kind == PriceStepKind.PlanRule);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });
        Assert.Equal([early.Id], await SeatHoldersAsync(app, capped.MembershipId));
    }

    [Fact]
    public async Task A_voucher_typed_beside_a_plan_that_made_the_product_free_counts_when_the_plan_fills_before_the_freeze()
    {
        var capped = await CapAsync(app, 1, 2);
        var (late, early) = (capped.Staff[0], capped.Staff[1]);
        var code = "BESIDE-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var voucherId = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var voucher = new Voucher { OrganizationId = capped.Cast.Network.Id, Code = code, PercentOff = 25m, MaxUses = 5 };
            db.Add(voucher);
            await db.SaveChangesAsync();
            return voucher.Id;
        });
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var pricing = services.GetRequiredService<Pricing>();
            var webinar = new Product { OrganizationId = capped.Cast.Network.Id, Kind = ProductKind.Webinar, Name = "Included webinar", ListPrice = 400m };
            db.Add(webinar);
            await db.SaveChangesAsync();

            // The organization plan includes webinars, so the code typed takes nothing off a price of 0.
            var priced = (await pricing.QuoteAsync(capped.Cast.Network.Id, late.Id, webinar, code)).Value!;
            Assert.Equal((0m, true), (priced.Quote.Total.Amount, priced.UsedPlan!.NeedsSeat));
            Assert.DoesNotContain(priced.Quote.Steps, s => s.Kind == PriceStepKind.Voucher);

            var taken = await app.WithScopeAsync(s => s.GetRequiredService<OrganizationSeats>().TakeAsync(capped.Cast.Network.Id, early.Id, null));
            Assert.True(taken.Succeeded, taken.Status.Message);

            await using var transaction = await db.Database.BeginTransactionAsync();
            var order = new Order { OrganizationId = capped.Cast.Network.Id, BuyerUserId = late.Id, CreatedAt = app.Clock.GetUtcNow() };
            db.Add(order);
            var line = (await pricing.FreezeAsync(order, priced, "Included webinar", late.Id)).Value!;
            Assert.Equal(300m, line.Total);
            Assert.Contains(line.ReadSteps(), s => s.Kind == PriceStepKind.Voucher);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Voucher>().Where(v => v.Id == voucherId).Select(v => v.Uses).SingleAsync()));
    }

    [Fact]
    public async Task Staff_registering_at_once_take_exactly_the_caps_seats_and_the_rest_pay_the_list_price_with_the_reason_on_their_line()
    {
        const int cap = 3;
        var capped = await CapAsync(app, cap, 10);
        var outcomes = await Task.WhenAll(capped.Staff.Select(person =>
            app.WithScopeAsync(s => s.GetRequiredService<Registrations>().RegisterAsync(capped.Cast.Network.Id, person.Id, capped.EventId, null))));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Status.Message));
        Assert.All(outcomes, o => Assert.Equal(RegistrationStatus.AwaitingPayment, o.Value!.Status));
        await AssertCapHeldAsync(app, capped, cap);
    }

    [Fact]
    public async Task A_seat_holder_keeps_the_plans_price_on_a_full_plan_and_takes_no_second_seat()
    {
        var capped = await CapAsync(app, 1, 2);
        var (holder, other) = (capped.Staff[0], capped.Staff[1]);
        var taken = await app.WithScopeAsync(s => s.GetRequiredService<OrganizationSeats>().TakeAsync(capped.Cast.Network.Id, holder.Id, null));
        Assert.True(taken.Succeeded, taken.Status.Message);

        foreach (var person in new[] { holder, other })
        {
            var registered = await app.WithScopeAsync(s => s.GetRequiredService<Registrations>().RegisterAsync(capped.Cast.Network.Id, person.Id, capped.EventId, null));
            Assert.True(registered.Succeeded, registered.Status.Message);
        }

        Assert.Equal([holder.Id], await SeatHoldersAsync(app, capped.MembershipId));
        var lines = await LinesAsync(app, capped.EventId);
        Assert.Equal(MemberPrice, lines.Single(l => l.UserId == holder.Id).Total);
        // A plan full before the quote is simply not the buyer's: list price, as the catalogue showed them.
        Assert.Equal(ListPrice, lines.Single(l => l.UserId == other.Id).Total);
    }

    [Fact]
    public async Task An_order_line_is_never_frozen_outside_a_transaction()
    {
        var capped = await CapAsync(app, 1, 1);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var product = await db.Set<Product>().SingleAsync(p => p.Id == db.Set<NetworkEvent>().Where(e => e.Id == capped.EventId).Select(e => e.ProductId).Single());
            var pricing = services.GetRequiredService<Pricing>();
            var priced = await pricing.QuoteAsync(capped.Cast.Network.Id, capped.Staff[0].Id, product, null);
            var order = new Order { OrganizationId = capped.Cast.Network.Id, BuyerUserId = capped.Staff[0].Id };
            await Assert.ThrowsAsync<InvalidOperationException>(() => pricing.FreezeAsync(order, priced.Value!, "x", capped.Staff[0].Id));
        });
        Assert.Empty(await SeatHoldersAsync(app, capped.MembershipId));
    }
}

public sealed class SeatCapOrderTestsOnSqlite(SqliteMembershipRounds app) : SeatCapOrderTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SeatCapOrderTestsOnPostgres(PostgresMembershipRounds app) : SeatCapOrderTests(app), IClassFixture<PostgresMembershipRounds>;
