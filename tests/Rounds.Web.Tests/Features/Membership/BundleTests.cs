using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// A bundle of events (the conference with the residency the day before) bought as one order line at one price,
/// through the same price engine: a seat at every event in one transaction or none at all, never more seats than
/// an event has, all of them given back together on cancellation, and the residency's course with it.
/// </summary>
public abstract class BundleTests(MembershipRounds app)
{
    private static readonly object Rule = new[] { new { daysBefore = 30, percent = 100m }, new { daysBefore = 14, percent = 50m } };

    private sealed record Bundle(MembershipCast Cast, Guid Id, Guid Residency, Guid Conference);

    private async Task<Guid> EventAsync(MembershipCast cast, string kind, int days, int capacity, decimal price)
    {
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind, title = $"{kind} {Guid.NewGuid():N}"[..20], start = app.Clock.GetUtcNow().AddDays(days).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 480, capacity, price, venue = "Harbor Conference Center", refundRule = Rule,
        }));
        return created.GetProperty("id").GetGuid();
    }

    /// <summary>A residency granting the certificate course and the conference the day after it, sold together for 1,800 instead of 2,090.</summary>
    private async Task<Bundle> BundleAsync(int residencySeats = 20, int conferenceSeats = 20, decimal price = 1800m, MembershipCast? cast = null)
    {
        cast ??= await app.CastAsync();
        var residency = await EventAsync(cast, "residency", 60, residencySeats, 795m);
        var conference = await EventAsync(cast, "conference", 61, conferenceSeats, 1295m);
        var course = await (await app.ApiClientAsync(cast.NetworkAdmin)).PutAsync($"/api/v1/orgs/{cast.Network.Slug}/membership/events/{residency}/course",
            System.Net.Http.Json.JsonContent.Create(new { course = Rounds.Web.Features.Learning.Contracts.ShippedCourse.Key }));
        Assert.Equal(HttpStatusCode.NoContent, course.StatusCode);
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/bundles", new
        {
            title = "Conference with the residency " + Guid.NewGuid().ToString("N")[..6], description = "Both, at one price.", price, currency = "USD", events = new[] { conference, residency },
        }));
        return new Bundle(cast, created.GetProperty("id").GetGuid(), residency, conference);
    }

    private Task<HttpResponseMessage> BuyAsync(Bundle bundle, Rounds.Web.Features.Identity.User buyer, object? body = null) =>
        app.PostJsonAsync(buyer, $"/api/v1/membership/{bundle.Cast.Network.Slug}/bundles/{bundle.Id}/registrations", body ?? new { answers = new Dictionary<Guid, object> { [bundle.Conference] = new { } } });

    private Task<(int Residency, int Conference, int Registrations)> SeatsAsync(Bundle bundle) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var taken = await db.Set<NetworkEvent>().Where(e => e.Id == bundle.Residency || e.Id == bundle.Conference).ToDictionaryAsync(e => e.Id, e => e.SeatsTaken);
        var holding = await db.Set<Registration>().CountAsync(r => (r.EventId == bundle.Residency || r.EventId == bundle.Conference)
            && (r.Status == RegistrationStatus.AwaitingPayment || r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Offered));
        return (taken[bundle.Residency], taken[bundle.Conference], holding);
    });

    private Task GiveRuleAsync(MembershipCast cast, string planKey, decimal percent) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var plan = await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == planKey);
        db.Add(new PlanRule { OrganizationId = cast.Network.Id, PlanId = plan.Id, ProductKind = ProductKind.Bundle, PercentOff = percent });
        await db.SaveChangesAsync();
    });

    private Task HoldAsync(MembershipCast cast, string planKey, string? userId, Guid? organizationId) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var plan = await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == planKey);
        db.Add(new Rounds.Web.Features.Membership.Membership
        {
            OrganizationId = cast.Network.Id, PlanId = plan.Id, HolderUserId = userId, HolderOrganizationId = organizationId, StartsAt = app.Clock.GetUtcNow().AddDays(-1), EndsAt = app.Clock.GetUtcNow().AddYears(1),
        });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task A_premium_member_and_an_organization_member_each_pay_the_bundle_price_through_their_plan_rule_frozen_on_one_order_line()
    {
        var bundle = await BundleAsync();
        var cast = bundle.Cast;
        await GiveRuleAsync(cast, "premium", 10m);
        await GiveRuleAsync(cast, "organization", 20m);
        var premium = await app.CreateUserAsync($"premium-{Guid.NewGuid():N}@individual.example", "Pia Premium");
        await HoldAsync(cast, "premium", premium.Id, null);
        var colleague = await app.CreateUserAsync($"b-{Guid.NewGuid():N}@{cast.Domain}", "Dr. Bundle");
        await HoldAsync(cast, "organization", null, cast.Hospital.Id);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            db.Add(new Voucher { OrganizationId = cast.Network.Id, Code = "BUNDLE50", AmountOff = 50m, AppliesTo = "bundle" });
            db.Add(new Discount { OrganizationId = cast.Network.Id, Name = "Early bird", ProductKind = ProductKind.Bundle, PercentOff = 5m, StartsAt = app.Clock.GetUtcNow().AddDays(-1), EndsAt = app.Clock.GetUtcNow().AddDays(10) });
            await s.GetRequiredService<RoundsDbContext>().SaveChangesAsync();
        });

        // The catalogue shows what the bundle holds and what it saves over the two events bought apart, at the buyer's prices.
        var listed = (await app.GetJsonAsync(premium, $"/api/v1/membership/{cast.Network.Slug}/bundles")).EnumerateArray().Single(b => b.GetProperty("id").GetGuid() == bundle.Id);
        Assert.Equal([bundle.Residency, bundle.Conference], listed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        Assert.Equal(2090m, listed.GetProperty("separately").GetDecimal());
        // 1800, less 10% (1620), less 5% early bird (1539).
        Assert.Equal(1539m, listed.GetProperty("price").GetProperty("price").GetDecimal());
        Assert.Equal(551m, listed.GetProperty("saves").GetDecimal());

        // The premium member: list, plan rule, voucher, discount, in that order, on one line.
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(bundle, premium, new { voucher = "bundle50", answers = new Dictionary<Guid, object> { [bundle.Conference] = new { } } })).StatusCode);
        var order = Assert.Single((await app.GetJsonAsync(premium, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray());
        var line = Assert.Single(order.GetProperty("lines").EnumerateArray());
        Assert.Equal(["List price", "Premium: 10% off", "Voucher BUNDLE50", "Early bird: 5% off"], line.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
        Assert.Equal([1800m, 1620m, 1570m, 1491.50m], line.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("after").GetDecimal()));
        Assert.Equal(1491.50m, order.GetProperty("total").GetDecimal());

        // The hospital's colleague: the organization's 20%, then the early bird.
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(bundle, colleague)).StatusCode);
        var theirs = Assert.Single((await app.GetJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray());
        var theirLine = Assert.Single(theirs.GetProperty("lines").EnumerateArray());
        Assert.Equal(["List price", "Organization: 20% off", "Early bird: 5% off"], theirLine.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
        Assert.Equal(1368m, theirs.GetProperty("total").GetDecimal());
        Assert.Equal((2, 2, 4), await SeatsAsync(bundle));

        // Paid by card, the invoice carries the one line with its steps, and both seats are confirmed.
        await PayAsync(cast, colleague, theirs.GetProperty("id").GetGuid());
        var invoiceLine = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Include(i => i.Lines).Where(i => i.OrderId == theirs.GetProperty("id").GetGuid()).Select(i => i.Lines).SingleAsync());
        Assert.Contains("Organization: 20% off", Assert.Single(invoiceLine).Steps, StringComparison.Ordinal);
        var registrations = await app.GetJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/registrations");
        Assert.All(registrations.EnumerateArray(), r => Assert.Equal("confirmed", r.GetProperty("status").GetString()));
        Assert.Equal(2, registrations.GetArrayLength());
    }

    private async Task<string> PayAsync(MembershipCast cast, Rounds.Web.Features.Identity.User buyer, Guid orderId)
    {
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString()).Key;
        var paid = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(paid.Payload, paid.Signature)).StatusCode);
        return session;
    }

    [Fact]
    public async Task When_one_event_of_the_bundle_is_full_nothing_is_registered_and_the_buyer_is_told_which()
    {
        var bundle = await BundleAsync(residencySeats: 1);
        var first = await app.CreateUserAsync($"first-{Guid.NewGuid():N}@individual.example", "Fay First");
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(first, $"/api/v1/membership/{bundle.Cast.Network.Slug}/events/{bundle.Residency}/registrations", new { })).StatusCode);
        var before = await SeatsAsync(bundle);

        var late = await app.CreateUserAsync($"late-{Guid.NewGuid():N}@individual.example", "Lou Late");
        var refused = await BuyAsync(bundle, late);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is full, so the bundle cannot be bought now; nothing was registered or charged", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await SeatsAsync(bundle));
        Assert.Equal((1, 0, 1), before);
        Assert.Empty((await app.GetJsonAsync(late, $"/api/v1/membership/{bundle.Cast.Network.Slug}/orders")).EnumerateArray());
        Assert.Empty((await app.GetJsonAsync(late, $"/api/v1/membership/{bundle.Cast.Network.Slug}/registrations")).EnumerateArray());
    }

    [Fact]
    public async Task Buyers_racing_for_the_last_seats_never_oversell_either_event()
    {
        var bundle = await BundleAsync(residencySeats: 3, conferenceSeats: 5);
        var buyers = new List<Rounds.Web.Features.Identity.User>();
        for (var i = 0; i < 8; i++)
        {
            buyers.Add(await app.CreateUserAsync($"race-{i}-{Guid.NewGuid():N}@individual.example", $"Racer {i}"));
        }

        // Two of the conference's seats go to people buying it alone at the same moment.
        var single = buyers.Take(2).Select(b => app.PostJsonAsync(b, $"/api/v1/membership/{bundle.Cast.Network.Slug}/events/{bundle.Conference}/registrations", new { answers = new { } }));
        var bundled = buyers.Skip(2).Select(b => BuyAsync(bundle, b));
        var answers = await Task.WhenAll(single.Concat(bundled));
        var bought = answers.Skip(2).Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Skip(2), r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));

        var (residency, conference, holding) = await SeatsAsync(bundle);
        Assert.True(residency <= 3 && conference <= 5, $"{residency} residency and {conference} conference seats taken");
        Assert.Equal(bought, residency);
        // Every seat counted is held by a registration, and every bundle sold holds both its seats.
        Assert.Equal(residency + conference, holding);
        Assert.True(bought >= 1);
    }

    private Task<(decimal Total, decimal Credited, decimal Shares)> BooksAsync(Guid orderId) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var line = await db.Set<OrderLine>().SingleAsync(l => l.OrderId == orderId);
        var shares = (await db.Set<Registration>().Where(r => r.OrderId == orderId).Select(r => r.BundleShare).ToListAsync()).Sum() ?? 0m;
        return (line.Total, line.CreditedAmount, shares);
    });

    private Task<RegistrationStatus> StatusAsync(Guid registrationId) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Registration>().Where(r => r.Id == registrationId).Select(r => r.Status).SingleAsync());

    [Fact]
    public async Task One_event_of_a_paid_bundle_is_cancelled_alone_for_its_part_and_cancelling_every_part_refunds_exactly_what_was_paid()
    {
        var bundle = await BundleAsync(residencySeats: 1, conferenceSeats: 1);
        var cast = bundle.Cast;
        var buyer = await app.CreateUserAsync($"part-{Guid.NewGuid():N}@individual.example", "Pat Part");
        var held = await HttpAssert.ReadAsync<JsonElement>(await BuyAsync(bundle, buyer));
        var orderId = held.EnumerateArray().First().GetProperty("orderId").GetGuid();
        Guid SeatAt(Guid eventId) => held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == eventId).GetProperty("id").GetGuid();
        var (residencySeat, conferenceSeat) = (SeatAt(bundle.Residency), SeatAt(bundle.Conference));
        var path = $"/api/v1/membership/{cast.Network.Slug}/registrations";

        // Unpaid, the bundle is paid or cancelled whole.
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(buyer, $"{path}/{residencySeat}/cancel-alone", new { })).StatusCode);
        var session = await PayAsync(cast, buyer, orderId);
        Assert.Equal((1800m, 0m, 1800m), await BooksAsync(orderId));

        // Someone waits for the residency alone; the seat the bundle gives back is offered to them.
        var waiting = await app.CreateUserAsync($"wait-{Guid.NewGuid():N}@individual.example", "Wyn Wait");
        var queued = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(waiting, $"/api/v1/membership/{cast.Network.Slug}/events/{bundle.Residency}/registrations", new { answers = new { } }));
        Assert.Equal("waitlisted", queued.GetProperty("status").GetString());

        // Sixty days ahead: the residency's part (795 of 2,090 list) in full, by card, with its credit note; the conference stays.
        var first = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"{path}/{residencySeat}/cancel-alone", new { }));
        Assert.Equal(684.69m, first.GetProperty("refunded").GetDecimal());
        Assert.NotNull(first.GetProperty("creditNote").GetString());
        Assert.Equal((RegistrationStatus.Cancelled, RegistrationStatus.Confirmed), (await StatusAsync(residencySeat), await StatusAsync(conferenceSeat)));
        Assert.Equal("offered", (await app.GetJsonAsync(waiting, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray().Single().GetProperty("status").GetString());
        var (residency, conference, _) = await SeatsAsync(bundle);
        Assert.Equal((1, 1), (residency, conference));
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(buyer, $"{path}/{residencySeat}/cancel-alone", new { })).StatusCode);

        // Then the conference alone: what is left, so the two parts give back exactly the 1,800 paid, and no more.
        var second = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"{path}/{conferenceSeat}/cancel-alone", new { }));
        Assert.Equal(1115.31m, second.GetProperty("refunded").GetDecimal());
        Assert.Equal(RegistrationStatus.Cancelled, await StatusAsync(conferenceSeat));
        Assert.Equal((1800m, 1800m, 1800m), await BooksAsync(orderId));
        Assert.Equal(180000L, app.Stripe.Refunds.Values.Where(r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(session)).Sum(r => r.Amount));
        Assert.Equal(HttpStatusCode.Conflict, (await (await app.ApiClientAsync(buyer)).DeleteAsync($"{path}/{conferenceSeat}")).StatusCode);
    }

    [Fact]
    public async Task After_the_first_event_is_cancelled_alone_refunding_the_rest_of_the_order_frees_the_seat_still_held()
    {
        var bundle = await BundleAsync(residencySeats: 1, conferenceSeats: 1);
        var cast = bundle.Cast;
        var buyer = await app.CreateUserAsync($"rest-{Guid.NewGuid():N}@individual.example", "Rae Rest");
        var held = await HttpAssert.ReadAsync<JsonElement>(await BuyAsync(bundle, buyer));
        var orderId = held.EnumerateArray().First().GetProperty("orderId").GetGuid();
        Guid SeatAt(Guid eventId) => held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == eventId).GetProperty("id").GetGuid();
        var (residencySeat, conferenceSeat) = (SeatAt(bundle.Residency), SeatAt(bundle.Conference));
        await PayAsync(cast, buyer, orderId);

        // The residency, the bundle's first event, alone; the conference stays the attendee's.
        var first = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/registrations/{residencySeat}/cancel-alone", new { }));
        Assert.Equal(684.69m, first.GetProperty("refunded").GetDecimal());
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(conferenceSeat));

        // The admins then give back the rest of the invoice: nothing is left paid, so the conference seat goes too.
        var invoiceId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>()
            .Where(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice).Select(i => i.Id).SingleAsync());
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoiceId}/refund", new { reason = "Cancelled by phone" }));
        Assert.Equal((RegistrationStatus.Cancelled, RegistrationStatus.Cancelled), (await StatusAsync(residencySeat), await StatusAsync(conferenceSeat)));
        Assert.Equal((1800m, 1800m, 1800m), await BooksAsync(orderId));
        var (residency, conference, holding) = await SeatsAsync(bundle);
        Assert.Equal((0, 0, 0), (residency, conference, holding));
    }

    [Fact]
    public async Task Two_events_of_one_bundle_cancelled_alone_at_the_same_moment_for_the_same_amount_are_never_paid_back_by_one_refund()
    {
        var cast = await app.CastAsync();
        var (one, two) = (await EventAsync(cast, "conference", 60, 5, 500m), await EventAsync(cast, "conference", 61, 5, 500m));
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/bundles", new
        {
            title = "Both days " + Guid.NewGuid().ToString("N")[..6], description = "Two days, one price.", price = 800m, currency = "USD", events = new[] { one, two },
        }));
        var buyer = await app.CreateUserAsync($"twin-{Guid.NewGuid():N}@individual.example", "Tam Twin");
        var held = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/bundles/{created.GetProperty("id").GetGuid()}/registrations",
            new { answers = new Dictionary<Guid, object> { [one] = new { }, [two] = new { } } }));
        var orderId = held.EnumerateArray().First().GetProperty("orderId").GetGuid();
        Guid SeatAt(Guid eventId) => held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == eventId).GetProperty("id").GetGuid();
        var session = await PayAsync(cast, buyer, orderId);
        var path = $"/api/v1/membership/{cast.Network.Slug}/registrations";

        // Equal shares (400 each) make the same request to Stripe under the same key, which Stripe answers with one refund.
        HttpResponseMessage? during = null;
        app.Stripe.WhileNextRefundIsMade = async () => during = await app.PostJsonAsync(buyer, $"{path}/{SeatAt(two)}/cancel-alone", new { });
        var first = await app.PostJsonAsync(buyer, $"{path}/{SeatAt(one)}/cancel-alone", new { });

        // One seat is cancelled and paid back; the other is refused and stays the attendee's, to ask for again.
        Assert.Equal(new[] { HttpStatusCode.Conflict, HttpStatusCode.OK }.Order(), new[] { first.StatusCode, during!.StatusCode }.Order());
        var statuses = new[] { await StatusAsync(SeatAt(one)), await StatusAsync(SeatAt(two)) };
        Assert.Equal(new[] { RegistrationStatus.Confirmed, RegistrationStatus.Cancelled }.Order(), statuses.Order());
        var refunded = app.Stripe.Refunds.Values.Where(r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(session)).Sum(r => r.Amount);
        Assert.Equal(40000L, refunded);
        Assert.Equal((800m, 400m, 800m), await BooksAsync(orderId));

        // Asked again, the seat still held is paid back under the books as they now are.
        var kept = statuses[0] == RegistrationStatus.Confirmed ? SeatAt(one) : SeatAt(two);
        var again = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"{path}/{kept}/cancel-alone", new { }));
        Assert.Equal(400m, again.GetProperty("refunded").GetDecimal());
        Assert.Equal((800m, 800m, 800m), await BooksAsync(orderId));
    }

    [Fact]
    public async Task An_admin_cancels_one_event_of_an_attendees_bundle_by_role_and_the_rest_cancelled_whole_refunds_only_the_parts_still_held()
    {
        var bundle = await BundleAsync();
        var cast = bundle.Cast;
        var buyer = await app.CreateUserAsync($"adm-{Guid.NewGuid():N}@individual.example", "Ada Attendee");
        var held = await HttpAssert.ReadAsync<JsonElement>(await BuyAsync(bundle, buyer));
        var orderId = held.EnumerateArray().First().GetProperty("orderId").GetGuid();
        Guid SeatAt(Guid eventId) => held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == eventId).GetProperty("id").GetGuid();
        var (residencySeat, conferenceSeat) = (SeatAt(bundle.Residency), SeatAt(bundle.Conference));
        await PayAsync(cast, buyer, orderId);
        var adminPath = $"/api/v1/orgs/{cast.Network.Slug}/membership/registrations/{conferenceSeat}/cancel-alone";

        // A member of the network who is not its admin, and the buyer themselves, cannot use the admins' route; nor can
        // anyone cancel another person's seat through their own.
        var editor = await app.CreateUserAsync($"ed-{Guid.NewGuid():N}@harbor.example", "Eddie Editor");
        await app.AddMemberAsync(cast.Network, editor, Rounds.Web.Tenancy.Role.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(editor, adminPath, new { })).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await app.PostJsonAsync(buyer, adminPath, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(editor, $"/api/v1/membership/{cast.Network.Slug}/registrations/{conferenceSeat}/cancel-alone", new { })).StatusCode);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(conferenceSeat));

        // Twenty-one days before the conference: half of its part (1,115.31) under its rule.
        app.Clock.SetUtcNow(app.Clock.GetUtcNow().AddDays(40));
        var alone = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, adminPath, new { }));
        Assert.Equal(557.66m, alone.GetProperty("refunded").GetDecimal());
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(residencySeat));

        // The rest cancelled whole: half of the residency's part still held (684.69), not half of the bundle.
        var rest = await HttpAssert.ReadAsync<JsonElement>(await (await app.ApiClientAsync(buyer)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{residencySeat}"));
        Assert.Equal(342.35m, rest.GetProperty("refunded").GetDecimal());
        var (total, credited, _) = await BooksAsync(orderId);
        Assert.Equal(900.01m, credited);
        Assert.True(credited <= total);
    }

    [Fact]
    public async Task An_admin_cancels_one_event_of_a_bundle_from_the_registrations_page_by_role_and_a_refusal_is_told_in_the_page()
    {
        var bundle = await BundleAsync();
        var cast = bundle.Cast;
        var buyer = await app.CreateUserAsync($"page-{Guid.NewGuid():N}@individual.example", "Pia Page");
        var held = await HttpAssert.ReadAsync<JsonElement>(await BuyAsync(bundle, buyer));
        var orderId = held.EnumerateArray().First().GetProperty("orderId").GetGuid();
        Guid SeatAt(Guid eventId) => held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == eventId).GetProperty("id").GetGuid();
        var (residencySeat, conferenceSeat) = (SeatAt(bundle.Residency), SeatAt(bundle.Conference));
        await PayAsync(cast, buyer, orderId);
        var path = $"/o/{cast.Network.Slug}/membership/events/{bundle.Conference}/registrations";
        // Twenty-one days before the conference, before anyone signs in (a session does not outlive the clock's jump).
        app.Clock.SetUtcNow(app.Clock.GetUtcNow().AddDays(40));

        // Only the network's admins open the page; a member of the network is refused it.
        var editor = await app.CreateUserAsync($"ped-{Guid.NewGuid():N}@harbor.example", "Pele Editor");
        await app.AddMemberAsync(cast.Network, editor, Rounds.Web.Tenancy.Role.Member);
        var member = FormSession.Create(app);
        await member.LoginAsync(editor.Email!);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(editor, $"/api/v1/orgs/{cast.Network.Slug}/membership/registrations/{residencySeat}/cancel", new { })).StatusCode);

        // The admin reaches it from the event's row, and sees the attendee, the order and the bundle the seat is in.
        var page = FormSession.Create(app);
        await page.LoginAsync(cast.NetworkAdmin.Email!);
        var admin = await page.GetAsync($"/o/{cast.Network.Slug}/membership");
        Assert.NotNull(admin.QuerySelector($"a[href='{path}']"));
        var listed = await page.GetAsync(path);
        var row = listed.QuerySelector($"#registration-{conferenceSeat}")?.TextContent ?? "";
        Assert.Contains("Pia Page", row, StringComparison.Ordinal);
        Assert.Contains("paid", row, StringComparison.Ordinal);
        Assert.Contains("Bundle: Conference with the residency", row, StringComparison.Ordinal);

        Assert.NotNull(listed.QuerySelector($"#registration-{conferenceSeat} button[form='cancel-alone-registration'][value='{conferenceSeat}']"));

        // Its part alone, half under its rule, and the residency's seat stays.
        var (response, done) = await page.SubmitAsync(path, "cancel-alone", new Dictionary<string, string> { ["registration"] = conferenceSeat.ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This event is cancelled alone; the bundle's other events are kept. $557.66 refunded", done.Body?.TextContent, StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Cancelled, await StatusAsync(conferenceSeat));
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(residencySeat));
        Assert.Contains("Cancelled", done.QuerySelector($"#registration-{conferenceSeat}")?.TextContent, StringComparison.Ordinal);

        Assert.Equal(557.66m, (await BooksAsync(orderId)).Credited);

        // Once the residency has started its seat can no longer be cancelled: the page says so and nothing changes.
        app.Clock.SetUtcNow(app.Clock.GetUtcNow().AddDays(21));
        page = FormSession.Create(app);
        await page.LoginAsync(cast.NetworkAdmin.Email!);
        var residencyPath = $"/o/{cast.Network.Slug}/membership/events/{bundle.Residency}/registrations";
        var (refusedResponse, refused) = await page.SubmitAsync(residencyPath, "cancel", new Dictionary<string, string> { ["registration"] = residencySeat.ToString() });
        Assert.Equal(HttpStatusCode.OK, refusedResponse.StatusCode);
        Assert.Contains("has started; the bundle's seats can no longer be cancelled.", refused.Body?.TextContent, StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Confirmed, await StatusAsync(residencySeat));
        Assert.Equal(557.66m, (await BooksAsync(orderId)).Credited);
    }

    [Fact]
    public async Task Cancelling_a_paid_bundle_frees_every_seat_refunds_under_the_first_events_rule_and_withdraws_the_residencys_course()
    {
        var bundle = await BundleAsync(residencySeats: 1, conferenceSeats: 1);
        var cast = bundle.Cast;
        var buyer = await app.CreateUserAsync($"cancel-{Guid.NewGuid():N}@individual.example", "Cy Cancel");
        var held = await HttpAssert.ReadAsync<JsonElement>(await BuyAsync(bundle, buyer));
        var orderId = held.EnumerateArray().First().GetProperty("orderId").GetGuid();
        var session = await PayAsync(cast, buyer, orderId);
        var grants = await app.WithScopeAsync(s => s.GetRequiredService<Rounds.Web.Features.Learning.Contracts.ICourseGrants>().GrantedAsync(cast.Network.Id, buyer.Id));
        Assert.Single(grants);

        // Someone waits for the conference alone; they are offered the seat the bundle gives back.
        var waiting = await app.CreateUserAsync($"wait-{Guid.NewGuid():N}@individual.example", "Wyn Wait");
        var queued = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(waiting, $"/api/v1/membership/{cast.Network.Slug}/events/{bundle.Conference}/registrations", new { answers = new { } }));
        Assert.Equal("waitlisted", queued.GetProperty("status").GetString());

        // 20 days before the residency: 50% under its rule, through Stripe, once, for the one line.
        app.Clock.SetUtcNow(app.Clock.GetUtcNow().AddDays(40));
        var conferenceRegistration = held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == bundle.Conference).GetProperty("id").GetGuid();
        var cancelled = await (await app.ApiClientAsync(buyer)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{conferenceRegistration}");
        var answer = await HttpAssert.ReadAsync<JsonElement>(cancelled);
        Assert.Equal(900m, answer.GetProperty("refunded").GetDecimal());
        Assert.Equal([90000L], app.Stripe.Refunds.Values.Where(r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(session)).Select(r => r.Amount));

        var mine = await app.GetJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/registrations");
        Assert.All(mine.EnumerateArray(), r => Assert.Equal("cancelled", r.GetProperty("status").GetString()));
        var (residency, conference, _) = await SeatsAsync(bundle);
        Assert.Equal(0, residency);
        Assert.Equal(1, conference);
        var offered = (await app.GetJsonAsync(waiting, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray().Single();
        Assert.Equal("offered", offered.GetProperty("status").GetString());
        Assert.Empty(await app.WithScopeAsync(s => s.GetRequiredService<Rounds.Web.Features.Learning.Contracts.ICourseGrants>().GrantedAsync(cast.Network.Id, buyer.Id)));

        // A second cancellation of the other seat finds it gone with the first.
        var residencyRegistration = held.EnumerateArray().Single(r => r.GetProperty("eventId").GetGuid() == bundle.Residency).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await (await app.ApiClientAsync(buyer)).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{residencyRegistration}")).StatusCode);
    }

    [Fact]
    public async Task A_free_bundle_confirms_both_seats_at_once_and_grants_the_residencys_course_and_admins_edit_it_with_every_field_checked()
    {
        var bundle = await BundleAsync(price: 0m);
        var cast = bundle.Cast;
        var buyer = await app.CreateUserAsync($"free-{Guid.NewGuid():N}@individual.example", "Fern Free");
        var seats = await HttpAssert.ReadAsync<JsonElement>(await BuyAsync(bundle, buyer));
        Assert.All(seats.EnumerateArray(), r => Assert.Equal("confirmed", r.GetProperty("status").GetString()));
        Assert.Single(await app.WithScopeAsync(s => s.GetRequiredService<Rounds.Web.Features.Learning.Contracts.ICourseGrants>().GrantedAsync(cast.Network.Id, buyer.Id)));
        Assert.Equal(HttpStatusCode.Conflict, (await BuyAsync(bundle, buyer)).StatusCode);

        var path = $"/api/v1/orgs/{cast.Network.Slug}/membership/bundles/{bundle.Id}";
        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        object[] refused =
        [
            new { title = "", price = 10m, events = new[] { bundle.Residency, bundle.Conference } },
            new { title = "One event", price = 10m, events = new[] { bundle.Residency } },
            new { title = "Negative", price = -1m, events = new[] { bundle.Residency, bundle.Conference } },
            new { title = "Elsewhere", price = 10m, events = new[] { bundle.Residency, Guid.NewGuid() } },
            new { title = "Francs", price = 10m, currency = "XXX", events = new[] { bundle.Residency, bundle.Conference } },
        ];
        foreach (var body in refused)
        {
            var response = await client.PutAsync(path, System.Net.Http.Json.JsonContent.Create(body));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)} answered {(int)response.StatusCode}");
        }

        var changed = await HttpAssert.ReadAsync<JsonElement>(await client.PutAsync(path, System.Net.Http.Json.JsonContent.Create(new { title = "Renamed bundle", price = 1700m, events = new[] { bundle.Residency, bundle.Conference } })));
        Assert.Equal(("Renamed bundle", 1700m), (changed.GetProperty("title").GetString(), changed.GetProperty("price").GetProperty("listPrice").GetDecimal()));
        // What the first buyer holds is unchanged: the bundle's order line keeps its frozen price.
        Assert.Equal(0m, Assert.Single((await app.GetJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray()).GetProperty("total").GetDecimal());
    }
}

