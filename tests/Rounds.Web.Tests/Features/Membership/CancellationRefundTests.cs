using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// An event's refund rule as data: the share that goes back at each moment, with the cut-offs exactly where the
/// rule puts them. Before it, a member cancelling a paid seat got nothing back, whatever the event promised.
/// </summary>
public sealed class RefundRuleTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 4, 15, 0, 0, TimeSpan.Zero);

    private static RefundRule Rule(params (int Days, decimal Percent)[] tiers) =>
        RefundRule.Parse(tiers.Select(t => new RefundTierInput(t.Days, t.Percent)).ToList()).Value!;

    [Fact]
    public void Each_cut_off_gives_its_share_up_to_and_at_the_cut_off_and_the_next_share_just_after_it()
    {
        var rule = Rule((7, 50m), (14, 100m));
        var second = TimeSpan.FromSeconds(1);
        Assert.Equal(100m, rule.PercentAt(Start, Start.AddDays(-30)));
        Assert.Equal(100m, rule.PercentAt(Start, Start.AddDays(-14) - second));
        Assert.Equal(100m, rule.PercentAt(Start, Start.AddDays(-14)));
        Assert.Equal(50m, rule.PercentAt(Start, Start.AddDays(-14) + second));
        Assert.Equal(50m, rule.PercentAt(Start, Start.AddDays(-7) - second));
        Assert.Equal(50m, rule.PercentAt(Start, Start.AddDays(-7)));
        Assert.Equal(0m, rule.PercentAt(Start, Start.AddDays(-7) + second));
        Assert.Equal(0m, rule.PercentAt(Start, Start - second));
        Assert.Equal(0m, rule.PercentAt(Start, Start));
        Assert.Equal(0m, RefundRule.None.PercentAt(Start, Start.AddDays(-100)));
    }

    [Fact]
    public void A_zero_day_step_lasts_until_the_start_and_not_a_moment_after()
    {
        var rule = Rule((0, 25m));
        Assert.Equal(25m, rule.PercentAt(Start, Start - TimeSpan.FromSeconds(1)));
        Assert.Equal(0m, rule.PercentAt(Start, Start));
    }

    [Fact]
    public void The_amount_is_the_share_of_the_price_rounded_half_away_from_zero_and_never_more_than_is_left_unrefunded()
    {
        Assert.Equal(20.03m, RefundRule.AmountFor(40.05m, 0m, 50m));
        Assert.Equal(0.01m, RefundRule.AmountFor(0.01m, 0m, 50m));
        Assert.Equal(40.05m, RefundRule.AmountFor(40.05m, 0m, 100m));
        Assert.Equal(10m, RefundRule.AmountFor(40m, 30m, 100m));
        Assert.Equal(0m, RefundRule.AmountFor(40m, 40m, 50m));
        Assert.Equal(0m, RefundRule.AmountFor(40m, 0m, 0m));
    }

    [Fact]
    public void A_rule_whose_refund_grows_as_the_event_nears_or_that_names_a_day_twice_or_has_too_many_steps_is_refused()
    {
        Assert.False(RefundRule.Parse([new(14, 50m), new(7, 100m)]).Succeeded);
        Assert.False(RefundRule.Parse([new(14, 100m), new(14, 50m)]).Succeeded);
        Assert.False(RefundRule.Parse([new(14, 101m)]).Succeeded);
        Assert.False(RefundRule.Parse([new(-1, 50m)]).Succeeded);
        Assert.False(RefundRule.Parse([new(3, 33.333m)]).Succeeded);
        Assert.False(RefundRule.Parse([new(null, 50m)]).Succeeded);
        Assert.False(RefundRule.Parse(Enumerable.Range(1, 6).Select(d => new RefundTierInput(d, 10m)).ToList()).Succeeded);
        var stored = RefundRule.Read(Rule((7, 50m), (14, 100m)).Write());
        Assert.Equal([new RefundTier(14, 100m), new RefundTier(7, 50m)], stored.Tiers);
    }
}

/// <summary>
/// A member cancelling a paid seat gets back what the event's rule gives at that moment: through Stripe for
/// exactly that amount, once, with a credit note for exactly that amount, and the seat offered on. Admins refund
/// a chosen part of a line. Before this, cancelling a paid seat released it and kept all the money, and an admin
/// could only refund a card payment in full.
/// </summary>
public abstract class CancellationRefundTests(MembershipRounds app)
{
    private static readonly object Rule = new[] { new { daysBefore = 14, percent = 100m }, new { daysBefore = 7, percent = 50m } };

