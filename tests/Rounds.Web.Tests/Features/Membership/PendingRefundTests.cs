using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// A card refund is recorded as pending before Stripe is asked, so that losing Stripe's answer (or the server
/// dying before it records the refund) is finished later under the same idempotency key: the money goes back once
/// and the books follow. Before, such a refund was made at Stripe and the seat and the books stayed as if it was not.
/// </summary>
public abstract class PendingRefundTests(MembershipRounds app)
{
    private sealed record Seat(MembershipCast Cast, Guid EventId, Rounds.Web.Features.Identity.User Payer, Guid RegistrationId, string Session, Guid InvoiceId, Guid OrderId);

    private async Task<Seat> PaidSeatAsync()
    {
        var cast = await app.CastAsync();
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title = "Pending " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 60, capacity = 1, price = 40m, venue = "Room 5", refundRule = new[] { new { daysBefore = 14, percent = 100m } },
        }));
        var eventId = created.GetProperty("id").GetGuid();
        var payer = await app.CreateUserAsync($"pending-{Guid.NewGuid():N}@individual.example", "Penny Pending");
        var held = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        var orderId = held.GetProperty("orderId").GetGuid();
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString()).Key;
        var paid = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(paid.Payload, paid.Signature)).StatusCode);
        var invoiceId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Where(i => i.OrderId == orderId).Select(i => i.Id).SingleAsync());
        return new Seat(cast, eventId, payer, held.GetProperty("id").GetGuid(), session, invoiceId, orderId);
    }

    private List<(long Amount, string? Key)> RefundsOf(Seat seat) =>
        app.Stripe.Refunds.Values.Where(r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(seat.Session)).Select(r => (r.Amount, r.IdempotencyKey)).ToList();

    private Task<(int SeatsTaken, RegistrationStatus Status, OrderStatus Order, string Notes, string Pending)> StateAsync(Seat seat) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var seats = await db.Set<NetworkEvent>().Where(e => e.Id == seat.EventId).Select(e => e.SeatsTaken).SingleAsync();
        var status = await db.Set<Registration>().Where(r => r.Id == seat.RegistrationId).Select(r => r.Status).SingleAsync();
        var order = await db.Set<Order>().Where(o => o.Id == seat.OrderId).Select(o => o.Status).SingleAsync();
        var notes = string.Join(" ", (await db.Set<Invoice>().Where(i => i.CorrectsInvoiceId == seat.InvoiceId).Select(i => i.Total).ToListAsync()).Order()
            .Select(t => t.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
        var pending = string.Join(" ", (await db.Set<PendingRefund>().Where(p => p.OrderId == seat.OrderId).Select(p => p.State).ToListAsync()).Order());
        return (seats, status, order, notes, pending);
    });

    private Task<int> SweepAsync() => app.WithScopeAsync(s => s.GetRequiredService<CardPayments>().FinishPendingAsync());

    private Task<HttpResponseMessage> CancelAsync(Seat seat) => app.ApiClientAsync(seat.Payer).ContinueWith(c => c.Result.DeleteAsync($"/api/v1/membership/{seat.Cast.Network.Slug}/registrations/{seat.RegistrationId}")).Unwrap();

    [Fact]
    public async Task A_cancellation_whose_refund_Stripe_made_but_Rounds_never_heard_of_is_finished_by_the_sweep_once()
    {
        var seat = await PaidSeatAsync();

        // Stripe makes the refund and the answer is lost, Stripe.net's own retry included: as if the server died there.
        app.Stripe.LoseRefundAnswers = 2;
        var lost = await CancelAsync(seat);
        app.Stripe.LoseRefundAnswers = 0;
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        Assert.Contains("recorded as pending", await lost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([(4000L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "", "Pending"), await StateAsync(seat));

        // Stripe's own report of the refund does not credit it a second way while it is pending.
        var reported = app.Stripe.ChargeRefunded("evt_" + Guid.NewGuid().ToString("N"), seat.Session);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(reported.Payload, reported.Signature)).StatusCode);
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "", "Pending"), await StateAsync(seat));

        // A refund a request may still be finishing is left alone; a few minutes on, the sweep asks Stripe again.
        Assert.Equal(0, await SweepAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await SweepAsync());
        Assert.Equal([(4000L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded, "-40.00", "Completed"), await StateAsync(seat));

        // Nothing more happens however often it runs, Stripe reports, or the member tries again.
        Assert.Equal(0, await SweepAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(reported.Payload, reported.Signature)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await CancelAsync(seat)).StatusCode);
        Assert.Single(RefundsOf(seat));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded, "-40.00", "Completed"), await StateAsync(seat));
    }

    [Fact]
    public async Task An_admin_retrying_a_refund_whose_answer_was_lost_and_the_sweep_after_it_refund_and_credit_once()
    {
        var seat = await PaidSeatAsync();
        var path = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund";
        app.Stripe.LoseRefundAnswers = 2;
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 15m, reason = "The room changed" })).StatusCode);
        app.Stripe.LoseRefundAnswers = 0;
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "", "Pending"), await StateAsync(seat));

        // The admin asks again at once: the same refund worked out from the same books gets Stripe's first one back.
        var note = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 15m, reason = "The room changed" }));
        Assert.Equal(-15m, note.GetProperty("total").GetDecimal());
        Assert.Equal([(1500L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));

        // The first attempt's record, finished by the sweep, is the same refund: no second note, no second refund.
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await SweepAsync());
        Assert.Single(RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "-15.00", "Completed Completed"), await StateAsync(seat));
    }

    [Fact]
    public async Task A_refund_Stripe_refuses_is_kept_as_refused_and_nothing_else_changed()
    {
        var seat = await PaidSeatAsync();
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
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "", "Refused"), await StateAsync(seat));
    }

    [Fact]
    public async Task A_refund_without_an_answer_for_a_day_goes_to_the_admins_and_no_other_refund_of_the_order_is_sent()
    {
        var seat = await PaidSeatAsync();
        app.Stripe.LoseRefundAnswers = 2;
        Assert.Equal(HttpStatusCode.Conflict, (await CancelAsync(seat)).StatusCode);
        app.Stripe.LoseRefundAnswers = 0;

        // A day on, Stripe no longer knows the key: the sweep does not ask again but tells the admins, once.
        app.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(0, await SweepAsync());
        Assert.Equal(0, await SweepAsync());
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "", "Unresolved"), await StateAsync(seat));
        var told = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>()
            .CountAsync(a => a.Action == "membership_refund.unresolved" && a.EntityId == seat.OrderId.ToString()));
        Assert.Equal(1, told);

        // And no refund of the order goes to Stripe until they have reconciled it there.
        var path = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund";
        var retried = await app.PostJsonAsync(seat.Cast.NetworkAdmin, path, new { amount = 15m, reason = "The room changed" });
        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        Assert.Contains("Stripe's dashboard", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(RefundsOf(seat));
    }

    [Fact]
    public async Task An_admin_marks_a_refund_settled_by_hand_in_Stripe_reconciled_with_a_note_and_it_leaves_the_list_with_an_audit_entry_and_completes_the_cancellation()
    {
        var seat = await PaidSeatAsync();
        var admin = seat.Cast.NetworkAdmin;
        app.Stripe.LoseRefundAnswers = 2;
        Assert.Equal(HttpStatusCode.Conflict, (await CancelAsync(seat)).StatusCode);
        app.Stripe.LoseRefundAnswers = 0;
        var list = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/refunds/unfinished";
        var refundId = Assert.Single(Assert.Single((await app.GetJsonAsync(admin, list)).EnumerateArray()).GetProperty("refunds").EnumerateArray()).GetProperty("id").GetGuid();
        var reconcile = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/refunds/{refundId}/reconcile";

        // Still being asked of Stripe, it is not the admins' to settle.
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(admin, reconcile, new { note = "Refunded by hand" })).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(0, await SweepAsync());
        Assert.Equal("Unresolved", (await StateAsync(seat)).Pending);

        // A note is required, and kept to plain text of a sensible length.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(admin, reconcile, new { note = "  " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(admin, reconcile, new { note = new string('x', 1001) })).StatusCode);
        Assert.Equal("Unresolved", (await StateAsync(seat)).Pending);

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.PostJsonAsync(admin, reconcile, new { note = "Refunded by hand in Stripe, re_123" })));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.NoContent));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.NoContent), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Empty((await app.GetJsonAsync(admin, list)).EnumerateArray());
        var entry = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>()
            .SingleAsync(a => a.Action == "membership_refund.reconciled" && a.EntityId == seat.OrderId.ToString()));
        Assert.Contains("re_123", entry.After, StringComparison.Ordinal);
        Assert.Equal(admin.Id, entry.ActorId);
        // The member asked to cancel and the money went back by hand: the cancellation is done and the seat is free.
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Paid, "", "Reconciled"), await StateAsync(seat));
    }

    /// <summary>
    /// The admins see the card refunds not finished, per order, on the membership page and in the API, with what
    /// each state means; a pending one is asked of Stripe again from there, under its key, so it is made once.
    /// </summary>
    [Fact]
    public async Task Unfinished_refunds_are_listed_per_order_for_the_admin_role_and_a_pending_one_asked_again_from_there_is_made_once()
    {
        var seat = await PaidSeatAsync();
        var admin = seat.Cast.NetworkAdmin;
        var list = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/refunds/unfinished";
        var refundPart = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/invoices/{seat.InvoiceId}/partial-refund";
        Assert.Empty((await app.GetJsonAsync(admin, list)).EnumerateArray());

        // Stripe refuses one refund; the answer to the next is lost.
        app.Stripe.DeclineRefunds = true;
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(admin, refundPart, new { amount = 5m, reason = "Parking" })).StatusCode);
        app.Stripe.DeclineRefunds = false;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        app.Stripe.LoseRefundAnswers = 2;
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(admin, refundPart, new { amount = 15m, reason = "The room changed" })).StatusCode);
        app.Stripe.LoseRefundAnswers = 0;

        var order = Assert.Single((await app.GetJsonAsync(admin, list)).EnumerateArray());
        Assert.Equal((seat.OrderId, seat.InvoiceId), (order.GetProperty("orderId").GetGuid(), order.GetProperty("invoiceId").GetGuid()));
        var refunds = order.GetProperty("refunds").EnumerateArray().ToList();
        Assert.Equal([("pending", 15m, false), ("refused", 5m, false)], refunds.Select(r => (r.GetProperty("state").GetString(), r.GetProperty("amount").GetDecimal(), r.GetProperty("mayAskAgain").GetBoolean())));
        var pendingId = refunds[0].GetProperty("id").GetGuid();
        var retry = $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/refunds/{pendingId}/retry";

        // While the request that recorded it may still be waiting for Stripe, it is not asked again.
        var early = await app.PostJsonAsync(admin, retry, new { });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("may still be waiting", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Members who are not admins see and do neither; an unknown refund is not found.
        var member = await app.CreateUserAsync($"member-{Guid.NewGuid():N}@harbor.example", "Mo Member");
        await app.AddMemberAsync(seat.Cast.Network, member, Role.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(member)).GetAsync(list)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(member, retry, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(admin, $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/refunds/{Guid.NewGuid()}/retry", new { })).StatusCode);

        // Minutes on, the page offers to ask Stripe again, which answers with the refund it made: one refund, one note.
        app.Clock.Advance(TimeSpan.FromMinutes(12));
        var page = FormSession.Create(app);
        await page.LoginAsync(admin.Email!);
        var shown = await page.GetAsync($"/o/{seat.Cast.Network.Slug}/membership");
        var table = shown.QuerySelector("table.unfinished-refunds")?.TextContent ?? "";
        Assert.Contains("Pending", table, StringComparison.Ordinal);
        Assert.Contains("Refused by Stripe", table, StringComparison.Ordinal);
        var (_, asked) = await page.SubmitAsync($"/o/{seat.Cast.Network.Slug}/membership", $"retry-refund-{pendingId}", new Dictionary<string, string>());
        Assert.Contains("Stripe made the refund", asked.Body?.TextContent, StringComparison.Ordinal);
        Assert.Equal([(1500L, $"refund-{seat.OrderId}-0")], RefundsOf(seat));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid, "-15.00", "Completed Refused"), await StateAsync(seat));

        // Finished, and the refusal before it followed by a refund: nothing is left on the list, and nothing to ask again.
        Assert.Empty((await app.GetJsonAsync(admin, list)).EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(admin, retry, new { })).StatusCode);
        Assert.Single(RefundsOf(seat));

        // One without an answer for a day is listed for the admins to reconcile in Stripe, and not asked again.
        app.Stripe.LoseRefundAnswers = 2;
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(admin, refundPart, new { amount = 10m, reason = "Late start" })).StatusCode);
        app.Stripe.LoseRefundAnswers = 0;
        app.Clock.Advance(TimeSpan.FromHours(24));
        await SweepAsync();
        var unresolved = Assert.Single(Assert.Single((await app.GetJsonAsync(admin, list)).EnumerateArray()).GetProperty("refunds").EnumerateArray());
        Assert.Equal(("unresolved", false), (unresolved.GetProperty("state").GetString(), unresolved.GetProperty("mayAskAgain").GetBoolean()));
        Assert.Contains("Stripe's dashboard", unresolved.GetProperty("advice").GetString(), StringComparison.Ordinal);
        var late = await app.PostJsonAsync(admin, $"/api/v1/orgs/{seat.Cast.Network.Slug}/membership/refunds/{unresolved.GetProperty("id").GetGuid()}/retry", new { });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(2, RefundsOf(seat).Count);
    }
}

public sealed class PendingRefundTestsOnSqlite(SqliteMembershipRounds app) : PendingRefundTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PendingRefundTestsOnPostgres(PostgresMembershipRounds app) : PendingRefundTests(app), IClassFixture<PostgresMembershipRounds>;