/// <summary>The split of a bundle's price between its events, without a database.</summary>
public sealed class BundleShareTests
{
    [Theory]
    [InlineData("100", "1,1,1", "33.34,33.33,33.33")]
    [InlineData("1800", "795,1295", "684.69,1115.31")]
    [InlineData("0.01", "1,1", "0.01,0")]
    [InlineData("10", "0,0", "5,5")]
    [InlineData("90", "0,50", "0,90")]
    public void A_bundles_price_is_split_in_proportion_to_list_prices_to_the_cent(string total, string weights, string expected)
    {
        static List<decimal> Read(string text) => text.Split(',').Select(x => decimal.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Read(expected), BundleShares.Split(Read(total)[0], Read(weights)));
    }

    [Fact]
    public void The_parts_always_sum_to_the_total_and_each_is_within_a_cent_of_its_exact_share()
    {
        var random = new Random(20261206);
        for (var run = 0; run < 2000; run++)
        {
            var total = random.Next(0, 5_000_000) / 100m;
            var weights = Enumerable.Range(0, random.Next(2, BundleCatalogue.MaxEvents + 1)).Select(_ => random.Next(0, 300_000) / 100m).ToList();
            var parts = BundleShares.Split(total, weights);
            Assert.Equal(total, parts.Sum());
            var sum = weights.Sum();
            for (var i = 0; i < parts.Count; i++)
            {
                var exact = sum == 0 ? total / parts.Count : total * weights[i] / sum;
                Assert.True(Math.Abs(parts[i] - exact) < 0.01m, $"{parts[i]} is not within a cent of {exact}");
                Assert.True(parts[i] >= 0);
            }
        }
    }
}

public sealed class BundleTestsOnSqlite(SqliteMembershipRounds app) : BundleTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class BundleTestsOnPostgres(PostgresMembershipRounds app) : BundleTests(app), IClassFixture<PostgresMembershipRounds>;