    private sealed record Seat(MembershipCast Cast, Guid EventId, DateTimeOffset StartsAt, Rounds.Web.Features.Identity.User Payer, Guid RegistrationId, string Session, Guid InvoiceId, Guid OrderId);

    private async Task<Seat> PaidSeatAsync(decimal price = 40.05m, MembershipCast? cast = null)
    {
        cast ??= await app.CastAsync();
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title = "Cancellable " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 60, capacity = 1, price, venue = "Room 5", refundRule = Rule,
        }));
        var eventId = created.GetProperty("id").GetGuid();
        var payer = await app.CreateUserAsync($"cancel-{Guid.NewGuid():N}@individual.example", "Cass Cancel");
        var held = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        var orderId = held.GetProperty("orderId").GetGuid();
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString()).Key;
        var paid = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(paid.Payload, paid.Signature)).StatusCode);
        var invoiceId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Where(i => i.OrderId == orderId).Select(i => i.Id).SingleAsync());
        var startsAt = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.StartsAt).SingleAsync());
        return new Seat(cast, eventId, startsAt, payer, held.GetProperty("id").GetGuid(), session, invoiceId, orderId);
    }

    /// <summary>Moves the shared clock forward to a moment relative to the event's start; never backwards.</summary>
    private void MoveTo(DateTimeOffset at)
    {
        Assert.True(at > app.Clock.GetUtcNow(), "The clock only moves forward.");
        app.Clock.SetUtcNow(at);
    }

    private async Task<HttpResponseMessage> CancelAsync(Seat seat) =>
        await (await app.ApiClientAsync(seat.Payer)).DeleteAsync($"/api/v1/membership/{seat.Cast.Network.Slug}/registrations/{seat.RegistrationId}");

    private List<(long Amount, string? Key)> RefundsOf(Seat seat) =>
        app.Stripe.Refunds.Values.Where(r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(seat.Session)).Select(r => (Amount: r.Amount, Key: r.IdempotencyKey)).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

    private Task<(int SeatsTaken, RegistrationStatus Status, OrderStatus Order, decimal Credited, string Notes)> StateAsync(Seat seat) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var seats = await db.Set<NetworkEvent>().Where(e => e.Id == seat.EventId).Select(e => e.SeatsTaken).SingleAsync();
        var registration = await db.Set<Registration>().SingleAsync(r => r.Id == seat.RegistrationId);
        var line = await db.Set<OrderLine>().SingleAsync(l => l.RegistrationId == seat.RegistrationId);
        var order = await db.Set<Order>().Where(o => o.Id == line.OrderId).Select(o => o.Status).SingleAsync();
        // The credit notes' totals, smallest first, as text: tuples compare arrays by reference.
        var notes = string.Join(" ", (await db.Set<Invoice>().Where(i => i.CorrectsInvoiceId == seat.InvoiceId).Select(i => i.Total).ToListAsync()).Order()
            .Select(t => t.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
        return (seats, registration.Status, order, line.CreditedAmount, notes);
    });

    [Fact]
    public async Task Cancelling_just_after_the_full_refund_cut_off_refunds_half_through_Stripe_with_a_credit_note_for_exactly_that_and_offers_the_seat_on()
    {
        var seat = await PaidSeatAsync();
        var waiting = await app.CreateUserAsync($"waiting-{Guid.NewGuid():N}@individual.example", "Wes Waiting");
        var queued = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(waiting, $"/api/v1/membership/{seat.Cast.Network.Slug}/events/{seat.EventId}/registrations", new { }));
        Assert.Equal("waitlisted", queued.GetProperty("status").GetString());

        var events = await app.GetJsonAsync(seat.Payer, $"/api/v1/membership/{seat.Cast.Network.Slug}/events");
        var shown = events.EnumerateArray().Single(e => e.GetProperty("id").GetGuid() == seat.EventId).GetProperty("refundRule").GetString()!;
        Assert.Contains("a full refund if you cancel 14 days or more before the start", shown, StringComparison.Ordinal);
        Assert.Contains("50% back if you cancel 7 days or more before the start", shown, StringComparison.Ordinal);

        MoveTo(seat.StartsAt.AddDays(-14).AddSeconds(1));
        var answer = await HttpAssert.ReadAsync<JsonElement>(await CancelAsync(seat));
        // 50% of $40.05 is $20.025, rounded half away from zero.
        Assert.Equal((20.03m, 50m), (answer.GetProperty("refunded").GetDecimal(), answer.GetProperty("percent").GetDecimal()));
        Assert.StartsWith("CN-", answer.GetProperty("creditNote").GetString(), StringComparison.Ordinal);
        Assert.Equal([(2003L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Cancelled, OrderStatus.Paid, 20.03m, "-20.03"), await StateAsync(seat));
        var note = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Include(i => i.Lines).SingleAsync(i => i.CorrectsInvoiceId == seat.InvoiceId));
        Assert.Equal(-20.03m, Assert.Single(note.Lines).Total);
        Assert.Contains("50%", note.Reason, StringComparison.Ordinal);
        // The freed seat went to the waiting list, as any cancellation's does.
        Assert.Equal("offered", Assert.Single((await app.GetJsonAsync(waiting, $"/api/v1/membership/{seat.Cast.Network.Slug}/registrations")).EnumerateArray()).GetProperty("status").GetString());

        // A second cancellation is refused before Stripe is asked; nothing more goes back.
        Assert.Equal(HttpStatusCode.Conflict, (await CancelAsync(seat)).StatusCode);
        Assert.Single(RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Cancelled, OrderStatus.Paid, 20.03m, "-20.03"), await StateAsync(seat));
    }

    [Fact]
    public async Task Cancelling_just_before_the_cut_off_refunds_in_full_and_just_after_the_last_one_refunds_nothing()
    {
        var full = await PaidSeatAsync();
        var none = await PaidSeatAsync(cast: full.Cast);
        MoveTo(full.StartsAt.AddDays(-14).AddSeconds(-1));
        var answer = await HttpAssert.ReadAsync<JsonElement>(await CancelAsync(full));
        Assert.Equal(40.05m, answer.GetProperty("refunded").GetDecimal());
        Assert.Equal([(4005L, $"refund-{full.OrderId}-0")], RefundsOf(full));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded, 40.05m, "-40.05"), await StateAsync(full));

        MoveTo(none.StartsAt.AddDays(-7).AddSeconds(1));
        answer = await HttpAssert.ReadAsync<JsonElement>(await CancelAsync(none));
        Assert.Equal(0m, answer.GetProperty("refunded").GetDecimal());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("creditNote").ValueKind);
        Assert.Empty(RefundsOf(none));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Paid, 0m, ""), await StateAsync(none));
    }

    [Fact]
    public async Task A_refund_Stripe_declines_leaves_the_seat_the_order_and_the_books_as_they_were_and_a_retry_refunds_once()
    {
        var seat = await PaidSeatAsync();
        MoveTo(seat.StartsAt.AddDays(-10));
        app.Stripe.DeclineRefunds = true;
        try
        {
            Assert.Equal(HttpStatusCode.Conflict, (await CancelAsync(seat)).StatusCode);
        }
        finally
        {
            app.Stripe.DeclineRefunds = false;
        }

        Assert.Empty(RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, 0m, ""), await StateAsync(seat));

        Assert.Equal(HttpStatusCode.OK, (await CancelAsync(seat)).StatusCode);
        Assert.Equal([(2003L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Paid, 20.03m, "-20.03"), await StateAsync(seat));
    }

    [Fact]
    public async Task A_registration_cannot_be_cancelled_once_its_event_has_started()
    {
        var seat = await PaidSeatAsync();
        MoveTo(seat.StartsAt.AddMinutes(5));
        Assert.Equal(HttpStatusCode.Conflict, (await CancelAsync(seat)).StatusCode);
        Assert.Empty(RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, 0m, ""), await StateAsync(seat));

        // Someone else's registration is not theirs to cancel, before or after the start.
        var other = await app.CreateUserAsync($"other-{Guid.NewGuid():N}@individual.example", "Oz Other");
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiClientAsync(other)).DeleteAsync($"/api/v1/membership/{seat.Cast.Network.Slug}/registrations/{seat.RegistrationId}")).StatusCode);
    }

    [Fact]
    public async Task An_event_with_a_refund_rule_that_grows_as_the_event_nears_is_refused_and_not_created()
    {
        var cast = await app.CastAsync();
        var title = "Bad rule " + Guid.NewGuid().ToString("N")[..6];
        var refused = await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title, start = app.Clock.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 60, capacity = 5, price = 10m, refundRule = new[] { new { daysBefore = 14, percent = 10m }, new { daysBefore = 2, percent = 90m } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("RefundRule", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().AnyAsync(e => e.Title == title)));
    }

    [Fact]
    public async Task An_admin_refunds_a_chosen_part_of_a_line_through_Stripe_keeping_the_seat_and_then_the_rest_in_full()
    {
        var seat = await PaidSeatAsync(price: 40m);
        var path = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund";

        // Bad amounts, a missing reason and the wrong people change nothing, here or at Stripe.
        foreach (var amount in new[] { 0m, -1m, 40.01m, 1.234m })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount, reason = "Goodwill" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 15m, reason = "" })).StatusCode);
        var staff = await app.CreateUserAsync($"staff-{Guid.NewGuid():N}@harbor.example", "Sid Staff");
        await app.AddMemberAsync(seat.Cast.Network, staff, Rounds.Web.Tenancy.Role.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(staff, path, new { amount = 15m, reason = "Not mine to give" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(seat.Payer, path, new { amount = 15m, reason = "Mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(seat.Cast.HospitalAdmin, $"/api/v1/orgs/{seat.Cast.Hospital.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund", new { amount = 15m, reason = "Not ours" })).StatusCode);
        Assert.Empty(RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, 0m, ""), await StateAsync(seat));

        var note = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 15m, reason = "The room changed" }));
        Assert.Equal(("credit_note", -15m), (note.GetProperty("kind").GetString(), note.GetProperty("total").GetDecimal()));
        var partKey = Assert.Single(RefundsOf(seat)).Key;
        Assert.Equal(1500L, Assert.Single(RefundsOf(seat)).Amount);
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, 15m, "-15.00"), await StateAsync(seat));

        // More than is left is refused; the rest, refunded in full, ends the order and frees the seat.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 25.01m, reason = "Too much" })).StatusCode);
        var rest = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(seat.Cast.NetworkAdmin, $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/refund", new { reason = "Cancelled by phone" }));
        Assert.Equal(-25m, rest.GetProperty("total").GetDecimal());
        Assert.Equal([(2500L, $"refund-{seat.OrderId}-1"), (1500L, partKey)], RefundsOf(seat).OrderByDescending(r => r.Amount).ToList());
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded, 40m, "-25.00 -15.00"), await StateAsync(seat));
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 1m, reason = "Once more" })).StatusCode);
        Assert.Equal(2, RefundsOf(seat).Count);
    }

    /// <summary>
    /// Protects the books against two refunds worked out at the same moment: while an admin's partial refund is
    /// on its way to Stripe, the member cancels under the event's rule. Stripe must pay out only one of them, and
    /// exactly what the credit notes say. Before, each kind of refund had its own key, so Stripe paid both while
    /// only the first could be credited.
    /// </summary>
    [Fact]
    public async Task A_cancellation_made_while_an_admins_refund_is_on_its_way_pays_out_no_more_than_the_credit_notes_say()
    {
        var seat = await PaidSeatAsync(price: 100m);
        MoveTo(seat.StartsAt.AddDays(-10));
        HttpResponseMessage? cancelled = null;
        app.Stripe.WhileNextRefundIsMade = async () => cancelled = await CancelAsync(seat);
        var admins = await app.PostJsonAsync(seat.Cast.NetworkAdmin, $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund", new { amount = 20m, reason = "Goodwill" });

        Assert.Equal(HttpStatusCode.OK, cancelled!.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, admins.StatusCode);
        Assert.Contains("look at the order again", await admins.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([(5000L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Paid, 50m, "-50.00"), await StateAsync(seat));

        // Worked out again from the books as they now are, the admin's refund is a new one and is paid.
        var again = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(seat.Cast.NetworkAdmin, $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund", new { amount = 20m, reason = "Goodwill" }));
        Assert.Equal(-20m, again.GetProperty("total").GetDecimal());
        Assert.Equal(7000L, RefundsOf(seat).Sum(r => r.Amount));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Paid, 70m, "-50.00 -20.00"), await StateAsync(seat));
    }
}

public sealed class CancellationRefundTestsOnSqlite(SqliteMembershipRounds app) : CancellationRefundTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CancellationRefundTestsOnPostgres(PostgresMembershipRounds app) : CancellationRefundTests(app), IClassFixture<PostgresMembershipRounds>;
